// LearnedOrders: a Ranking (ranking.h) bound to one pack snapshot, so that
// ordering an intent's variants on the request path costs the `when` checks
// and a few arithmetic operations: no lookup by name, no allocation.
//
// Built once per (ranking, pack) pair, when the learner swaps a new ranking
// in or the pack is reloaded (Engine keeps the two in step). For every
// locale and intent it holds, per shop that qualifies for its own counts
// (Ranking::Options::min_shop_shown) and pooled, each variant's evidence in
// the author's order. An intent without any evidence keeps the author's
// order, which is what the ranking would give it, and costs nothing.
//
// The order is exactly Ranking::Order's (the same arithmetic, the same
// stable order on ties: tests/learned_orders_test.cc checks both on the real
// packs); explain still goes through Ranking::Order for its trace.
//
// Thread safety: immutable after construction; share it through
// std::shared_ptr<const LearnedOrders>.
#ifndef REPLY_ENGINE_SELECT_LEARNED_ORDERS_H_
#define REPLY_ENGINE_SELECT_LEARNED_ORDERS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/condition/condition.h"
#include "engine/pack/pack.h"
#include "engine/select/ranking.h"

namespace reply {

class LearnedOrders {
 public:
  // An intent with more variants than this is ordered by Ranking::Order
  // (Order below returns kTooMany): the request path keeps its work on the
  // stack. The packs' largest intent has a dozen.
  static constexpr size_t kMaxVariants = 64;

  LearnedOrders(std::shared_ptr<const Ranking> ranking,
                std::shared_ptr<const Pack> pack);

  enum class Result {
    kAuthor,   // no evidence for the intent: the author's order stands
    kLearned,  // order[] and holds[] are written
    kUnknown,  // another pack's locale, or too many variants: ask Ranking
  };
  // The learned order of `intent`'s variants (lp.variants_of[intent]) for a
  // request of `shop` whose facts are `facts`. On kLearned, order[i] is the
  // variant at place i and holds[i] its `when` for the movable ones
  // (ordinary variants; fallback and hand-off ones are not evaluated and
  // get Tri::kUnknown, as the selector evaluates them itself). Both arrays
  // must have room for lp.variants_of[intent].size() entries.
  Result Order(const LocalePack& lp, int intent, std::string_view shop,
               const Facts& facts, int* order, Tri* holds) const;

  const Ranking& ranking() const { return *ranking_; }
  const std::shared_ptr<const Ranking>& shared_ranking() const {
    return ranking_;
  }

 private:
  // One variant of an intent, in the author's order.
  struct Entry {
    int variant;
    bool movable;  // not fallback, not hand-off
    double gain;   // accepted + kEditedWeight * edited
    double shown;
  };
  struct Table {
    // In a shop's tables: whether its own counts rank the intent (else the
    // pooled table does). Always true in the pooled tables.
    bool used = false;
    // The intent's variants; empty when the author's order stands.
    std::vector<Entry> entries;
  };
  using Tables = std::vector<Table>;  // per intent
  struct Locale {
    const LocalePack* pack;
    Tables pooled;
    std::map<std::string, Tables, std::less<>> shops;  // only qualifying
  };

  std::shared_ptr<const Ranking> ranking_;
  std::shared_ptr<const Pack> pack_;  // keeps the LocalePack pointers valid
  std::vector<Locale> locales_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_SELECT_LEARNED_ORDERS_H_

// Ranking: the order learned from what agents did with suggestions, as an
// immutable snapshot the selector reads (the request path never touches the
// feedback database; learn/evidence_reader.h builds a Ranking from it and the
// server swaps a new one in, like a pack).
//
// Among an intent's variants, each is scored by its posterior acceptance:
//
//   score = (accepted + kEditedWeight * edited + N * prior) / (shown + N)
//
// where `shown` is the number of suggestions of the template displayed, N
// (Options::prior_events) is how many events the author's order is worth,
// and `prior` falls with the variant's place in the author's order (most
// specific first) among the variants whose `when` holds for the request:
// PriorRate(0) = 0.5, each later place 0.1 less, at least 0.05. This is the mean of a Beta prior of strength N per variant: with no
// feedback the author's order stands exactly, and a handful of events cannot
// flip two neighbours (5 accepts of the second against nothing for the first
// gives (5 + 30 * 0.4) / 35 = 0.486 < 0.5). Ties keep the author's order.
//
// Rules never move: a variant whose `when` does not hold is still never
// offered (ranking only reorders; the selector filters as before) and keeps
// its place, and so do fallback and hand-off variants: only the ordinary
// variants that hold trade places among themselves.
//
// Per shop when it has enough data: an intent is ranked on the shop's own
// evidence when the shop's suggestions of that intent were shown at least
// Options::min_shop_shown times, else on the pooled evidence of every shop
// (shop "" holds the pooled counts).
//
// Thread safety: immutable after construction; share it through
// std::shared_ptr<const Ranking>.
#ifndef REPLY_ENGINE_SELECT_RANKING_H_
#define REPLY_ENGINE_SELECT_RANKING_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pack/pack.h"

namespace reply {

// What agents did with one template's suggestions.
struct TemplateEvidence {
  int64_t shown = 0;
  int64_t accepted = 0;
  int64_t edited = 0;
  int64_t rejected = 0;
};

// How one variant was ranked, for explain.
struct RankDecision {
  int variant = -1;
  int author_rank = 0;  // place among the intent's variants as written
  int rank = 0;         // place after learning
  bool fixed = false;   // fallback, hand-off or `when` false: not moved
  double prior = 0;
  TemplateEvidence evidence;
  bool shop_evidence = false;  // the shop's own counts, not pooled ones
  double score = 0;
};

class Ranking {
 public:
  // An edited reply was useful but not right: it counts half an accept.
  static constexpr double kEditedWeight = 0.5;

  struct Options {
    double prior_events = 30;      // N above
    int64_t min_shop_shown = 200;  // per intent, for the shop's own counts
  };
  // Evidence per shop ("" pooled), then per template id.
  using Evidence =
      std::map<std::string,
               std::map<std::string, TemplateEvidence, std::less<>>,
               std::less<>>;

  Ranking(Options options, Evidence evidence)
      : options_(options), evidence_(std::move(evidence)) {}

  // The author's expected acceptance of the variant at place `rank`.
  static double PriorRate(int rank);

  // `author` is the intent's variants as written (LocalePack::variants_of);
  // *out becomes them in learned order. `holds(v)`: whether variant v's
  // `when` holds for the request. Decisions (in learned order) are
  // appended to *trace when it is not null.
  void Order(const LocalePack& pack, std::string_view shop,
             const std::vector<int>& author,
             const std::function<bool(int)>& holds, std::vector<int>* out,
             std::vector<RankDecision>* trace) const;

  const Options& options() const { return options_; }
  const Evidence& evidence() const { return evidence_; }

 private:
  const std::map<std::string, TemplateEvidence, std::less<>>* Counts(
      std::string_view shop) const;

  Options options_;
  Evidence evidence_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_SELECT_RANKING_H_

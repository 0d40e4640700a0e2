#include "engine/select/learned_orders.h"

#include <array>

namespace reply {
namespace {

using Counts = std::map<std::string, TemplateEvidence, std::less<>>;

}  // namespace

LearnedOrders::LearnedOrders(std::shared_ptr<const Ranking> ranking,
                             std::shared_ptr<const Pack> pack)
    : ranking_(std::move(ranking)), pack_(std::move(pack)) {
  // One intent's table from `counts`; empty when no movable variant has
  // evidence (every score is then its prior: the author's order).
  const auto table = [](const LocalePack& lp, const std::vector<int>& author,
                        const Counts& counts) {
    std::vector<LearnedOrders::Entry> entries;
    bool evidence = false;
    entries.reserve(author.size());
    for (int v : author) {
      const Variant& variant = lp.variants[v];
      Entry e{v, !variant.fallback && !variant.handoff, 0, 0};
      const auto it = counts.find(variant.id);
      if (it != counts.end()) {
        // The same operations as Ranking::Order, so scores tie alike.
        e.gain =
            static_cast<double>(it->second.accepted) +
            Ranking::kEditedWeight * static_cast<double>(it->second.edited);
        e.shown = static_cast<double>(it->second.shown);
        if (e.movable && (e.gain != 0 || e.shown != 0)) evidence = true;
      }
      entries.push_back(e);
    }
    if (!evidence) entries.clear();
    return entries;
  };
  const Ranking::Evidence& evidence = ranking_->evidence();
  const auto pooled = evidence.find("");
  for (const LocalePack& lp : pack_->locales) {
    Locale locale{&lp, Tables(lp.variants_of.size()), {}};
    for (size_t i = 0; i < lp.variants_of.size(); ++i) {
      const std::vector<int>& author = lp.variants_of[i];
      if (author.size() > kMaxVariants) continue;
      if (pooled != evidence.end()) {
        locale.pooled[i] = {true, table(lp, author, pooled->second)};
      }
      for (const auto& [shop, counts] : evidence) {
        if (shop.empty()) continue;
        // Ranking::Order's test: the shop's suggestions of the intent, all
        // of its variants, shown often enough.
        int64_t shown = 0;
        for (int v : author) {
          const auto it = counts.find(lp.variants[v].id);
          if (it != counts.end()) shown += it->second.shown;
        }
        if (shown < ranking_->options().min_shop_shown) continue;
        auto at = locale.shops.find(shop);
        if (at == locale.shops.end()) {
          at = locale.shops.emplace(shop, Tables(lp.variants_of.size())).first;
        }
        at->second[i] = {true, table(lp, author, counts)};
      }
    }
    locales_.push_back(std::move(locale));
  }
}

LearnedOrders::Result LearnedOrders::Order(const LocalePack& lp, int intent,
                                           std::string_view shop,
                                           const Facts& facts, int* order,
                                           Tri* holds) const {
  const Locale* locale = nullptr;
  for (const Locale& l : locales_) {
    if (l.pack == &lp) locale = &l;
  }
  const size_t n = lp.variants_of[intent].size();
  if (locale == nullptr || n > kMaxVariants) return Result::kUnknown;
  const std::vector<Entry>* entries = &locale->pooled[intent].entries;
  if (!shop.empty()) {
    const auto it = locale->shops.find(shop);
    if (it != locale->shops.end() && it->second[intent].used) {
      entries = &it->second[intent].entries;
    }
  }
  if (entries->empty()) return Result::kAuthor;

  // The movable variants that hold, by author place, then sorted by score
  // (insertion sort, stable: ties keep the author's order) into the places
  // they held.
  std::array<double, kMaxVariants> score;
  std::array<int, kMaxVariants> movable;  // author places, ascending
  std::array<int, kMaxVariants> sorted;
  int count = 0;
  const double prior_events = ranking_->options().prior_events;
  for (size_t i = 0; i < n; ++i) {
    const Entry& e = (*entries)[i];
    order[i] = e.variant;
    holds[i] = Tri::kUnknown;
    if (!e.movable) continue;
    holds[i] = lp.variants[e.variant].when.Evaluate(facts);
    if (holds[i] != Tri::kTrue) continue;
    score[i] = (e.gain + prior_events * Ranking::PriorRate(count)) /
               (e.shown + prior_events);
    int k = count++;
    movable[k] = static_cast<int>(i);
    while (k > 0 && score[sorted[k - 1]] < score[i]) {
      sorted[k] = sorted[k - 1];
      --k;
    }
    sorted[k] = static_cast<int>(i);
  }
  // Every place refilled held a variant that holds: holds[] stays true.
  for (int k = 0; k < count; ++k) {
    order[movable[k]] = (*entries)[sorted[k]].variant;
  }
  return Result::kLearned;
}

}  // namespace reply

#include "engine/select/ranking.h"

#include <algorithm>

namespace reply {

double Ranking::PriorRate(int rank) { return std::max(0.05, 0.5 - 0.1 * rank); }

const std::map<std::string, TemplateEvidence, std::less<>>* Ranking::Counts(
    std::string_view shop) const {
  const auto it = evidence_.find(shop);
  return it == evidence_.end() ? nullptr : &it->second;
}

void Ranking::Order(const LocalePack& pack, std::string_view shop,
                    const std::vector<int>& author,
                    const std::function<bool(int)>& holds,
                    std::vector<int>* out,
                    std::vector<RankDecision>* trace) const {
  // The shop's own counts when its suggestions of this intent were shown
  // often enough, else everyone's.
  const auto* pooled = Counts("");
  const auto* own = shop.empty() ? nullptr : Counts(shop);
  if (own != nullptr) {
    int64_t shown = 0;
    for (int v : author) {
      const auto it = own->find(pack.variants[v].id);
      if (it != own->end()) shown += it->second.shown;
    }
    if (shown < options_.min_shop_shown) own = nullptr;
  }
  const auto* counts = own != nullptr ? own : pooled;

  std::vector<RankDecision> decisions(author.size());
  std::vector<size_t> movable;  // indexes into author
  int place = 0;
  for (size_t i = 0; i < author.size(); ++i) {
    const Variant& variant = pack.variants[author[i]];
    RankDecision& d = decisions[i];
    d.variant = author[i];
    d.author_rank = static_cast<int>(i);
    d.rank = static_cast<int>(i);
    d.fixed = variant.fallback || variant.handoff || !holds(author[i]);
    if (d.fixed) continue;
    // The prior follows the place among the movable variants: a variant
    // that does not hold, or a fallback, written between two replies does
    // not widen their gap.
    d.prior = PriorRate(place++);
    if (counts != nullptr) {
      const auto it = counts->find(variant.id);
      if (it != counts->end()) d.evidence = it->second;
    }
    d.shop_evidence = own != nullptr;
    const double n = options_.prior_events;
    d.score =
        (static_cast<double>(d.evidence.accepted) +
         kEditedWeight * static_cast<double>(d.evidence.edited) + n * d.prior) /
        (static_cast<double>(d.evidence.shown) + n);
    movable.push_back(i);
  }
  // The movable variants refill their own places, best score first.
  std::vector<size_t> sorted = movable;
  std::stable_sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) {
    return decisions[a].score > decisions[b].score;
  });
  out->assign(author.begin(), author.end());
  std::vector<size_t> at(author.size());  // final place -> author index
  for (size_t i = 0; i < author.size(); ++i) at[i] = i;
  for (size_t k = 0; k < movable.size(); ++k) {
    at[movable[k]] = sorted[k];
    (*out)[movable[k]] = author[sorted[k]];
    decisions[sorted[k]].rank = static_cast<int>(movable[k]);
  }
  if (trace != nullptr) {
    for (size_t i = 0; i < author.size(); ++i) {
      trace->push_back(decisions[at[i]]);
    }
  }
}

}  // namespace reply

#include "engine/match/intent_matcher.h"

#include <algorithm>

namespace reply {

Result<int> IntentMatcher::AddPattern(int intent, std::string_view folded,
                                      PatternKind kind, double score) {
  int id;
  Status s = patterns_.Add(folded, &id,
                           kind == PatternKind::kMatch
                               ? PatternSet::Candidacy::kEager
                               : PatternSet::Candidacy::kDeferred);
  if (!s.ok()) return s;
  info_.push_back({intent, kind, score});
  if (kind != PatternKind::kMatch) {
    auto& of = kind == PatternKind::kExclude ? excludes_of_ : keeps_of_;
    if (of.size() <= static_cast<size_t>(intent)) of.resize(intent + 1);
    of[intent].push_back(id);
  }
  return id;
}

void IntentMatcher::Match(std::string_view normalized, std::vector<Hit>* hits,
                          const std::vector<bool>* only) const {
  hits->clear();
  thread_local std::vector<int> matched;
  // Once an intent has matched, its other patterns of no higher score
  // cannot change the answer: they are not run. The excludes are deferred
  // patterns (AddPattern), not run here.
  patterns_.Match(normalized, &matched, [&](int p) {
    const PatternInfo& candidate = info_[p];
    if (only != nullptr && !(*only)[candidate.intent]) return false;
    for (int m : matched) {
      const PatternInfo& done = info_[m];
      if (done.intent == candidate.intent && done.score >= candidate.score) {
        return false;
      }
    }
    return true;
  });
  if (matched.empty()) return;
  // Few patterns match a message, so the intents they name are collected in
  // a small vector rather than a table over all intents.
  for (int p : matched) {
    const PatternInfo& pi = info_[p];
    auto it = std::find_if(hits->begin(), hits->end(),
                           [&](const Hit& h) { return h.intent == pi.intent; });
    if (it == hits->end()) {
      hits->push_back({pi.intent, p, pi.score});
    } else if (pi.score > it->score) {
      it->pattern = p;
      it->score = pi.score;
    }
  }
  // An exclude can only remove its own intent: only the excludes of the
  // intents that matched are run, and their keeps only when one fired.
  const auto any_of = [&](const std::vector<std::vector<int>>& of, int intent) {
    if (static_cast<size_t>(intent) >= of.size()) return false;
    for (int p : of[intent]) {
      if (patterns_.VerifyAfterMatch(p, normalized)) return true;
    }
    return false;
  };
  const auto excluded = [&](const Hit& hit) {
    return any_of(excludes_of_, hit.intent) && !any_of(keeps_of_, hit.intent);
  };
  hits->erase(std::remove_if(hits->begin(), hits->end(), excluded),
              hits->end());
  std::sort(hits->begin(), hits->end(), [&](const Hit& a, const Hit& b) {
    if (priorities_[a.intent] != priorities_[b.intent]) {
      return priorities_[a.intent] > priorities_[b.intent];
    }
    if (a.score != b.score) return a.score > b.score;
    return a.intent < b.intent;
  });
}

}  // namespace reply

#include "engine/match/intent_matcher.h"

#include <algorithm>

namespace reply {

Result<int> IntentMatcher::AddPattern(int intent, std::string_view folded,
                                      PatternKind kind, double score) {
  int id;
  Status s = patterns_.Add(folded, &id);
  if (!s.ok()) return s;
  info_.push_back({intent, kind, score});
  return id;
}

void IntentMatcher::Match(std::string_view normalized, std::vector<Hit>* hits,
                          const std::vector<bool>* only) const {
  hits->clear();
  thread_local std::vector<int> matched;
  thread_local std::vector<int> deferred_excludes;
  deferred_excludes.clear();
  // Excludes wait until the match patterns have run: an exclude can only
  // remove its own intent, so one whose intent did not match is not run.
  // Once an intent has matched, its other patterns of no higher score
  // cannot change the answer: they are not run either.
  patterns_.Match(normalized, &matched, [&](int p) {
    const PatternInfo& candidate = info_[p];
    if (only != nullptr && !(*only)[candidate.intent]) return false;
    if (candidate.kind == PatternKind::kExclude) {
      deferred_excludes.push_back(p);
      return false;
    }
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
  for (int p : deferred_excludes) {
    const int intent = info_[p].intent;
    auto it = std::find_if(hits->begin(), hits->end(),
                           [&](const Hit& h) { return h.intent == intent; });
    if (it != hits->end() && patterns_.VerifyAfterMatch(p, normalized)) {
      hits->erase(it);
    }
  }
  std::sort(hits->begin(), hits->end(), [&](const Hit& a, const Hit& b) {
    if (priorities_[a.intent] != priorities_[b.intent]) {
      return priorities_[a.intent] > priorities_[b.intent];
    }
    if (a.score != b.score) return a.score > b.score;
    return a.intent < b.intent;
  });
}

}  // namespace reply

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

void IntentMatcher::Match(std::string_view normalized,
                          std::vector<Hit>* hits) const {
  hits->clear();
  thread_local std::vector<int> matched;
  // Once an intent has matched, or has been excluded, its other patterns of
  // no higher score cannot change the answer: they are not run.
  patterns_.Match(normalized, &matched, [&](int p) {
    const PatternInfo& candidate = info_[p];
    if (candidate.kind == PatternKind::kExclude) return true;
    for (int m : matched) {
      const PatternInfo& done = info_[m];
      if (done.intent != candidate.intent) continue;
      if (done.kind == PatternKind::kExclude || done.score >= candidate.score) {
        return false;
      }
    }
    return true;
  });
  if (matched.empty()) return;
  // Few patterns match a message, so the intents they name are collected in
  // a small vector rather than a table over all intents.
  thread_local std::vector<int> excluded;
  excluded.clear();
  for (int p : matched) {
    const PatternInfo& pi = info_[p];
    if (pi.kind == PatternKind::kExclude) {
      excluded.push_back(pi.intent);
      continue;
    }
    auto it = std::find_if(hits->begin(), hits->end(),
                           [&](const Hit& h) { return h.intent == pi.intent; });
    if (it == hits->end()) {
      hits->push_back({pi.intent, p, pi.score});
    } else if (pi.score > it->score) {
      it->pattern = p;
      it->score = pi.score;
    }
  }
  std::erase_if(*hits, [&](const Hit& h) {
    return std::find(excluded.begin(), excluded.end(), h.intent) !=
           excluded.end();
  });
  std::sort(hits->begin(), hits->end(), [&](const Hit& a, const Hit& b) {
    if (priorities_[a.intent] != priorities_[b.intent]) {
      return priorities_[a.intent] > priorities_[b.intent];
    }
    if (a.score != b.score) return a.score > b.score;
    return a.intent < b.intent;
  });
}

}  // namespace reply

// IntentMatcher: which intents a normalized message expresses, best first.
//
//   IntentMatcher m({{"urge_shipment", /*priority=*/50}, ...});
//   m.AddPattern(0, "(还|怎么).{0,6}(不|没)发货", PatternKind::kMatch, 0.9);
//   m.AddPattern(0, "发什么快递", PatternKind::kExclude, 0);
//   m.Compile();
//   std::vector<IntentMatcher::Hit> hits;
//   m.Match("怎么还不发货", &hits);   // {{intent 0, pattern 0, 0.9}}
//
// An intent matches when one of its patterns matches and none of its exclude
// patterns does: 尺码标准吗 is pre-sale talk, not wrong_size; unless one of
// its keep patterns matches too, a complaint too strong for the excludes
// (quá hạn gửi 3 ngày, không gửi thì mình hủy: hủy is the buyer's threat,
// not a cancel, so urge_shipment stays). A keep alone matches nothing. A
// message may
// carry several intents (还不发货？能换成L码吗). Hits are ordered by intent
// priority, then score (the best matching pattern's), then declaration
// order. Every pattern of every intent lives in one PatternSet, so the cost
// does not grow with the number of intents.
//
// Thread safety: build, then Compile, then share; Match is safe from any
// number of threads.
#ifndef REPLY_ENGINE_MATCH_INTENT_MATCHER_H_
#define REPLY_ENGINE_MATCH_INTENT_MATCHER_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/match/pattern_set.h"

namespace reply {

enum class PatternKind { kMatch, kExclude, kKeep };

class IntentMatcher {
 public:
  struct Hit {
    int intent;
    int pattern;  // the best of the intent's matching patterns
    double score;
  };
  struct PatternInfo {
    int intent;
    PatternKind kind;
    double score;
  };

  // `priorities[i]` is the priority of intent i.
  explicit IntentMatcher(std::vector<int> priorities)
      : priorities_(std::move(priorities)) {}

  // `folded` is the pattern after Normalizer::FoldPattern. Returns the
  // pattern id, or RE2's reason for rejecting it.
  Result<int> AddPattern(int intent, std::string_view folded, PatternKind kind,
                         double score);
  void Compile() { patterns_.Compile(); }

  // With `only`, indexed by intent: the intents not marked are neither
  // run nor reported, as if the set held only the marked ones (a caller
  // that needs to know about a few intents pays for those).
  void Match(std::string_view normalized, std::vector<Hit>* hits,
             const std::vector<bool>* only = nullptr) const;

  // Every pattern, match and exclude, that matches; for explain.
  void MatchPatterns(std::string_view normalized,
                     std::vector<int>* pattern_ids) const {
    patterns_.Match(normalized, pattern_ids);
  }

  const PatternInfo& info(int pattern) const { return info_[pattern]; }
  const PatternSet& pattern_set() const { return patterns_; }

 private:
  std::vector<int> priorities_;
  std::vector<PatternInfo> info_;
  // Per intent, its exclude and keep patterns (deferred in patterns_).
  std::vector<std::vector<int>> excludes_of_;
  std::vector<std::vector<int>> keeps_of_;
  PatternSet patterns_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_INTENT_MATCHER_H_

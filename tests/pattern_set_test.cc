#include "engine/match/pattern_set.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>

#include "bench/corpus.h"
#include "engine/base/utf8.h"
#include "engine/match/intent_matcher.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "tests/test_paths.h"

namespace reply {
namespace {

// Matches each message with `set` and with every pattern of `alone` on its
// own, expecting the same indices; returns how many matches there were.
size_t MatchLikeEachPatternAlone(const PatternSet& set,
                                 const std::vector<std::unique_ptr<RE2>>& alone,
                                 const std::vector<std::string>& messages) {
  const Normalizer& norm = **Normalizer::Shared();
  NormalizedText key;
  std::vector<int> matched;
  size_t total = 0;
  for (const std::string& message : messages) {
    norm.Normalize(message, &key);
    set.Match(key.text, &matched);
    std::vector<int> expected;
    for (size_t i = 0; i < alone.size(); ++i) {
      if (RE2::PartialMatch(key.text, *alone[i]))
        expected.push_back(static_cast<int>(i));
    }
    EXPECT_EQ(matched, expected) << key.text;
    if (matched != expected) break;  // one message is enough to debug
    total += expected.size();
  }
  return total;
}

TEST(PatternSetTest, RejectsBadPatternsWithRe2Reason) {
  PatternSet set;
  int id;
  Status s = set.Add("(还|怎么.{0,4}发货", &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing )"), std::string::npos) << s.message();
  EXPECT_FALSE(set.Add("", &id).ok());
  EXPECT_FALSE(
      set.Add(std::string(PatternSet::kMaxPatternBytes + 1, 'a'), &id).ok());
  EXPECT_FALSE(set.Add("(a)\\1", &id).ok());  // backreferences are not RE2
}

TEST(PatternSetTest, PatternsWithoutLiteralsStillMatch) {
  PatternSet set;
  int digits, word;
  ASSERT_TRUE(set.Add("\\d{3,}", &digits).ok());
  ASSERT_TRUE(set.Add("发货", &word).ok());
  set.Compile();
  EXPECT_TRUE(set.unfiltered(digits));
  EXPECT_FALSE(set.unfiltered(word));
  std::vector<int> matched;
  set.Match("单号123456", &matched);
  EXPECT_EQ(matched, std::vector<int>{digits});
  set.Match("还没发货", &matched);
  EXPECT_EQ(matched, std::vector<int>{word});
}

TEST(PatternSetTest, FindSpanReturnsByteOffsets) {
  PatternSet set;
  int id;
  ASSERT_TRUE(set.Add("不.{0,2}发货", &id).ok());
  set.Compile();
  size_t begin = 0, end = 0;
  const std::string text = "怎么还不发货呢";
  ASSERT_TRUE(set.FindSpan(id, text, 0, &begin, &end));
  EXPECT_EQ(text.substr(begin, end - begin), "不发货");
  EXPECT_FALSE(set.FindSpan(id, text, end, &begin, &end));
}

// The prefilter must never drop a true match: on a thousand generated
// patterns and twenty thousand unseen messages, the set agrees exactly
// with running every pattern on its own.
TEST(PatternSetTest, AgreesWithEveryPatternRunAlone) {
  const std::vector<std::string> patterns = bench::GeneratePatterns(1000, 3);
  PatternSet set;
  std::vector<std::unique_ptr<RE2>> alone;
  RE2::Options options;
  options.set_log_errors(false);
  for (const std::string& p : patterns) {
    int id;
    ASSERT_TRUE(set.Add(p, &id).ok()) << p;
    alone.push_back(std::make_unique<RE2>(p, options));
  }
  set.Compile();
  // Generated patterns are words and gaps: all decided without RE2.
  for (int p = 0; p < set.size(); ++p) {
    EXPECT_TRUE(set.decided_without_re2(p)) << set.pattern(p).pattern();
  }
  const size_t total_matches =
      MatchLikeEachPatternAlone(set, alone, bench::UnseenMessages(20000, 5));
  EXPECT_GT(total_matches, 500u);  // the comparison saw real matches
}

// A deferred pattern is not a candidate of Match(text, matched, wanted); it
// is decided when asked, by VerifyAfterMatch, from the scan of that Match.
// Every second of a thousand generated patterns deferred, the set answers
// as one where all are eager, on both paths.
TEST(PatternSetTest, DeferredPatternsAnswerAsEagerOnes) {
  const std::vector<std::string> patterns = bench::GeneratePatterns(1000, 3);
  PatternSet eager, deferred;
  for (size_t i = 0; i < patterns.size(); ++i) {
    int id;
    ASSERT_TRUE(eager.Add(patterns[i], &id).ok()) << patterns[i];
    ASSERT_TRUE(deferred
                    .Add(patterns[i], &id,
                         i % 2 ? PatternSet::Candidacy::kDeferred
                               : PatternSet::Candidacy::kEager)
                    .ok());
  }
  eager.Compile();
  deferred.Compile();
  const Normalizer& norm = **Normalizer::Shared();
  NormalizedText key;
  std::vector<int> want, got, offered;
  size_t deferred_matches = 0;
  for (const std::string& message : bench::UnseenMessages(5000, 23)) {
    norm.Normalize(message, &key);
    eager.Match(key.text, &want);
    deferred.Match(key.text, &got);
    ASSERT_EQ(got, want) << key.text;
    offered.clear();
    deferred.Match(key.text, &got, [&](int p) {
      offered.push_back(p);
      return true;
    });
    for (int p : offered) ASSERT_EQ(p % 2, 0) << p << " " << key.text;
    for (int p = 0; p < deferred.size(); ++p) {
      const bool matches = std::binary_search(want.begin(), want.end(), p);
      if (p % 2 == 0) {
        ASSERT_EQ(std::binary_search(got.begin(), got.end(), p), matches);
      } else {
        ASSERT_EQ(deferred.VerifyAfterMatch(p, key.text), matches)
            << deferred.pattern(p).pattern() << " on " << key.text;
        deferred_matches += matches;
      }
    }
  }
  EXPECT_GT(deferred_matches, 100u);  // the comparison saw real matches
}

// A set of deferred patterns only has no key group: their filters are
// still there to check.
TEST(PatternSetTest, OnlyDeferredPatterns) {
  PatternSet set;
  int id;
  for (const char* p : {"先别发货", "(还|怎么).{0,4}(没|不)发货"}) {
    ASSERT_TRUE(set.Add(p, &id, PatternSet::Candidacy::kDeferred).ok());
  }
  set.Compile();
  std::vector<int> matched;
  set.Match("怎么还不发货", &matched);
  EXPECT_EQ(matched, std::vector<int>{1});
  set.Match("先别发货", &matched);
  EXPECT_EQ(matched, std::vector<int>{0});
  set.Match("你好", &matched);
  EXPECT_TRUE(matched.empty());
}

// Texts for the differential test below: the packs' examples and the dev
// messages as each pack normalizes them, and random texts made of their
// words and characters, joined by separators that sit on a chain's edges
// (space, \n, a word character, punctuation, nothing).
std::vector<std::string> DifferentialTexts(const LocalePack& lp) {
  const Normalizer& norm = **Normalizer::Shared();
  std::vector<std::string> raw = bench::DevMessages();
  const auto unseen = bench::UnseenMessages(1500, 17, 20);
  raw.insert(raw.end(), unseen.begin(), unseen.end());
  const auto vi = bench::VietnameseMessages(REPLY_SOURCE_DIR);
  raw.insert(raw.end(), vi.begin(), vi.end());
  const auto vi_unseen = bench::UnseenMessagesFrom(vi, 1500, 19, 30);
  raw.insert(raw.end(), vi_unseen.begin(), vi_unseen.end());
  for (const IntentDef& intent : lp.intents) {
    raw.insert(raw.end(), intent.examples.begin(), intent.examples.end());
    raw.insert(raw.end(), intent.counter_examples.begin(),
               intent.counter_examples.end());
  }
  std::vector<std::string> texts;
  std::vector<std::string> words;
  NormalizedText key;
  for (const std::string& m : raw) {
    lp.Normalize(m, norm, &key);
    texts.push_back(key.text);
    size_t pos = 0;
    while (pos < key.text.size()) {
      size_t space = key.text.find(' ', pos);
      if (space == std::string::npos) space = key.text.size();
      if (space > pos) words.push_back(key.text.substr(pos, space - pos));
      // Single characters too, for texts without spaces (zh).
      size_t next = pos;
      DecodeUtf8(key.text, &next);
      words.push_back(key.text.substr(pos, next - pos));
      pos = space + 1;
    }
  }
  std::mt19937 rng(23);
  const char* separators[] = {"", " ", " ", "\n", "a", "_", ".", "1"};
  for (int i = 0; i < 8000; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) {
      if (k > 0 || rng() % 4 == 0) text += separators[rng() % 8];
      text += words[rng() % words.size()];
    }
    if (rng() % 4 == 0) text += separators[rng() % 8];
    texts.push_back(std::move(text));
  }
  return texts;
}

// Patterns decided from word occurrences (literal_chains.h) must answer as
// RE2 does, for every pattern of both shipped packs, match and exclude, and
// through both paths: Match and VerifyAfterMatch (the excludes' path).
// One test per locale: each runs every pattern through RE2 on every text,
// the slowest tests of the suite, and ctest -j2 runs the two side by side.
void ChainsDecideAsRe2OnShippedPack(const char* locale) {
  std::vector<PackIssue> issues;
  auto pack = LoadPack(REPLY_SOURCE_DIR, **Normalizer::Shared(), &issues);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const LocalePack* lp = (*pack)->Find(locale);
  ASSERT_NE(lp, nullptr) << locale;
  const PatternSet& set = lp->matcher->pattern_set();
  int decided = 0;
  for (int p = 0; p < set.size(); ++p) decided += set.decided_without_re2(p);
  // Most of a pack's patterns are chains; a parser that stopped
  // recognizing them would make this test compare RE2 with itself.
  EXPECT_GT(decided, set.size() / 2) << locale;
  std::printf("%s: %d of %d patterns decided without RE2\n", locale, decided,
              set.size());
  std::vector<int> matched;
  std::vector<bool> re2(set.size());
  size_t matches = 0, failures = 0;
  for (const std::string& text : DifferentialTexts(*lp)) {
    set.Match(text, &matched);
    std::vector<int> expected;
    for (int p = 0; p < set.size(); ++p) {
      re2[p] = set.Verify(p, text);
      if (re2[p]) expected.push_back(p);
    }
    matches += expected.size();
    if (matched != expected) {
      for (int p = 0; p < set.size(); ++p) {
        const bool got = std::binary_search(matched.begin(), matched.end(), p);
        const bool want =
            std::binary_search(expected.begin(), expected.end(), p);
        if (got != want) {
          ADD_FAILURE() << locale << " pattern " << p << " "
                        << set.pattern(p).pattern() << " on \"" << text
                        << "\": decided " << got << ", RE2 " << want;
        }
      }
      if (++failures > 5) return;
    }
    for (int p = 0; p < set.size(); ++p) {
      if (set.VerifyAfterMatch(p, text) != re2[p]) {
        ADD_FAILURE() << locale << " VerifyAfterMatch, pattern " << p
                      << " on \"" << text << "\"";
        if (++failures > 5) return;
      }
    }
  }
  EXPECT_GT(matches, 1000u) << locale;  // the comparison saw real matches
}

TEST(PatternSetTest, ChainsDecideAsRe2OnShippedZhPack) {
  ChainsDecideAsRe2OnShippedPack("zh");
}

TEST(PatternSetTest, ChainsDecideAsRe2OnShippedViPack) {
  ChainsDecideAsRe2OnShippedPack("vi");
}

// Patterns with many atoms get a filter by their AND-of-groups shape; it
// must be as exact as the small patterns' and as RE2 run alone.
TEST(PatternSetTest, ManyAtomPatternsAreFilteredAndExact) {
  const std::vector<std::string> patterns = {
      "(尺码|码数|码子|尺寸|鞋码|size)(有点|有些|太|偏)?(小|大)(了|啦|一码|"
      "一号|一点)",
      "(还|怎么|咋|为啥|为什么).{0,4}(没|不|未)(有|能)?(发货|发出|寄出)",
      "(没|没有|无|查不到|看不到)(任何)?(物流|快递|跟踪|运输)(信息|记录|消息|"
      "动态)",
      "(什么时候|啥时候|几时|哪天|多久|何时)(能|可以|才|会)*(发货|发出|寄出|寄|"
      "发)",
  };
  PatternSet set;
  std::vector<std::unique_ptr<RE2>> alone;
  for (const std::string& p : patterns) {
    int id;
    ASSERT_TRUE(set.Add(p, &id).ok()) << p;
    alone.push_back(std::make_unique<RE2>(p));
  }
  // An alternation of unrelated branches has no AND-of-groups shape and more
  // atoms than the exact derivation takes: it runs on every message.
  int branches;
  ASSERT_TRUE(set.Add("甲乙.{0,3}丙丁|戊己.{0,3}庚辛|子丑.{0,3}寅卯|辰巳.{0,3}"
                      "午未|申酉.{0,3}戌亥|"
                      "东西.{0,2}南北",
                      &branches)
                  .ok());
  alone.push_back(
      std::make_unique<RE2>("甲乙.{0,3}丙丁|戊己.{0,3}庚辛|子丑.{0,3}寅卯|"
                            "辰巳.{0,3}午未|申酉.{0,3}戌亥|东西.{0,2}南北"));
  set.Compile();
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(set.unfiltered(i)) << patterns[i];
  EXPECT_TRUE(set.unfiltered(branches));

  std::vector<std::string> messages = bench::UnseenMessages(5000, 9);
  for (const char* m :
       {"尺码有点小了", "怎么现在还没发货", "没有任何物流信息", "什么时候能发",
        "啥时候寄", "戊己一二庚辛", "size偏大一码", "为什么不能发出"}) {
    messages.push_back(m);
  }
  const size_t total = MatchLikeEachPatternAlone(set, alone, messages);
  EXPECT_GE(total, 8u);
}

TEST(IntentMatcherTest, ExcludesPrioritiesAndSeveralIntents) {
  // 0: urge (priority 50), 1: size (priority 40), 2: other (priority 50)
  IntentMatcher m({50, 40, 50});
  ASSERT_TRUE(
      m.AddPattern(0, "(还|怎么).{0,4}(没|不)发货", PatternKind::kMatch, 0.9)
          .ok());
  ASSERT_TRUE(m.AddPattern(0, "发货", PatternKind::kMatch, 0.5).ok());
  ASSERT_TRUE(m.AddPattern(0, "先别发货", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(1, "换.{0,2}码", PatternKind::kMatch, 0.9).ok());
  ASSERT_TRUE(m.AddPattern(2, "发货", PatternKind::kMatch, 0.6).ok());
  m.Compile();
  std::vector<IntentMatcher::Hit> hits;
  m.Match("还不发货能换成l码吗", &hits);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].intent, 0);  // priority 50, score 0.9
  EXPECT_EQ(hits[0].pattern, 0);
  EXPECT_DOUBLE_EQ(hits[0].score, 0.9);
  EXPECT_EQ(hits[1].intent, 2);  // priority 50, score 0.6
  EXPECT_EQ(hits[2].intent, 1);  // priority 40
  m.Match("先别发货", &hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].intent, 2);  // the exclusion is urge's only
  m.Match("你好", &hits);
  EXPECT_TRUE(hits.empty());
}

// Excludes run after the match patterns, only for intents that matched; an
// exclude declared before its intent's patterns still removes the intent.
TEST(IntentMatcherTest, ExcludesApplyWhateverTheirOrder) {
  IntentMatcher m({50, 50});
  ASSERT_TRUE(m.AddPattern(0, "先别发货", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(1, "别.{0,2}发货", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(0, "发货", PatternKind::kMatch, 0.5).ok());
  ASSERT_TRUE(m.AddPattern(1, "退款", PatternKind::kMatch, 0.5).ok());
  m.Compile();
  std::vector<IntentMatcher::Hit> hits;
  m.Match("先别发货", &hits);  // 0 excluded; 1 did not match
  EXPECT_TRUE(hits.empty());
  m.Match("先别发货了要退款", &hits);  // both excluded
  EXPECT_TRUE(hits.empty());
  m.Match("快点发货不然退款", &hits);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].intent, 0);
  EXPECT_EQ(hits[1].intent, 1);
}

// A keep lets a message past its intent's excludes, and only its own
// intent's; a keep alone matches nothing.
TEST(IntentMatcherTest, KeepOverridesTheExcludes) {
  IntentMatcher m({50, 40});
  ASSERT_TRUE(m.AddPattern(0, "发货", PatternKind::kMatch, 0.5).ok());
  ASSERT_TRUE(m.AddPattern(0, "退款", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(0, "再不发货", PatternKind::kKeep, 0).ok());
  ASSERT_TRUE(m.AddPattern(1, "退款", PatternKind::kMatch, 0.9).ok());
  ASSERT_TRUE(m.AddPattern(1, "发货", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(0, "催一下", PatternKind::kKeep, 0).ok());
  m.Compile();
  std::vector<IntentMatcher::Hit> hits;
  m.Match("发货太慢了我要退款", &hits);
  EXPECT_TRUE(hits.empty());  // each excluded by the other's word
  m.Match("再不发货我就退款", &hits);
  ASSERT_EQ(hits.size(), 1u);  // 0 kept; 1 still excluded (no keep of its)
  EXPECT_EQ(hits[0].intent, 0);
  m.Match("催一下退款", &hits);
  ASSERT_EQ(hits.size(), 1u);  // 0's keep alone does not make 0 match
  EXPECT_EQ(hits[0].intent, 1);
}

// Restricted to some intents, a match reports only those, with their
// excludes still applied, as if the others were not in the set.
TEST(IntentMatcherTest, MatchAmongSomeIntents) {
  IntentMatcher m({50, 40, 50});
  ASSERT_TRUE(m.AddPattern(0, "发货", PatternKind::kMatch, 0.5).ok());
  ASSERT_TRUE(m.AddPattern(0, "先别发货", PatternKind::kExclude, 0).ok());
  ASSERT_TRUE(m.AddPattern(1, "换.{0,2}码", PatternKind::kMatch, 0.9).ok());
  ASSERT_TRUE(m.AddPattern(2, "发货", PatternKind::kMatch, 0.6).ok());
  m.Compile();
  std::vector<IntentMatcher::Hit> hits;
  const std::vector<bool> urge_and_size = {true, true, false};
  m.Match("还不发货能换成l码吗", &hits, &urge_and_size);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].intent, 0);
  EXPECT_EQ(hits[1].intent, 1);
  m.Match("先别发货", &hits, &urge_and_size);
  EXPECT_TRUE(hits.empty());  // 0 excluded, 2 not asked about
  const std::vector<bool> none = {false, false, false};
  m.Match("还不发货能换成l码吗", &hits, &none);
  EXPECT_TRUE(hits.empty());
}

}  // namespace
}  // namespace reply

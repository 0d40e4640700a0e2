// Concept lexicons: `{name}` in a pattern becomes the concept's entries,
// matched like the pattern had been written out, prefiltered on the
// entries' literal text; every lexicon problem is a pack error at its
// file:line; and explain can tell which entry matched.
#include "engine/pack/lexicon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "engine/engine.h"
#include "engine/pack/pack_loader.h"
#include "tests/test_util.h"

namespace reply {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const char kLexicon[] =
    "concepts:\n"                                 // 1
    "  parcel: [包裹, 快递, 东西, 货]\n"          // 2
    "  not_moving:\n"                             // 3
    "    - (没|不)(动|更新)\n"                    // 4
    "    - 停(在|了)\n"                           // 5
    "  stuck: ['{parcel}.{0,3}{not_moving}']\n";  // 6

const char kIntents[] =
    "intents:\n"                                          // 1
    "  - id: stuck\n"                                     // 2
    "    patterns:\n"                                     // 3
    "      - '{stuck}'\n"                                 // 4
    "      - '物流{not_moving}{1,2}'\n"                   // 5
    "    examples: [快递三天没动了, 我的包裹停在上海]\n"  // 6
    "    counter_examples: [快递什么时候到]\n";           // 7

const char kTemplates[] =
    "intent: stuck\n"
    "variants:\n"
    "  - id: no_order\n"
    "    when: not has_order\n"
    "    text: 亲，请把订单号发给我，我帮您查一下物流。\n";

class LexiconTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Loads a pack of the files above with `changes` ("" deletes a file);
  // returns the issues, and keeps the pack when it loads.
  std::vector<std::string> Load(
      const std::map<std::string, std::string>& changes = {}) {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    dir_ = testing::MakeTempDir("lexicon");
    std::map<std::string, std::string> files = {
        {"shop.yaml", "name: 测试店\n"},
        {"intents/zh/lexicon.yaml", kLexicon},
        {"intents/zh/a.yaml", kIntents},
        {"templates/zh/stuck.yaml", kTemplates}};
    for (const auto& [path, content] : changes) files[path] = content;
    for (const auto& [path, content] : files) {
      if (!content.empty()) testing::WriteFile(dir_ / path, content);
    }
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(dir_.string(), Norm(), &issues);
    std::vector<std::string> out;
    for (const PackIssue& issue : issues) out.push_back(issue.ToString());
    EXPECT_EQ(pack.ok(), out.empty());
    pack_ = pack.ok() ? *pack : nullptr;
    return out;
  }

  static const Normalizer& Norm() { return **Normalizer::Shared(); }

  // The intents the loaded pack's matcher finds in `message`.
  std::vector<std::string> Match(const std::string& message) {
    NormalizedText key;
    Norm().Normalize(message, &key);
    const LocalePack& lp = pack_->locales[0];
    std::vector<IntentMatcher::Hit> hits;
    lp.matcher->Match(key.text, &hits);
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(lp.intents[h.intent].id);
    return out;
  }

  std::filesystem::path dir_;
  std::shared_ptr<const Pack> pack_;
};

TEST_F(LexiconTest, ConceptsExpandIntoTheirEntries) {
  ASSERT_THAT(Load(), ::testing::IsEmpty());
  EXPECT_THAT(Match("快递三天没动了"), ElementsAre("stuck"));
  EXPECT_THAT(Match("東西停在深圳兩天了"), ElementsAre("stuck"));  // folded
  EXPECT_THAT(Match("物流不更新了"), ElementsAre("stuck"));
  EXPECT_THAT(Match("快递什么时候到"), ::testing::IsEmpty());
  // Too far apart for .{0,3}.
  EXPECT_THAT(Match("货到了吗为什么一直没动"), ::testing::IsEmpty());

  const LocalePack& lp = pack_->locales[0];
  EXPECT_EQ(lp.patterns[0].text, "{stuck}");
  EXPECT_EQ(lp.patterns[0].folded,
            "(?:(?:包裹|快递|东西|货).{0,3}(?:(没|不)(动|更新)|停(在|了)))");
  // RE2's counted repetition is left alone.
  EXPECT_EQ(lp.patterns[1].folded, "物流(?:(没|不)(动|更新)|停(在|了)){1,2}");
}

TEST_F(LexiconTest, PrefilterAtomsComeFromTheEntries) {
  ASSERT_THAT(Load(), ::testing::IsEmpty());
  const PatternSet& set = pack_->locales[0].matcher->pattern_set();
  for (int id = 0; id < set.size(); ++id) EXPECT_FALSE(set.unfiltered(id));
  // A pattern made only of a concept with a one-letter entry has nothing
  // to look for: it would run on every message.
  ASSERT_THAT(
      Load({{"intents/zh/lexicon.yaml", "concepts:\n  size: [s, m, l]\n"},
            {"intents/zh/a.yaml",
             "intents:\n  - id: stuck\n    patterns: ['{size}']\n"
             "    examples: [m]\n    counter_examples: [好]\n"}}),
      ::testing::IsEmpty());
  EXPECT_TRUE(pack_->locales[0].matcher->pattern_set().unfiltered(0));
}

TEST_F(LexiconTest, UnknownConceptSuggestsTheNearestName) {
  std::string intents = kIntents;
  intents.replace(intents.find("{stuck}"), 7, "{parcle}没动");
  EXPECT_THAT(Load({{"intents/zh/a.yaml", intents}}),
              ElementsAre("intents/zh/a.yaml:4: pattern '{parcle}没动': "
                          "unknown concept {parcle} (did you mean "
                          "'parcel'?)"));
  EXPECT_THAT(
      Load({{"intents/zh/lexicon.yaml", ""}}),
      Contains(HasSubstr("intents/zh/a.yaml:4: pattern '{stuck}': unknown "
                         "concept {stuck}; concepts are defined under "
                         "'concepts:' in intents/<locale>/lexicon.yaml")));
}

TEST_F(LexiconTest, CyclesDepthAndBadEntriesAtTheirLines) {
  const auto issues =
      Load({{"intents/zh/lexicon.yaml",
             "concepts:\n"                     // 1
             "  parcel: [包裹, 快递]\n"        // 2
             "  not_moving: [(没|不)(动]\n"    // 3
             "  a: ['{b}了']\n"                // 4
             "  b: ['{a}吗']\n"                // 5
             "  c1: ['{c2}']\n"                // 6
             "  c2: ['{c3}']\n"                // 7
             "  c3: ['{c4}']\n"                // 8
             "  c4: ['{c5}']\n"                // 9
             "  c5: [没动]\n"                  // 10
             "  d: ['{parcel}', '{parcl}']\n"  // 11
             "  e: [' ！']\n"                  // 12
             "  Bad: [x]\n"                    // 13
             "  empty: []\n"                   // 14
             "  stuck: ['{parcel}没动']\n"},   // 15
            {"intents/zh/z.yaml", "concepts:\n  parcel: [件]\n"}});
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:3: concept 'not_moving': "
                       "entry '(没|不)(动': missing ): (没|不)(动 (an entry is "
                       "an RE2 fragment on its own: balance its parentheses)"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:5: concept 'b': entry '{a}吗' "
                       "uses {a}, which uses 'b' again (a cycle): a concept "
                       "cannot contain itself"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:6: concept 'c1': entry '{c2}' "
                       "nests concepts 5 deep through {c2}; at most 4: write "
                       "the inner concepts' words here"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:11: concept 'd': entry "
                       "'{parcl}' uses an unknown concept {parcl} (did you "
                       "mean 'parcel'?)"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:12: concept 'e': entry ' ！' "
                       "is empty once spaces and punctuation are removed"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:13: concept name 'Bad' must "
                       "be lower_snake_case: a-z, 0-9 and _, starting with a "
                       "letter"));
  EXPECT_THAT(issues,
              Contains("intents/zh/lexicon.yaml:14: concept 'empty' needs a "
                       "non-empty list of entries"));
  EXPECT_THAT(issues, Contains("intents/zh/z.yaml:2: duplicate concept "
                               "'parcel' (first defined at "
                               "intents/zh/lexicon.yaml:2)"));
  // Patterns using a broken concept add no error of their own.
  for (const std::string& issue : issues) {
    EXPECT_THAT(issue, Not(HasSubstr("a.yaml"))) << issue;
  }
}

TEST_F(LexiconTest, TheLimitAppliesToTheExpandedPattern) {
  std::string entries;
  for (int i = 0; entries.size() < PatternSet::kMaxPatternBytes + 100; ++i) {
    entries += (i ? ", " : "") + std::string("长长的词语") + std::to_string(i);
  }
  const auto issues = Load(
      {{"intents/zh/lexicon.yaml", "concepts:\n  parcel: [" + entries +
                                       "]\n  not_moving: [没动]\n"
                                       "  stuck: ['{parcel}{not_moving}']\n"}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_THAT(issues[0], HasSubstr("intents/zh/a.yaml:4: pattern '{stuck}' "
                                   "is "));
  EXPECT_THAT(issues[0],
              HasSubstr(" bytes once its concepts are expanded; the limit is " +
                        std::to_string(PatternSet::kMaxPatternBytes) +
                        ": split it into several patterns, or use concepts "
                        "with fewer entries"));
}

TEST_F(LexiconTest, ReferencesAreFoundOnlyWhereTheyCanBe) {
  std::vector<std::string> names;
  Lexicon::ForEachReference(
      R"({a}x{1,2}\{b}[{c}]\p{Han}{d_2}{E}{9}{e})",
      [&](size_t, size_t, std::string_view n) { names.emplace_back(n); });
  EXPECT_THAT(names, ElementsAre("a", "d_2", "e"));
}

TEST_F(LexiconTest, ExplainFindsTheEntryThatMatched) {
  ASSERT_THAT(Load(), ::testing::IsEmpty());
  const Lexicon& lexicon = pack_->locales[0].lexicon;
  NormalizedText key;
  Norm().Normalize("我的東西停在上海了", &key);  // 我的东西停在上海了
  const size_t begin = key.text.find("东西");
  const std::vector<Lexicon::EntryMatch> m =
      lexicon.MatchedEntries("{stuck}", key.text, begin, Norm());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].name, "stuck");
  EXPECT_EQ(m[0].entry, 0);
  EXPECT_EQ(key.text.substr(m[0].begin, m[0].end - m[0].begin), "东西停在");
  ASSERT_EQ(m[0].inner.size(), 2u);
  EXPECT_EQ(m[0].inner[0].name, "parcel");
  EXPECT_EQ(m[0].inner[0].entry, 2);  // 东西
  EXPECT_EQ(m[0].inner[1].name, "not_moving");
  EXPECT_EQ(m[0].inner[1].entry, 1);  // 停(在|了)
  EXPECT_EQ(key.text.substr(m[0].inner[1].begin,
                            m[0].inner[1].end - m[0].inner[1].begin),
            "停在");
}

TEST_F(LexiconTest, UsedConceptsAreMarkedThroughOtherConcepts) {
  ASSERT_THAT(Load({{"intents/zh/lexicon.yaml",
                     std::string(kLexicon) + "  spare: [多余]\n"}}),
              ::testing::IsEmpty());
  std::map<std::string, bool> used;
  for (const auto& c : pack_->locales[0].lexicon.concepts()) {
    used[c.name] = c.used;
  }
  EXPECT_EQ(used, (std::map<std::string, bool>{{"not_moving", true},
                                               {"parcel", true},
                                               {"spare", false},
                                               {"stuck", true}}));
}

}  // namespace
}  // namespace reply

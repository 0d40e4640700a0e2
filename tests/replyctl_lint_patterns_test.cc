// replyctl lint's pattern checks, on the fixture pack broken for each: a
// space no normalized message has, patterns that run on every message or
// repeat, concepts unused, empty or matching almost anything, and words the
// locale's abbreviations rewrite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/replyctl_lint_fixture.h"
#include "tests/replyctl_runner.h"

namespace reply {
namespace {

using ::testing::Contains;
using testing::CtlResult;
using ::testing::HasSubstr;
using ::testing::Not;

// Han text keeps no spaces once normalized, and no message has two in a
// row: such a \s can never match. Between Latin words, or optional, it can.
TEST_F(ReplyctlLintTest, PatternNeedingASpaceNoMessageHas) {
  std::string orders =
      testing::ReadFile(testing::FixtureDir() / "pack/intents/zh/orders.yaml");
  orders.replace(orders.find("    exclude:\n"), 0,
                 "      - 发货\\s+慢\n"      // 7
                 "      - ship\\s{2}free\n"  // 8
                 "      - 包邮\\s*吗\n"      // 9
                 "      - free\\sship\n");   // 10
  const CtlResult r = Lint({{"intents/zh/orders.yaml", orders}});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(
      lines, Contains("intents/zh/orders.yaml:7: error: pattern '发货\\s+慢' "
                      "of urge_shipment can never match: a message keeps one "
                      "space between two Latin words and none elsewhere "
                      "(\"发货 慢\" is matched as 发货慢), so this \\s needs a "
                      "space that is never there: drop it, or make it "
                      "optional (\\s?)"));
  EXPECT_THAT(r.out, HasSubstr("intents/zh/orders.yaml:8: error: pattern "
                               "'ship\\s{2}free' of urge_shipment can never "
                               "match"));
  EXPECT_EQ(lines.back(), "lint .: 2 errors, 0 warnings") << r.out;
}

TEST_F(ReplyctlLintTest, PatternsThatRunOnEveryMessageOrRepeat) {
  const CtlResult r =
      Lint({{"intents/zh/orders.yaml",
             "intents:\n"                                   // 1
             "  - id: urge_shipment\n"                      // 2
             "    patterns:\n"                              // 3
             "      - (还|怎么).{0,4}(没|不)(发货|发出)\n"  // 4
             "      - \\d{6,}\n"                            // 5
             "      - (還|怎麼).{0,4}(沒|不)(發貨|發出)\n"  // 6
             "    examples: [怎么还不发货]\n"               // 7
             "    counter_examples: [发什么快递]\n"         // 8
             "  - id: wrong_size\n"                         // 9
             "    patterns: [尺码小了]\n"                   // 10
             "    examples: [尺码小了]\n"                   // 11
             "    counter_examples: [尺码标准吗]\n"         // 12
             "  - id: notify_overdue\n"                     // 13
             "    trigger: status == \"paid\" and status == \"shipped\"\n"}});
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:5: error: pattern "
                              "'\\d{6,}' of urge_shipment runs on every "
                              "message: give it literal text, or split an "
                              "alternation of unrelated branches into "
                              "separate patterns"));
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:6: warning: pattern "
                              "'(還|怎麼).{0,4}(沒|不)(發貨|發出)' of "
                              "urge_shipment is the same, once folded, as "
                              "the one at intents/zh/orders.yaml:4"));
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:13: error: intent "
                              "'notify_overdue': its trigger (status == "
                              "\"paid\" and status == \"shipped\") can never "
                              "be true"));
  EXPECT_EQ(lines.back(), "lint .: 2 errors, 1 warning");
}

// Concepts: one no pattern uses (warning), one with an entry that matches
// the empty string (error), one that matches most of the locale's examples
// and counter-examples (warning).
TEST_F(ReplyctlLintTest, ConceptsUnusedEmptyOrMatchingAlmostAnything) {
  std::string orders =
      testing::ReadFile(testing::FixtureDir() / "pack/intents/zh/orders.yaml");
  orders.replace(orders.find("    exclude:\n"), 0,
                 "      - '{parcel}{maybe}催'\n"
                 "      - '{common}没发货'\n");
  std::string counters;
  for (int i = 0; i < 20; ++i) {
    counters += "      - 好的" + std::to_string(i) + "\n";
  }
  orders.replace(orders.find("      - 发什么快递\n"), 0, counters);
  const CtlResult r = Lint({{"intents/zh/orders.yaml", orders},
                            {"intents/zh/lexicon.yaml",
                             "concepts:\n"                   // 1
                             "  parcel: [快递, 包裹]\n"      // 2
                             "  spare: [多余的词]\n"         // 3
                             "  maybe: ['(发货)?', 快点]\n"  // 4
                             "  common: [的, 了]\n"}});      // 5
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto lines = Lines(r.out);
  EXPECT_THAT(lines, Contains("intents/zh/lexicon.yaml:3: warning: concept "
                              "'spare' is used by no pattern of zh: remove "
                              "it, or use it as {spare}"));
  EXPECT_THAT(lines, Contains("intents/zh/lexicon.yaml:4: error: concept "
                              "'maybe': entry '(发货)?' matches the empty "
                              "string, so {maybe} matches anywhere: make every "
                              "entry match at least one character, and write "
                              "{maybe}? where the concept is optional"));
  EXPECT_THAT(
      lines,
      Contains(::testing::StartsWith(
          "intents/zh/lexicon.yaml:5: warning: concept "
          "'common' matches almost any message: 22 of the 27 examples and "
          "counter-examples of zh (81%); a pattern that leans "
          "on it says little: narrow its entries")));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("concept 'parcel'")));
}

// A pattern word the locale's abbreviations write out in every message.
TEST_F(ReplyctlLintTest, PatternWordsThatAbbreviationsRewrite) {
  std::string orders =
      testing::ReadFile(testing::FixtureDir() / "pack/intents/zh/orders.yaml");
  orders.replace(orders.find("    exclude:\n"), 0,
                 "      - (fh|发货)了(吗|没)\n");
  const CtlResult r = Lint({{"intents/zh/orders.yaml", orders},
                            {"intents/zh/abbreviations.yaml",
                             "abbreviations:\n"
                             "  发货: [fh]\n"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(Lines(r.out),
              Contains("intents/zh/orders.yaml:7: warning: pattern "
                       "'(fh|发货)了(吗|没)' of urge_shipment: the word 'fh' "
                       "never reaches a pattern, since every message has it "
                       "written out as '发货' "
                       "(intents/zh/abbreviations.yaml:2): write '发货'"));
}

// A Cantonese spelling in a pattern: the dialect table writes it as its
// Mandarin word in every message that has it.
TEST_F(ReplyctlLintTest, PatternSpellingsThatTheDialectTableRewrites) {
  std::string orders =
      testing::ReadFile(testing::FixtureDir() / "pack/intents/zh/orders.yaml");
  orders.replace(orders.find("    exclude:\n"), 0,
                 "      - (冇|没有|唔|唔该)发货\n");
  const CtlResult r = Lint({{"intents/zh/orders.yaml", orders},
                            {"intents/zh/cantonese.yaml",
                             "dialect:\n"
                             "  没有: [冇]\n"
                             "  不: [唔]\n"
                             "  谢谢: [唔該]\n"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string pattern =
      "intents/zh/orders.yaml:7: warning: pattern '(冇|没有|唔|唔该)发货' of "
      "urge_shipment: ";
  EXPECT_THAT(
      Lines(r.out),
      Contains(pattern + "'冇' never reaches a pattern, since every message "
                         "with it has it written as '没有' "
                         "(intents/zh/cantonese.yaml:2): write '没有'"));
  EXPECT_THAT(
      Lines(r.out),
      Contains(pattern + "'唔該' never reaches a pattern, since every message "
                         "with it has it written as '谢谢' "
                         "(intents/zh/cantonese.yaml:4): write '谢谢'"));
  // 唔 is inside 唔该: named once, by the longer spelling.
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("'唔' never")));
}

}  // namespace
}  // namespace reply

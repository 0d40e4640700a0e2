// replyctl lint, run as the real binary: clean packs pass; every loader
// error kind is reported at once, each as file:line; labels, placeholders,
// style, shops and several packs are checked; only errors fail the run.
// Patterns: replyctl_lint_patterns_test.cc; unreachable variants:
// replyctl_lint_reachability_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/replyctl_lint_fixture.h"
#include "tests/replyctl_runner.h"

namespace reply {
namespace {

using ::testing::Contains;
using testing::CtlResult;
using testing::FixturePackWith;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunReplyctl;

TEST_F(ReplyctlLintTest, CleanPacksPass) {
  CtlResult r = RunReplyctl({"lint"}, testing::FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "lint .: 0 errors, 0 warnings\n");

  r = RunReplyctl({"lint", "--packs", testing::SourceDir().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(": 0 errors, "));
}

TEST_F(ReplyctlLintTest, EveryLoaderErrorAtOnceWithFileAndLine) {
  const CtlResult r = Lint(
      {{"intents/zh/orders.yaml",
        "intents:\n"                            // 1
        "  - id: urge_shipment\n"               // 2
        "    priority: 50\n"                    // 3
        "    patterns:\n"                       // 4
        "      - (还|怎么.{0,4}发货\n"          // 5
        "    examples: [怎么还不发货]\n"        // 6
        "    counter_examples: [发什么快递]\n"  // 7
        "  - id: urge_shipment\n"               // 8
        "    patterns: [催发货]\n"              // 9
        "    examples: [催发货]\n"              // 10
        "    counter_examples: [发票]\n"        // 11
        "  - id: wrong_size\n"                  // 12
        "    patterns: [尺码小了]\n"            // 13
        "    counter_examples: [尺码标准吗]\n"  // 14
        "  - id: notify_overdue\n"              // 15
        "    trigger: status == \"paid\" and overdue\n"},
       {"templates/zh/urge_shipment.yaml",
        "intent: urge_shipment\n"                                      // 1
        "variants:\n"                                                  // 2
        "  - id: no_order\n"                                           // 3
        "    when: not has_order\n"                                    // 4
        "    text: 亲，麻烦您把订单号发给我，我马上帮您查一下。\n"     // 5
        "  - id: paid\n"                                               // 6
        "    when: status == \"paid\" and overdu\n"                    // 7
        "    text: 亲，您的订单会在{{facts.ship_dead}}前发出。\n"      // 8
        "  - id: shipped\n"                                            // 9
        "    when: status == \"shipped\"\n"                            // 10
        "    text: 亲，您的订单会在{{facts.ship_dead}}前发出。\n"}});  // 11
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines,
              Contains("intents/zh/orders.yaml:5: error: pattern "
                       "'(还|怎么.{0,4}发货': missing ): (还|怎么.{0,4}发货"));
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:8: error: duplicate "
                              "intent id 'urge_shipment' (first defined at "
                              "intents/zh/orders.yaml:2)"));
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:12: error: intent "
                              "'wrong_size' has no examples: list messages it "
                              "must match"));
  EXPECT_THAT(lines, Contains("templates/zh/urge_shipment.yaml:7: error: when: "
                              "column 22: unknown fact 'overdu' (did you mean "
                              "'overdue'?)"));
  EXPECT_THAT(lines, Contains("templates/zh/urge_shipment.yaml:11: error: "
                              "text: line 1: unknown placeholder "
                              "'facts.ship_dead'; docs/authoring.md lists "
                              "them"));
  EXPECT_EQ(lines.back(), "lint .: 5 errors, 0 warnings");
}

// Once a locale labels anything, every intent and variant left without a
// label is a warning at its own line (the console would show its id).
TEST_F(ReplyctlLintTest, MissingLabelsOnceALocaleLabels) {
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml",
             WrongSizeTemplates(
                 "  - id: with_order\n"         // 6
                 "    label: 有订单：改尺码\n"  // 7
                 "    when: has_order\n"        // 8
                 "    text: 亲，这笔订单可以为您改成合适的尺码。\n")}});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines, Contains("templates/zh/wrong_size.yaml:3: warning: "
                              "wrong_size.no_order has no label: the console "
                              "shows its id; add label: saying when it is the "
                              "reply"));
  EXPECT_THAT(lines, Contains("intents/zh/orders.yaml:2: warning: intent "
                              "'urge_shipment' has no label: the console "
                              "shows its id; add label: with what an agent "
                              "calls it"));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("with_order has no label")));
  }
}

TEST_F(ReplyctlLintTest, PlaceholderTheWhenDoesNotGuarantee) {
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml",
             WrongSizeTemplates(
                 "  - id: any\n"  // 6
                 "    text: 亲，订单{{order.id}}还没有发出，可以直接"
                 "为您改尺码。\n"     // 7
                 "  - id: guarded\n"  // 8
                 "    text: 亲，{{#order.id}}订单{{order.id}}{{/"
                 "order.id}}可以为您改尺码。\n"  // 9
                 "  - id: with_order\n"          // 10
                 "    when: has_order\n"         // 11
                 "    text: 亲，订单{{order.id}}可以为您改尺码。\n")}});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(
      lines,
      Contains("templates/zh/wrong_size.yaml:6: warning: wrong_size.any: "
               "quotes {{order.id}}, which its when (none) does not "
               "guarantee: without an order the when holds but "
               "{{order.id}} has no value, so the reply is skipped in "
               "silence; add has_order to its when, or quote it inside "
               "{{#order.id}}...{{/order.id}}"));
  EXPECT_EQ(lines.back(), "lint .: 0 errors, 1 warning") << r.out;
}

TEST_F(ReplyctlLintTest, CodeOperatorsGetTheWordsToWrite) {
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml",
             WrongSizeTemplates(
                 "  - id: paid\n"                               // 6
                 "    when: status == \"paid\" && has_order\n"  // 7
                 "    text: 亲，您的订单还没有发出，可以直接为您改尺码。\n")}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(Lines(r.out),
              Contains("templates/zh/wrong_size.yaml:7: error: when: column "
                       "18: '&&' is not an operator; write 'and'"));
}

// yaml-cpp notices an unclosed [ lines later; the error names the line
// that opened it, and the intent of the unreadable file is not also said to
// have no replies.
TEST_F(ReplyctlLintTest, YamlSyntaxErrorAtItsLineWithoutAFollowOnError) {
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml",
             WrongSizeTemplates("  - id: paid\n"                         // 6
                                "    when: [status == \"paid\"\n"        // 7
                                "    text: 亲，您的订单还没有发出。\n"   // 8
                                "  - id: other\n"                        // 9
                                "    text: 亲，可以为您换尺码。\n")}});  // 10
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_THAT(lines[0], ::testing::StartsWith(
                            "templates/zh/wrong_size.yaml:7: error: YAML: "));
  EXPECT_THAT(lines[0],
              ::testing::EndsWith(": this [ is never closed; add the ]"));
  EXPECT_EQ(lines[1], "lint .: 1 error, 0 warnings");
}

TEST_F(ReplyctlLintTest, IntentWithoutTemplates) {
  const CtlResult r = Lint({{"templates/zh/notify_overdue.yaml", ""}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(Lines(r.out),
              Contains("intents/zh/orders.yaml:30: error: intent "
                       "'notify_overdue' has no reply variants in "
                       "templates/zh"));
}

TEST_F(ReplyctlLintTest, StyleRuleViolation) {
  const CtlResult r = Lint(
      {{"templates/zh/wrong_size.yaml",
        WrongSizeTemplates("  - id: paid\n"                            // 6
                           "    when: status == \"paid\"\n"            // 7
                           "    text: |-\n"                            // 8
                           "      亲，您的订单还没有发出哦。\n"        // 9
                           "      可以直接为您改尺码啦，请您放心。\n"  // 10
                           )}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("templates/zh/wrong_size.yaml:10: error: "
                               "wrong_size.paid: [final_particle]"));
}

TEST_F(ReplyctlLintTest, SeveralPacksEachNamedWithTheirFiles) {
  dir_ = FixturePackWith({{"templates/zh/notify_overdue.yaml", ""}});
  const CtlResult r = RunReplyctl(
      {"lint", (testing::FixtureDir() / "pack").string(), dir_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr(": 0 errors, 0 warnings\n"));
  EXPECT_THAT(r.out, HasSubstr((dir_ / "intents/zh/orders.yaml").string() +
                               ":30: error: intent 'notify_overdue'"));
}

// shops/<id>.yaml: each problem at its line; a clean shop file lints clean
// and `--shop` answers with its policy and texts.
TEST_F(ReplyctlLintTest, ShopFilesAreCheckedAtTheirLines) {
  const CtlResult r = Lint({{"shops/lin.yaml",
                             "policy:\n"                             // 1
                             "  promise_ship_hourz: 24\n"            // 2
                             "  return_window_days: 0\n"             // 3
                             "replies:\n"                            // 4
                             "  zh:\n"                               // 5
                             "    - id: urge_shipment.no_ordr\n"     // 6
                             "      text: 亲\n"                      // 7
                             "    - id: urge_shipment.overdue\n"     // 8
                             "      text: 亲{{order.trackingno}}\n"  // 9
                             "  fr:\n"                               // 10
                             "    - id: x.y\n"},                     // 11
                            {"shops/Bad-Name.yaml", "policy:\n  name: x\n"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("shops/lin.yaml:2: error: unknown key "
                               "'promise_ship_hourz' in the shop policy "
                               "(did you mean 'promise_ship_hours'?)"));
  EXPECT_THAT(r.out, HasSubstr("shops/lin.yaml:3: error: "));
  EXPECT_THAT(r.out, HasSubstr("shops/lin.yaml:6: error: id: no variant "
                               "'urge_shipment.no_ordr' in templates/zh"));
  EXPECT_THAT(r.out, HasSubstr("shops/lin.yaml:9: error: text: "));
  EXPECT_THAT(r.out, HasSubstr("shops/lin.yaml:10: error: replies: no "
                               "locale 'fr' in the packs"));
  EXPECT_THAT(r.out, HasSubstr("shops/Bad-Name.yaml: error: shop id "
                               "'Bad-Name' (the file's name) must be "
                               "lower_snake_case"));
}

TEST_F(ReplyctlLintTest, ACleanShopFileLintsCleanAndSuggestAnswersAsIt) {
  const CtlResult lint = Lint({{"shops/lin.yaml",
                                "policy:\n  name: 林记\nreplies:\n  zh:\n"
                                "    - id: urge_shipment.no_order\n"
                                "      text: 林记：请把订单号发给我。\n"}});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  const CtlResult lin =
      RunReplyctl({"suggest", "怎么还不发货", "--shop", "lin"}, dir_);
  EXPECT_EQ(lin.exit_code, 0) << lin.out << lin.err;
  EXPECT_THAT(lin.out, HasSubstr("林记：请把订单号发给我。"));
  const CtlResult plain = RunReplyctl({"suggest", "怎么还不发货"}, dir_);
  EXPECT_THAT(plain.out, Not(HasSubstr("林记")));
  const CtlResult unknown =
      RunReplyctl({"suggest", "怎么还不发货", "--shop", "zhou"}, dir_);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.out, HasSubstr("bad_request: shop: no shop 'zhou'"));
}

// A stray comma after a list hung replyctl lint (yaml-cpp's parser looped
// on it, allocating, until memory ran out; found by fuzz/pack_fuzzer.cc).
TEST_F(ReplyctlLintTest, StrayCommaIsReportedNotAHang) {
  const CtlResult r = Lint({{"intents/zh/stray.yaml", "- x\n,\n"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("intents/zh/stray.yaml:2: error: YAML: ',' at column "
                        "1 belongs to no list or mapping"));
}

TEST_F(ReplyctlLintTest, NotAPackDirectory) {
  const CtlResult r = RunReplyctl({"lint", "/nonexistent/pack"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/pack is not a pack directory"));
  EXPECT_THAT(r.err, HasSubstr("--packs DIR or REPLY_PACKS=DIR"));
}

}  // namespace
}  // namespace reply

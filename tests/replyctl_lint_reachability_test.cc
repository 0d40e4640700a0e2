// replyctl lint's reachability checks, on the fixture pack broken for each:
// a variant whose `when` can never hold, a fallback shadowed by a variant
// that always fills (and none by one that may not), a variant beyond the
// number offered by default.
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

TEST_F(ReplyctlLintTest, VariantWhoseWhenCanNeverBeTrue) {
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml",
             WrongSizeTemplates("  - id: impossible\n"  // 6
                                "    when: not has_order and status == "
                                "\"paid\"\n"  // 7
                                "    text: "
                                "亲，您的订单还没有发出，可以直接为您改尺码。"
                                "\n"                       // 8
                                "  - id: contradiction\n"  // 9
                                "    when: hours_since_paid > 48 and "
                                "hours_since_paid < 24\n"  // 10
                                "    text: "
                                "亲，您的订单还没有发出，可以直接为您改尺码。"
                                "\n"              // 11
                                "  - id: fine\n"  // 12
                                "    when: hours_since_paid > 24 and "
                                "hours_since_paid < 48\n"  // 13
                                "    text: "
                                "亲，您的订单还没有发出，可以直接为您改尺码。"
                                "\n")}});  // 14
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines,
              Contains("templates/zh/wrong_size.yaml:6: error: "
                       "wrong_size.impossible: never offered: its when (not "
                       "has_order and status == \"paid\") can never be true"));
  EXPECT_THAT(lines, Contains("templates/zh/wrong_size.yaml:9: error: "
                              "wrong_size.contradiction: never offered: its "
                              "when (hours_since_paid > 48 and "
                              "hours_since_paid < 24) can never be true"));
  EXPECT_EQ(lines.back(), "lint .: 2 errors, 0 warnings");
}

TEST_F(ReplyctlLintTest, FallbackShadowedByAVariantThatAlwaysFills) {
  const CtlResult r = Lint(
      {{"templates/zh/wrong_size.yaml",
        WrongSizeTemplates(
            "  - id: any_order\n"                                       // 6
            "    when: has_order\n"                                     // 7
            "    text: 亲，我先帮您查一下订单，再为您安排换尺码。\n"    // 8
            "  - id: check_order\n"                                     // 9
            "    when: status in [\"paid\", \"shipped\"]\n"             // 10
            "    fallback: true\n"                                      // 11
            "    text: 亲，我先帮您查一下订单，再为您安排换尺码哦。\n"  // 12
            "  - id: paid_only\n"                                       // 13
            "    when: status == \"paid\"\n"                            // 14
            "    fallback: true\n"                                      // 15
            "    text: 亲，您的订单是{{order.id}}，我先帮您查一下。\n"  // 16
            )}});
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines, Contains("templates/zh/wrong_size.yaml:9: error: "
                              "wrong_size.check_order: fallback never "
                              "offered: whenever its when holds, "
                              "wrong_size.any_order (which always fill) hold "
                              "too and are offered instead"));
  EXPECT_THAT(lines, Contains(HasSubstr("wrong_size.yaml:13: error: "
                                        "wrong_size.paid_only: fallback never "
                                        "offered")));
}

// A variant quoting the order may not fill, so it shadows nothing: the
// fallback after it stays reachable.
TEST_F(ReplyctlLintTest, VariantsThatMayNotFillShadowNothing) {
  const CtlResult r = Lint(
      {{"templates/zh/wrong_size.yaml",
        WrongSizeTemplates(
            "  - id: any_order\n"                                          // 6
            "    when: has_order\n"                                        // 7
            "    text: 亲，您的订单是{{order.id}}，我先帮您查一下。\n"     // 8
            "  - id: check_order\n"                                        // 9
            "    when: has_order\n"                                        // 10
            "    fallback: true\n"                                         // 11
            "    text: 亲，我先帮您查一下订单，再为您安排换尺码。\n")}});  // 12
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Lines(r.out).back(), "lint .: 0 errors, 0 warnings");
}

TEST_F(ReplyctlLintTest, VariantBeyondTheDefaultCountIsAWarning) {
  std::string variants;
  for (const char* id : {"a", "b", "c", "d"}) {
    variants += std::string("  - id: ") + id +
                "\n    when: has_order\n    text: "
                "亲，我先帮您查一下订单，再为您安排换尺码。\n";
  }
  const CtlResult r =
      Lint({{"templates/zh/wrong_size.yaml", WrongSizeTemplates(variants)}});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_THAT(lines, Contains("templates/zh/wrong_size.yaml:15: warning: "
                              "wrong_size.d: offered only to requests asking "
                              "for more than 3 suggestions (the default is "
                              "3): whenever its when holds, wrong_size.a, "
                              "wrong_size.b, wrong_size.c rank above it and "
                              "are offered first"));
  EXPECT_EQ(lines.back(), "lint .: 0 errors, 1 warning");
}

}  // namespace
}  // namespace reply

// replyctl, run as the real binary, on the inputs that used to kill it: a
// pack file with a mistyped key (YAML::InvalidNode escaped the loader and
// aborted lint and suggest), a `when` nested 20,000 and 100,000 deep and a
// YAML file nested 100,000 deep (stack overflow), a number out of range in
// a JSON request (nlohmann's out_of_range escaped `suggest --jsonl`), a
// message that is not UTF-8, and a scenario file of the wrong shape. Each
// now exits with its code and a message naming file:line or the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/replyctl_runner.h"

namespace reply {
namespace {

// {a: {a: ... x}} nested `depth` deep.
std::string DeepMap(int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += "{a: ";
  return out + "x" + std::string(depth, '}');
}

using testing::CtlResult;
using testing::FixtureDir;
using testing::FixturePackWith;
using ::testing::HasSubstr;
using testing::RunReplyctl;

std::string Fixture(const std::string& path) {
  return testing::ReadFile(FixtureDir() / "pack" / path);
}

class ReplyctlBadInputTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir);
  }

  // The fixture pack with `changes`, removed after the test.
  std::filesystem::path Pack(
      const std::map<std::string, std::string>& changes) {
    dirs_.push_back(FixturePackWith(changes));
    return dirs_.back();
  }

  std::vector<std::filesystem::path> dirs_;
};

// replyctl exited by itself (no abort, no signal) with `code`.
void ExpectExit(const CtlResult& r, int code) {
  EXPECT_EQ(r.exit_code, code) << "stdout:\n"
                               << r.out.substr(0, 2000) << "\nstderr:\n"
                               << r.err.substr(0, 2000);
}

// Run outside any pack (a new user in their home directory): one line that
// says how to point at one, for every command that reads packs.
TEST_F(ReplyctlBadInputTest, OutsideAPackDirectorySaysHowToPointAtOne) {
  const std::filesystem::path empty = testing::MakeTempDir("not-a-pack");
  dirs_.push_back(empty);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"suggest", "在吗"}, {"lint"}, {"test"}, {"explain", "在吗"}}) {
    const CtlResult r = RunReplyctl(args, empty);
    EXPECT_NE(r.exit_code, 0) << args[0];
    EXPECT_THAT(r.err, HasSubstr(" is not a pack directory (it has neither "
                                 "shop.yaml nor intents/); run replyctl "
                                 "inside one, or point at one with --packs "
                                 "DIR or REPLY_PACKS=DIR"))
        << args[0] << ": " << r.err;
    EXPECT_THAT(r.err, ::testing::Not(HasSubstr("no locale directories")))
        << args[0];
  }
  // Pointed at one, it works from anywhere.
  const CtlResult ok = RunReplyctl(
      {"suggest", "在吗", "--packs", (FixtureDir() / "pack").string()}, empty);
  ExpectExit(ok, 0);
}

TEST_F(ReplyctlBadInputTest, MistypedTopLevelKeyIsReportedNotAnAbort) {
  std::string intents = Fixture("intents/zh/orders.yaml");
  ASSERT_EQ(intents.rfind("intents:\n", 0), 0u);
  intents.replace(0, 8, "intent:");
  const std::filesystem::path pack =
      Pack({{"intents/zh/orders.yaml", intents}});
  const std::string where = "intents/zh/orders.yaml:1: ";
  const std::string issue =
      "unknown key 'intent' in an intents file (did you mean 'intents'?)";

  CtlResult r = RunReplyctl({"lint"}, pack);
  ExpectExit(r, 1);
  EXPECT_THAT(r.out, HasSubstr(where + "error: " + issue));

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"suggest", "怎么还不发货"},
                                             {"suggest", "--jsonl"},
                                             {"explain", "怎么还不发货"},
                                             {"test"}}) {
    r = RunReplyctl(args, pack, "{\"message\": \"怎么还不发货\"}\n");
    ExpectExit(r, 2);
    EXPECT_THAT(r.err, HasSubstr(where + issue)) << args[0];
  }
}

TEST_F(ReplyctlBadInputTest, DeeplyNestedWhenIsALintErrorAtItsLine) {
  const std::string templates = Fixture("templates/zh/urge_shipment.yaml");
  const std::string when = "status == \"paid\" and not overdue";
  ASSERT_NE(templates.find(when), std::string::npos);
  for (int depth : {20000, 100000}) {
    std::string t = templates;
    t.replace(t.find(when), when.size(),
              std::string(depth, '(') + "overdue" + std::string(depth, ')'));
    const std::filesystem::path pack =
        Pack({{"templates/zh/urge_shipment.yaml", t}});
    const std::string issue =
        "templates/zh/urge_shipment.yaml:8: error: when: column 51: nested "
        "more than 50 levels deep (parentheses and 'not'): write it flatter, "
        "or split the variant";
    CtlResult r = RunReplyctl({"lint"}, pack);
    ExpectExit(r, 1);
    EXPECT_THAT(r.out, HasSubstr(issue)) << depth;
    r = RunReplyctl({"suggest", "怎么还不发货"}, pack);
    ExpectExit(r, 2);
    EXPECT_THAT(r.err, HasSubstr("urge_shipment.yaml:8: when: column 51: "
                                 "nested more than 50 levels deep"))
        << depth;
  }
}

TEST_F(ReplyctlBadInputTest, DeeplyNestedYamlIsALintError) {
  for (const std::string& value :
       {std::string(100000, '[') + std::string(100000, ']'), DeepMap(100000)}) {
    const std::filesystem::path pack =
        Pack({{"intents/zh/deep.yaml", "intents: " + value + "\n"}});
    const CtlResult r = RunReplyctl({"lint"}, pack);
    ExpectExit(r, 1);
    EXPECT_THAT(r.out,
                HasSubstr("intents/zh/deep.yaml:1: error: nested 500 levels "
                          "deep, past yaml-cpp's limit"));
  }
}

TEST_F(ReplyctlBadInputTest, JsonlAnswersOutOfRangeNumbersAndGoesOn) {
  const std::string good =
      R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00"})";
  const CtlResult r = RunReplyctl(
      {"suggest", "--jsonl"}, FixtureDir() / "pack",
      good + "\n" + R"({"message": "x", "order": {"amount": 1e400}})" + "\n" +
          R"({"message": "x", "max": 1e300})" + "\n" +
          R"({"message": "x", "max": 99999999999999999999999})" + "\n" +
          R"({"message": "x", "order": {"items": [{"quantity": -1e999}]}})" +
          "\n" + good + "\n");
  ExpectExit(r, 0);
  std::vector<nlohmann::json> lines;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    lines.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(lines.size(), 6u) << r.out;
  const auto error = [&](size_t i) {
    return lines[i]["error"]["code"].get<std::string>() + ": " +
           lines[i]["error"]["message"].get<std::string>();
  };
  EXPECT_FALSE(lines[0].contains("error"));
  EXPECT_EQ(error(1),
            "bad_request: order.amount: 1e400 is out of range for a number");
  EXPECT_EQ(error(2), "bad_request: max: expected an integer");
  EXPECT_EQ(error(3), "bad_request: max: expected an integer");
  EXPECT_EQ(error(4),
            "bad_request: order.items[0].quantity: -1e999 is out of range for "
            "a number");
  EXPECT_EQ(lines[5], lines[0]);
}

TEST_F(ReplyctlBadInputTest, OrderFileWithAnOutOfRangeNumber) {
  const std::filesystem::path pack =
      Pack({{"order.json", R"({"status": "paid", "amount": 1e400})"}});
  const CtlResult r =
      RunReplyctl({"suggest", "怎么还不发货", "--order", "order.json"}, pack);
  ExpectExit(r, 2);
  EXPECT_EQ(r.err,
            "order.json: order.amount: 1e400 is out of range for a number\n");
}

// A message from the command line that is not UTF-8 used to throw from
// nlohmann's dump(); it is refused like any bad request.
TEST_F(ReplyctlBadInputTest, MessageThatIsNotUtf8IsABadRequest) {
  const CtlResult r =
      RunReplyctl({"suggest", "怎么\xff"}, FixtureDir() / "pack");
  ExpectExit(r, 1);
  EXPECT_EQ(r.out, "error: bad_request: message: invalid UTF-8 at byte 6\n");
}

// A scenario file of the wrong shape: every problem at once, each at its
// line, and the run goes on to the other files.
TEST_F(ReplyctlBadInputTest, ScenarioFileOfTheWrongShape) {
  const std::filesystem::path pack =
      Pack({{"tests/scenarios/broken.yaml",
             "scenarios:\n"                              // 1
             "  - name: order as text\n"                 // 2
             "    message: 怎么还不发货\n"               // 3
             "    now: \"2026-11-21T10:00:00+08:00\"\n"  // 4
             "    order: paid\n"                         // 5
             "    expect: {intents: [urge_shipment]}\n"  // 6
             "  - name: expect as a list\n"              // 7
             "    message: 怎么还不发货\n"               // 8
             "    now: \"2026-11-21T10:00:00+08:00\"\n"  // 9
             "    expect: [urge_shipment]\n"             // 10
             "  - just text\n"                           // 11
             "  - name: no now, amount out of range\n"   // 12
             "    message: 怎么还不发货\n"               // 13
             "    order: {amount: 1e400, items: [{quantity: "
             "99999999999999999999}]}\n"
             "    expect: {first_template: [a, b]}\n"  // 15
             "  - name: still runs\n"                  // 16
             "    message: 怎么还不发货\n"
             "    now: \"2026-11-21T10:00:00+08:00\"\n"
             "    expect: {intents: [urge_shipment]}\n"}});
  // --verbose: the passing cases are listed too.
  const CtlResult r = RunReplyctl({"test", "--verbose"}, pack);
  ExpectExit(r, 1);
  for (const char* issue :
       {"tests/scenarios/broken.yaml:5: 'order' must be a mapping: the "
        "order's fields (docs/orders.md); found text",
        "tests/scenarios/broken.yaml:10: 'expect' must be a mapping: what the "
        "reply must be; found a list",
        "tests/scenarios/broken.yaml:11: a scenario must be a mapping (key: "
        "value), not text",
        "tests/scenarios/broken.yaml:12: every scenario pins 'now'",
        "tests/scenarios/broken.yaml:14: order.amount: 1e400 is out of range "
        "for a number",
        "tests/scenarios/broken.yaml:15: 'first_template' must be text, not a "
        "list"}) {
    EXPECT_THAT(r.out, HasSubstr(issue));
  }
  // The file's good scenario still ran, and so did the other file.
  EXPECT_THAT(r.out,
              HasSubstr("ok   tests/scenarios/broken.yaml:16: still runs"));
  EXPECT_THAT(r.out,
              ::testing::ContainsRegex("\n[1-9][0-9]* passed, 1 failed\n$"));
}

}  // namespace
}  // namespace reply

// replyctl test, run as the real binary: the fixture and bundled packs pass;
// a failing example, counter-example, scenario and an unexercised variant
// are each reported at their file:line with what was expected and what came
// back; the summary line and exit codes; --junit writes well-formed JUnit
// XML (parsed with expat) that counts the same.
#include <expat.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tests/replyctl_runner.h"

namespace reply {
namespace {

using testing::CtlResult;
using testing::FixtureDir;
using testing::FixturePackWith;
using ::testing::HasSubstr;
using testing::RunReplyctl;
using ::testing::StartsWith;

std::filesystem::path FixturePack() { return FixtureDir() / "pack"; }

class ReplyctlTestTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(ReplyctlTestTest, FixturePackPasses) {
  const CtlResult r = RunReplyctl({"test"}, FixturePack());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "15 passed, 0 failed\n");
  // -v lists every case, at the path an editor opens from here.
  const CtlResult verbose = RunReplyctl({"test", "-v"}, FixturePack());
  EXPECT_THAT(
      verbose.out,
      HasSubstr("ok   tests/scenarios/fixture.yaml:2: no order, urge\n"));
  EXPECT_THAT(verbose.out,
              HasSubstr("ok   intents/zh/orders.yaml:11: urge_shipment example "
                        "\"怎麼還沒發貨\"\n"));
}

TEST_F(ReplyctlTestTest, BundledPacksPass) {
  const CtlResult r = RunReplyctl({"test"}, testing::SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("^[0-9]+ passed, 0 failed\n$")))
      << r.out;
}

TEST_F(ReplyctlTestTest, FailingExampleAndCounterExample) {
  std::string intents =
      testing::ReadFile(FixturePack() / "intents/zh/orders.yaml");
  intents.replace(intents.find("      - 怎麼還沒發貨\n"), 0,
                  "      - 发货太慢了\n");
  intents.replace(intents.find("      - 发什么快递\n"), 0,
                  "      - 还没发货吗\n");
  dir_ = FixturePackWith({{"intents/zh/orders.yaml", intents}});
  const CtlResult r = RunReplyctl({"test"}, dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("FAIL intents/zh/orders.yaml:11: urge_shipment "
                               "example \"发货太慢了\"\n"
                               "     expected intent urge_shipment, got [] "
                               "(normalized \"发货太慢了\")\n"));
  EXPECT_THAT(r.out,
              HasSubstr("FAIL intents/zh/orders.yaml:15: urge_shipment "
                        "counter-example \"还没发货吗\"\n"
                        "     expected not urge_shipment, got [urge_shipment] "
                        "(urge_shipment by the pattern at "
                        "intents/zh/orders.yaml:6)\n"));
  EXPECT_THAT(r.out, HasSubstr("\n15 passed, 2 failed\n"));
}

TEST_F(ReplyctlTestTest, FailingScenarioSaysWhatWasExpectedAndWhatCameBack) {
  const CtlResult r =
      RunReplyctl({"test", "../failing_scenarios.yaml"}, FixturePack());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "note: 6 variants are offered by none of these scenarios (the "
            "whole set, or --coverage, requires every one)\n"
            "FAIL ../failing_scenarios.yaml:3: wrong expectations\n"
            "     expected intents [wrong_size], got [urge_shipment]\n"
            "     expected first template urge_shipment.overdue, got "
            "urge_shipment.no_order\n"
            "8 passed, 1 failed\n");
}

TEST_F(ReplyctlTestTest, VariantNoScenarioOffersFailsTheWholeSet) {
  std::string scenarios =
      testing::ReadFile(FixturePack() / "tests/scenarios/fixture.yaml");
  scenarios.erase(scenarios.find("  - name: size after delivery"),
                  scenarios.find("  - name: overdue notice") -
                      scenarios.find("  - name: size after delivery"));
  dir_ = FixturePackWith({{"tests/scenarios/fixture.yaml", scenarios}});
  CtlResult r = RunReplyctl({"test"}, dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out,
              HasSubstr("FAIL templates/zh/wrong_size.yaml:11: "
                        "wrong_size.check_order (zh)\n"
                        "     no scenario offers this variant: add one that "
                        "does\n"));
  // Named files cover only part of the packs: a note, unless --coverage.
  r = RunReplyctl({"test", "tests/scenarios/fixture.yaml"}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, StartsWith("note: 1 variants are offered by none"));
  r = RunReplyctl({"test", "--coverage", "tests/scenarios/fixture.yaml"}, dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("wrong_size.check_order (zh)"));
}

TEST_F(ReplyctlTestTest, BrokenScenarioFileIsAFailure) {
  dir_ = testing::MakeTempDir("ctl-scenarios");
  testing::WriteFile(dir_ / "bad.yaml",
                     "scenarios:\n  - name: x\n    message: 你好\n"
                     "    expect: {intents: []}\n");
  const CtlResult r =
      RunReplyctl({"test", (dir_ / "bad.yaml").string()}, FixturePack());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("bad.yaml:2: every scenario pins 'now'"));
  EXPECT_THAT(r.out, HasSubstr("7 passed, 1 failed\n"));
}

TEST_F(ReplyctlTestTest, PackThatDoesNotLoadIsAUsageError) {
  dir_ = FixturePackWith({{"templates/zh/notify_overdue.yaml", ""}});
  const CtlResult r = RunReplyctl({"test"}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("intents/zh/orders.yaml:30: intent "
                               "'notify_overdue' has no reply variants"));
}

// Counts what a JUnit file holds, parsing it with expat (which rejects any
// document that is not well-formed).
struct JUnitCounts {
  int testsuites = 0, testsuite = 0, testcase = 0, failure = 0;
  std::string declared_tests, declared_failures;
  std::vector<std::string> failure_files;
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* c = static_cast<JUnitCounts*>(data);
  const std::string element = name;
  std::map<std::string, std::string> a;
  for (int i = 0; attrs[i] != nullptr; i += 2) a[attrs[i]] = attrs[i + 1];
  if (element == "testsuites") {
    ++c->testsuites;
    c->declared_tests = a["tests"];
    c->declared_failures = a["failures"];
  } else if (element == "testsuite") {
    ++c->testsuite;
  } else if (element == "testcase") {
    ++c->testcase;
    c->failure_files.push_back(a["file"] + ":" + a["line"]);
  } else if (element == "failure") {
    ++c->failure;
  }
}

void OnEnd(void*, const XML_Char*) {}

TEST_F(ReplyctlTestTest, JUnitXmlIsWellFormedAndCountsTheCases) {
  dir_ = testing::MakeTempDir("ctl-junit");
  const std::filesystem::path xml = dir_ / "report.xml";
  const CtlResult r = RunReplyctl(
      {"test", "../failing_scenarios.yaml", "--junit", xml.string()},
      FixturePack());
  EXPECT_EQ(r.exit_code, 1);
  const std::string text = testing::ReadFile(xml);
  JUnitCounts counts;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &counts);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  const XML_Status status =
      XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1);
  EXPECT_EQ(status, XML_STATUS_OK)
      << XML_ErrorString(XML_GetErrorCode(parser)) << " at line "
      << XML_GetCurrentLineNumber(parser) << ":\n"
      << text;
  XML_ParserFree(parser);
  EXPECT_EQ(counts.testsuites, 1);
  EXPECT_EQ(counts.testsuite, 2);  // the intents file, the scenario file
  EXPECT_EQ(counts.testcase, 9);
  EXPECT_EQ(counts.failure, 1);
  EXPECT_EQ(counts.declared_tests, "9");
  EXPECT_EQ(counts.declared_failures, "1");
  EXPECT_THAT(counts.failure_files,
              ::testing::Contains("../failing_scenarios.yaml:3"));
}

}  // namespace
}  // namespace reply

// TestReport: the outcome of every case `replyctl test` ran (a scenario, an
// example, a counter-example, a variant's coverage), printed for people and
// written as JUnit XML for CI systems.
//
//   TestReport report;
//   report.Add({"tests/scenarios/zh_core.yaml", "overdue order",
//               "tests/scenarios/zh_core.yaml:12", {"expected ..., got ..."}});
//   report.Print(std::cout, /*verbose=*/false);  // failures, then
//                                                // "1 passed, 0 failed"
//   std::string xml = report.JUnitXml();
//
// JUnit XML: one <testsuite> per suite (a scenario file, an intents file's
// examples, coverage), in the order first seen; one <testcase> per case,
// with file and line attributes and a <failure> holding every failed
// expectation. Text is escaped and characters XML 1.0 forbids are replaced,
// so the file is always well-formed.
//
// Thread safety: a plain value; not for concurrent mutation.
#ifndef REPLY_TOOLS_REPLYCTL_TEST_REPORT_H_
#define REPLY_TOOLS_REPLYCTL_TEST_REPORT_H_

#include <ostream>
#include <string>
#include <vector>

namespace reply::ctl {

struct TestCase {
  std::string suite;  // "tests/scenarios/zh_core.yaml"
  std::string name;   // the scenario's name, "example 怎么还不发货"...
  std::string where;  // "file:line" of the case
  std::vector<std::string> failures;  // empty: passed
};

class TestReport {
 public:
  void Add(TestCase c) { cases_.push_back(std::move(c)); }

  int passed() const;
  int failed() const;

  // Each failure as "FAIL where: name" and its expectations indented (every
  // case with -v), then the summary line "N passed, N failed".
  void Print(std::ostream& out, bool verbose) const;

  std::string JUnitXml() const;

 private:
  std::vector<TestCase> cases_;
};

}  // namespace reply::ctl

#endif  // REPLY_TOOLS_REPLYCTL_TEST_REPORT_H_

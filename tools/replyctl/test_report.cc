#include "tools/replyctl/test_report.h"

#include <algorithm>
#include <map>

#include "tools/markup_escape.h"

namespace reply::ctl {
namespace {

// "file:line" -> {"file", "line"}; the line is empty when there is none.
std::pair<std::string, std::string> SplitWhere(const std::string& where) {
  const size_t colon = where.rfind(':');
  if (colon == std::string::npos || colon + 1 == where.size() ||
      !std::all_of(where.begin() + colon + 1, where.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return {where, ""};
  }
  return {where.substr(0, colon), where.substr(colon + 1)};
}

}  // namespace

int TestReport::passed() const {
  return static_cast<int>(
      std::count_if(cases_.begin(), cases_.end(),
                    [](const TestCase& c) { return c.failures.empty(); }));
}

int TestReport::failed() const {
  return static_cast<int>(cases_.size()) - passed();
}

void TestReport::Print(std::ostream& out, bool verbose) const {
  for (const TestCase& c : cases_) {
    if (c.failures.empty()) {
      if (verbose) out << "ok   " << c.where << ": " << c.name << "\n";
      continue;
    }
    out << "FAIL " << c.where << ": " << c.name << "\n";
    for (const std::string& f : c.failures) out << "     " << f << "\n";
  }
  out << passed() << " passed, " << failed() << " failed\n";
}

std::string TestReport::JUnitXml() const {
  std::vector<std::string> suites;
  std::map<std::string, std::vector<const TestCase*>> by_suite;
  for (const TestCase& c : cases_) {
    auto& list = by_suite[c.suite];
    if (list.empty()) suites.push_back(c.suite);
    list.push_back(&c);
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"replyctl test\" tests=\"" +
         std::to_string(cases_.size()) + "\" failures=\"" +
         std::to_string(failed()) + "\" errors=\"0\">\n";
  for (const std::string& suite : suites) {
    const auto& list = by_suite[suite];
    const size_t failures =
        std::count_if(list.begin(), list.end(),
                      [](const TestCase* c) { return !c->failures.empty(); });
    xml += "  <testsuite name=\"" + tools::EscapeMarkup(suite) + "\" tests=\"" +
           std::to_string(list.size()) + "\" failures=\"" +
           std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n";
    for (const TestCase* c : list) {
      const auto [file, line] = SplitWhere(c->where);
      xml += "    <testcase classname=\"" + tools::EscapeMarkup(suite) +
             "\" name=\"" + tools::EscapeMarkup(c->name) + "\" file=\"" +
             tools::EscapeMarkup(file) + "\"";
      if (!line.empty()) xml += " line=\"" + line + "\"";
      if (c->failures.empty()) {
        xml += "/>\n";
        continue;
      }
      std::string all;
      for (const std::string& f : c->failures) all += f + "\n";
      xml += ">\n      <failure message=\"" +
             tools::EscapeMarkup(c->failures.front()) +
             "\" type=\"expectation\">" +
             tools::EscapeMarkup(c->where + ": " + all) +
             "</failure>\n    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace reply::ctl

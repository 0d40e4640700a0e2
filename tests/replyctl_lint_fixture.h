// replyctl lint's test fixture: the fixture pack with changes, linted by
// the real binary from inside the pack directory. Shared by the
// replyctl_lint_*test.cc files, one concept each.
#ifndef REPLY_TESTS_REPLYCTL_LINT_FIXTURE_H_
#define REPLY_TESTS_REPLYCTL_LINT_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/replyctl_runner.h"

namespace reply {

// `text` split at its newlines.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

class ReplyctlLintTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Lints the fixture pack with `changes`, from inside the pack directory.
  testing::CtlResult Lint(const std::map<std::string, std::string>& changes) {
    dir_ = testing::FixturePackWith(changes);
    return testing::RunReplyctl({"lint"}, dir_);
  }

  std::filesystem::path dir_;
};

// A wrong_size templates file with the given variants after its no_order one.
inline std::string WrongSizeTemplates(const std::string& variants) {
  return "intent: wrong_size\n"                                        // 1
         "variants:\n"                                                 // 2
         "  - id: no_order\n"                                          // 3
         "    when: not has_order\n"                                   // 4
         "    text: 亲，可以为您换尺码的，麻烦您把订单号发给我。\n" +  // 5
         variants;
}

}  // namespace reply

#endif  // REPLY_TESTS_REPLYCTL_LINT_FIXTURE_H_

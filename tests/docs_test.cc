// The authoring guide lists every fact and placeholder the engine knows and
// every flag of every replyctl command, so template authors never have to
// read C++ to find one.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "engine/match/pattern_set.h"
#include "engine/normalize/abbreviations.h"
#include "engine/normalize/dialect_words.h"
#include "engine/order/facts.h"
#include "engine/pack/lexicon.h"
#include "engine/render/placeholders.h"
#include "tests/replyctl_runner.h"
#include "tests/test_util.h"

namespace reply {
namespace {

TEST(DocsTest, AuthoringGuideListsEveryFactAndPlaceholder) {
  const std::string guide =
      testing::ReadFile(testing::SourceDir() / "docs/authoring.md");
  ASSERT_FALSE(guide.empty());
  for (const FactDef& fact : FactDefs()) {
    EXPECT_NE(guide.find("| `" + std::string(fact.name) + "` |"),
              std::string::npos)
        << "docs/authoring.md does not list the fact " << fact.name;
  }
  for (const PlaceholderDef& p : PlaceholderDefs()) {
    if (p.name.starts_with("facts."))
      continue;  // "any fact as {{facts.<name>}}"
    EXPECT_NE(guide.find("`{{" + p.name + "}}`"), std::string::npos)
        << "docs/authoring.md does not list the placeholder " << p.name;
  }
}

// "2,048"
std::string Thousands(size_t n) {
  // Appended digit by digit: GCC 12 misreports string::insert here at -O3
  // (-Wstringop-overflow), which -DREPLY_WERROR=ON fails on.
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The limits authors meet are stated as the code sets them.
TEST(DocsTest, AuthoringGuideStatesTheLimitsOfConceptsAndAbbreviations) {
  const std::string guide =
      testing::ReadFile(testing::SourceDir() / "docs/authoring.md");
  EXPECT_NE(guide.find("at most " + Thousands(PatternSet::kMaxPatternBytes) +
                       " bytes once its concepts are expanded"),
            std::string::npos)
      << "docs/authoring.md does not give the pattern limit, "
      << PatternSet::kMaxPatternBytes << " bytes";
  EXPECT_NE(guide.find("Concepts nest " + std::to_string(Lexicon::kMaxDepth) +
                       " levels in all"),
            std::string::npos)
      << "docs/authoring.md does not give Lexicon::kMaxDepth";
  EXPECT_NE(guide.find("A spelling is one word of at most " +
                       std::to_string(Abbreviations::kMaxSpellingBytes) +
                       " letters and digits"),
            std::string::npos)
      << "docs/authoring.md does not give Abbreviations::kMaxSpellingBytes";
  EXPECT_NE(guide.find("A spelling is at most " +
                       std::to_string(DialectWords::kMaxSpellingChars) +
                       " Han characters"),
            std::string::npos)
      << "docs/authoring.md does not give DialectWords::kMaxSpellingChars";
}

// Every option `replyctl COMMAND --help` lists is written in the guide (by
// its long or its short name).
TEST(DocsTest, AuthoringGuideDocumentsEveryReplyctlFlag) {
  const std::string guide =
      testing::ReadFile(testing::SourceDir() / "docs/authoring.md");
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"suggest"},
                                             {"explain"},
                                             {"lint"},
                                             {"test"},
                                             {"eval"},
                                             {"report"},
                                             {"feedback", "purge"}}) {
    std::string command;
    for (const std::string& word : words) {
      command += (command.empty() ? "" : " ") + word;
    }
    std::vector<std::string> args = words;
    args.push_back("--help");
    const testing::CtlResult r = testing::RunReplyctl(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    int options = 0;
    while (std::getline(lines, line)) {
      const size_t start = line.find_first_not_of(' ');
      if (start == std::string::npos || line[start] != '-') continue;
      std::string names = line.substr(start, line.find(' ', start) - start);
      if (names == "-h,--help") continue;
      ++options;
      bool found = false;
      std::istringstream split(names);
      std::string name;
      while (std::getline(split, name, ',')) {
        for (size_t at = guide.find(name); at != std::string::npos;
             at = guide.find(name, at + 1)) {
          const char next =
              at + name.size() < guide.size() ? guide[at + name.size()] : ' ';
          found |=
              !(std::isalnum(static_cast<unsigned char>(next)) || next == '-');
        }
      }
      EXPECT_TRUE(found) << "docs/authoring.md does not document replyctl "
                         << command << " " << names;
    }
    EXPECT_GT(options, 0) << command;
  }
}

// The README opens with a replyctl run and its output; the run is real.
// Lines the README shortens with "……" must start (and end) as the real ones
// do; every other line must be the real line.
TEST(DocsTest, ReadmeSampleOutputIsTheRealCommandsOutput) {
  const std::string readme =
      testing::ReadFile(testing::SourceDir() / "README.md");
  const std::string prompt = "$ build/tools/replyctl ";
  const size_t start = readme.find(prompt);
  ASSERT_NE(start, std::string::npos) << "README.md has no sample run";
  const size_t end = readme.find("```", start);
  std::istringstream block(readme.substr(start, end - start));
  std::string command;
  std::getline(block, command);
  // The arguments: words, or "quoted words".
  std::vector<std::string> args;
  for (size_t i = prompt.size(); i < command.size();) {
    if (command[i] == ' ') {
      ++i;
    } else if (command[i] == '"') {
      const size_t close = command.find('"', i + 1);
      args.push_back(command.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const size_t space = std::min(command.find(' ', i), command.size());
      args.push_back(command.substr(i, space - i));
      i = space;
    }
  }
  const testing::CtlResult r = testing::RunReplyctl(args, testing::SourceDir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream real(r.out);
  std::string shown, actual;
  int line = 1;
  while (std::getline(block, shown)) {
    ++line;
    ASSERT_TRUE(std::getline(real, actual))
        << "README.md sample line " << line << " is not in the output:\n"
        << shown << "\nreal output:\n"
        << r.out;
    const size_t cut = shown.find("……");
    if (cut == std::string::npos) {
      EXPECT_EQ(shown, actual)
          << "README.md sample line " << line << "; real output:\n"
          << r.out;
      continue;
    }
    const std::string head = shown.substr(0, cut);
    const std::string tail = shown.substr(cut + std::string("……").size());
    EXPECT_TRUE(actual.starts_with(head) && actual.ends_with(tail))
        << "README.md sample line " << line << " (" << shown
        << ") does not shorten the real line (" << actual << ")";
  }
}

}  // namespace
}  // namespace reply

// Whatever a pack file holds -- invalid UTF-8, stray commas, wrong shapes,
// conditions nested 100,000 deep, a directory for a file -- the loader
// reports issues at file:line, all at once, and never throws or hangs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

TEST_F(PackLoaderTest, InvalidUtf8IsReportedWithItsLine) {
  auto issues = Load({{"intents/zh/a.yaml",
                       "intents:\n  - id: urge\n    patterns: [\xff\xfe]\n"}});
  EXPECT_THAT(issues, Contains("intents/zh/a.yaml:3: invalid UTF-8 at byte "
                               "37: save the file as UTF-8 text"));
}

// yaml-cpp 0.7's parser never consumes a comma outside [ ] or { } and
// returned empty documents forever: a file like these hung the loader (and
// with it replyctl lint and replyd's reloader) until memory ran out. Found
// by fuzz/pack_fuzzer.cc; the inputs are in fuzz/corpus/pack/.
TEST_F(PackLoaderTest, StrayCommaIsAnIssueNotAHang) {
  struct Case {
    std::string file, content, issue;
  };
  const Case cases[] = {
      {"shop.yaml", ",",
       "shop.yaml:1: YAML: ',' at column 1 belongs to no list or mapping"},
      {"intents/zh/a.yaml", "- x\n,", "intents/zh/a.yaml:2: YAML: ','"},
      {"intents/zh/a.yaml", "[a], b",
       "intents/zh/a.yaml:1: YAML: ',' at column 4"},
      {"intents/zh/a.yaml", "!x ,", "intents/zh/a.yaml:1: YAML: ','"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.content);
    const std::vector<std::string> issues = LoadWithFile(c.file, c.content);
    EXPECT_THAT(issues, Contains(AllOf(HasSubstr(c.issue),
                                       HasSubstr("remove it or add the "
                                                 "brackets"))));
  }
}

TEST_F(PackLoaderTest, ReportsEveryProblemAtOnce) {
  std::string t = kGoodPack.at("templates/zh/urge.yaml");
  t.replace(t.find("status =="), 6, "statu ");
  t.replace(t.find("order.id"), 8, "order.no");
  auto issues = Load({{"templates/zh/urge.yaml", t},
                      {"intents/zh/b.yaml",
                       "intents:\n  - id: bad\n    patterns: ['[']\n"
                       "    examples: [x]\n    counter_examples: [y]\n"}});
  EXPECT_GE(issues.size(), 3u);
}

TEST_F(PackLoaderTest, TemplateLocaleWithoutIntents) {
  auto issues = Load({{"templates/vi/urge.yaml",
                       "intent: urge\nvariants:\n  - id: a\n    text: x\n"}});
  EXPECT_THAT(
      issues,
      Contains("templates/vi: templates for locale 'vi' but no intents/vi"));
}

// A file saved with `intent:` instead of `intents:` used to throw
// YAML::InvalidNode out of the loader (std::terminate on the server's
// reloader thread). It is one clear issue at its line, with the fix.
TEST_F(PackLoaderTest, MistypedTopLevelKeyIsOneIssueWithTheFix) {
  const std::vector<std::string> issues =
      Load({{"intents/zh/b.yaml",
             "intent:\n  - id: refund\n    patterns: [退款]\n"}});
  EXPECT_EQ(issues,
            std::vector<std::string>{"intents/zh/b.yaml:1: unknown key "
                                     "'intent' in an intents file (did you "
                                     "mean 'intents'?)"});
  EXPECT_EQ(
      Load({{"templates/zh/urge.yaml",
             "intents: urge\nvariant:\n  - id: a\n    text: 亲，您好\n"}}),
      (std::vector<std::string>{
          "templates/zh/urge.yaml:1: unknown key 'intents' in a "
          "templates file (did you mean 'intent'?)",
          "templates/zh/urge.yaml:2: unknown key 'variant' in a "
          "templates file (did you mean 'variants'?)",
          "intents/zh/a.yaml:2: intent 'urge' has no reply variants in "
          "templates/zh"}));
}

// Every other shape yaml-cpp would have thrown on, or accepted wrongly, is
// an issue at file:line that says what was found and what is expected; none
// throws.
TEST_F(PackLoaderTest, WrongShapesAreIssuesNeverExceptions) {
  struct Case {
    const char* what;
    std::string path;
    std::string content;
    std::string issue;  // the first issue
  };
  const std::string deep_list =
      "intents: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  std::string deep_map = "intents: ";
  for (int i = 0; i < 100000; ++i) deep_map += "{a: ";
  deep_map += "x" + std::string(100000, '}') + "\n";
  std::string deep_block = "intents:\n";
  for (int i = 0; i < 100000; ++i) deep_block += "- ";
  deep_block += "x\n";
  // Nine aliases of nine aliases of ... : 9^9 copies if anything expanded it.
  std::string bomb = "a: &a [\"还没发货还没发货\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = c - 1;
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i)
      bomb += std::string(i ? ", *" : "*") + std::string(1, prev);
    bomb += "]\n";
  }
  bomb += "intents:\n  - id: urge\n    patterns: *j\n";
  const Case cases[] = {
      {"a map where a list is expected", "intents/zh/a.yaml",
       "intents: {id: urge}\n",
       "intents/zh/a.yaml:1: 'intents' must be a list of intents (- id: ...), "
       "not a mapping (key: value)"},
      {"a scalar where a map is expected", "intents/zh/a.yaml",
       "intents: [urge]\n",
       "intents/zh/a.yaml:1: an intent must be a mapping (key: value), not "
       "text"},
      {"a null list entry", "intents/zh/a.yaml", "intents:\n  -\n",
       "intents/zh/a.yaml:2: an intent must be a mapping (key: value), not "
       "nothing"},
      {"a list where a string is expected", "intents/zh/a.yaml",
       "intents:\n  - id: [urge, again]\n",
       "intents/zh/a.yaml:2: 'id' must be text, not a list"},
      {"a map as a pattern of exclude", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    patterns: [还没发货]\n    exclude:\n"
       "      - {re: 发票}\n    examples: [还没发货]\n"
       "    counter_examples: [发票]\n",
       "intents/zh/a.yaml:5: a pattern is text (an exclude or a keep has no "
       "score), not a mapping (key: value)"},
      {"keep patterns without an exclude", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    patterns: [还没发货]\n    keep: "
       "[一直没发货]\n"
       "    examples: [还没发货]\n    counter_examples: [发票]\n",
       "intents/zh/a.yaml:4: intent 'urge' has keep patterns but no exclude: a "
       "keep only lets a message past the intent's excludes; add the exclude "
       "or move these to patterns"},
      {"patterns as a map", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    patterns: {re: 还没发货}\n",
       "intents/zh/a.yaml:3: 'patterns' must be a list of patterns (RE2 text, "
       "or {re: ..., score: ...}), not a mapping (key: value)"},
      {"examples as text", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    patterns: [还没发货]\n"
       "    examples: 还没发货\n    counter_examples: [发票]\n",
       "intents/zh/a.yaml:4: 'examples' must be a list of texts, not text"},
      {"a list as a priority", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    priority: [1]\n",
       "intents/zh/a.yaml:3: 'priority' must be a whole number from -1000 to "
       "1000; found a list"},
      {"variants as text", "templates/zh/urge.yaml",
       "intent: urge\nvariants: 亲，您好\n",
       "templates/zh/urge.yaml:2: 'variants' must be a list of reply variants "
       "(- id: ...), not text"},
      {"a when as a map", "templates/zh/urge.yaml",
       "intent: urge\nvariants:\n  - id: a\n    when: {has_order: false}\n"
       "    text: 亲，您好\n",
       "templates/zh/urge.yaml:4: 'when' must be text, not a mapping (key: "
       "value)"},
      {"a templates file of one line of text", "templates/zh/urge.yaml",
       "urge\n",
       "templates/zh/urge.yaml:1: a templates file must be a mapping (key: "
       "value), not text"},
      {"a list as the shop policy", "shop.yaml", "- name: 测试店\n",
       "shop.yaml:1: the shop policy must be a mapping (key: value), not a "
       "list"},
      {"compensation as a number", "shop.yaml", "compensation: 5\n",
       "shop.yaml:1: 'compensation' must be a mapping: {rate: 0.05, min: 1, "
       "max: 30}; found text"},
      {"a signature of a list", "shop.yaml", "signature: {zh: [a, b]}\n",
       "shop.yaml:1: signature: each entry is a locale and its text (zh: ...)"},
      {"a key that is a list", "intents/zh/a.yaml", "? [intents]\n: []\n",
       "intents/zh/a.yaml:1: a key in an intents file must be text, not a "
       "list"},
      {"a key written twice", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n    patterns: [还没发货]\n    examples: "
       "[还没发货]\n"
       "    counter_examples: [发票]\n    patterns: [催发货]\n",
       "intents/zh/a.yaml:6: key 'patterns' written twice in an intent (first "
       "at line 3): keep one"},
      {"an empty file", "intents/zh/a.yaml", "",
       "intents/zh/a.yaml: empty file: an intents file holds `intents:`, "
       "`concepts:` and/or `abbreviations:`"},
      {"a file of just ---", "templates/zh/urge.yaml", "---\n",
       "templates/zh/urge.yaml: empty file: a templates file is `intent:` and "
       "`variants:`"},
      {"two documents", "intents/zh/a.yaml", "intents: []\n---\nintents: []\n",
       "intents/zh/a.yaml:2: a second YAML document (---) starts here; a pack "
       "file holds one: move it to a file of its own"},
      {"binary garbage", "intents/zh/a.yaml",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0\xff\xfe",
                   12),
       "intents/zh/a.yaml:1: invalid UTF-8 at byte 10: save the file as UTF-8 "
       "text"},
      {"a NUL byte", "intents/zh/a.yaml", std::string("intents:\n\0- x\n", 14),
       "intents/zh/a.yaml:2: control character U+0000 at byte 9: a pack file "
       "is plain text"},
      {"an anchor and alias bomb", "intents/zh/a.yaml", bomb,
       "intents/zh/a.yaml:2: an alias (*name) of an anchor (&name): pack "
       "files do not use them, write the value out (82 in the file)"},
      {"a tab in the indentation", "intents/zh/a.yaml",
       "intents:\n  - id: urge\n\t  patterns: [还没发货]\n",
       "intents/zh/a.yaml:3: YAML: illegal tab when looking for indentation: "
       "indent with spaces, YAML does not allow tabs there"},
      {"100,000 nested lists", "intents/zh/a.yaml", deep_list,
       "intents/zh/a.yaml:1: nested 500 levels deep, past yaml-cpp's limit "
       "(pack files nest a few levels): look for a runaway [ or {"},
      {"100,000 nested maps", "intents/zh/a.yaml", deep_map,
       "intents/zh/a.yaml:1: nested 500 levels deep, past yaml-cpp's limit "
       "(pack files nest a few levels): look for a runaway [ or {"},
      {"100,000 nested block lists", "intents/zh/a.yaml", deep_block,
       "intents/zh/a.yaml:2: nested 500 levels deep, past yaml-cpp's limit "
       "(pack files nest a few levels): look for a runaway [ or {"},
  };
  for (const Case& c : cases) {
    const std::vector<std::string> issues = LoadWithFile(c.path, c.content);
    ASSERT_FALSE(issues.empty()) << c.what;
    EXPECT_EQ(issues[0], c.issue) << c.what;
  }
}

// A when (or trigger) nested past kMaxConditionDepth is an issue at its
// line, at 20,000 levels (which overflowed replyctl's stack) and 100,000.
TEST_F(PackLoaderTest, DeeplyNestedConditionIsAnIssue) {
  for (int depth : {20000, 100000}) {
    const std::string when =
        std::string(depth, '(') + "has_order" + std::string(depth, ')');
    std::string t = kGoodPack.at("templates/zh/urge.yaml");
    t.replace(t.find("status == \"paid\""), 16, when);
    EXPECT_THAT(Load({{"templates/zh/urge.yaml", t}}),
                Contains("templates/zh/urge.yaml:7: when: column 51: nested "
                         "more than 50 levels deep (parentheses and 'not'): "
                         "write it flatter, or split the variant"))
        << depth;
    std::string nots;
    for (int i = 0; i < depth; ++i) nots += "not ";
    EXPECT_THAT(
        Load({{"intents/zh/t.yaml", "intents:\n  - id: notify\n    trigger: " +
                                        nots + "has_order\n"}}),
        Contains("intents/zh/t.yaml:3: trigger: column 201: nested "
                 "more than 50 levels deep (parentheses and 'not'): "
                 "write it flatter, or split the variant"))
        << depth;
  }
}

// A pack file that cannot be read is an issue too, not an exception.
TEST_F(PackLoaderTest, ADirectoryWhereAFileShouldBeIsAnIssue) {
  dir_ = testing::MakeTempDir("pack");
  for (const auto& [path, content] : kGoodPack) {
    testing::WriteFile(dir_ / path, content);
  }
  std::filesystem::remove(dir_ / "shop.yaml");
  std::filesystem::create_directories(dir_ / "shop.yaml");
  std::vector<PackIssue> issues;
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(dir_.string(), **Normalizer::Shared(), &issues);
  EXPECT_FALSE(pack.ok());
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].file, "shop.yaml");
}

}  // namespace
}  // namespace reply

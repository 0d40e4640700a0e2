// Each kind of pack error is reported with its file, line and reason, all
// at once, and a pack with any error is not loaded at all.
#include "engine/pack/pack_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/test_util.h"

namespace reply {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const std::map<std::string, std::string> kGoodPack = {
    {"shop.yaml", "name: 测试店\n"},
    {"intents/zh/a.yaml",
     "intents:\n"                        // 1
     "  - id: urge\n"                    // 2
     "    patterns:\n"                   // 3
     "      - 还没发货\n"                // 4
     "    examples: [还没发货]\n"        // 5
     "    counter_examples: [发票]\n"},  // 6
    {"templates/zh/urge.yaml",
     "intent: urge\n"                                  // 1
     "variants:\n"                                     // 2
     "  - id: no_order\n"                              // 3
     "    when: not has_order\n"                       // 4
     "    text: 亲，请发一下订单号。\n"                // 5
     "  - id: paid\n"                                  // 6
     "    when: status == \"paid\"\n"                  // 7
     "    text: 亲，订单{{order.id}}已为您加急。\n"},  // 8
};

class PackLoaderTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Loads kGoodPack with `changes` applied ("" content deletes the file).
  std::vector<std::string> Load(
      const std::map<std::string, std::string>& changes) {
    dir_ = testing::MakeTempDir("pack");
    std::map<std::string, std::string> files = kGoodPack;
    for (const auto& [path, content] : changes) files[path] = content;
    for (const auto& [path, content] : files) {
      if (!content.empty()) testing::WriteFile(dir_ / path, content);
    }
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(dir_.string(), **Normalizer::Shared(), &issues);
    std::vector<std::string> out;
    for (const PackIssue& issue : issues) out.push_back(issue.ToString());
    EXPECT_EQ(pack.ok(), out.empty()) << pack.status().ToString();
    if (!pack.ok()) {
      // The status carries every issue too.
      for (const std::string& line : out) {
        EXPECT_THAT(pack.status().message(), HasSubstr(line));
      }
    }
    return out;
  }

  std::filesystem::path dir_;
};

TEST_F(PackLoaderTest, GoodPackLoads) { EXPECT_TRUE(Load({}).empty()); }

TEST_F(PackLoaderTest, ExamplesKeepTheirLines) {
  ASSERT_TRUE(Load({}).empty());
  auto pack = LoadPack(dir_.string(), **Normalizer::Shared(), nullptr);
  ASSERT_TRUE(pack.ok());
  const IntentDef& intent = (*pack)->locales[0].intents[0];
  ASSERT_EQ(intent.example_where.size(), 1u);
  EXPECT_EQ(intent.example_where[0].ToString(), "intents/zh/a.yaml:5");
  ASSERT_EQ(intent.counter_example_where.size(), 1u);
  EXPECT_EQ(intent.counter_example_where[0].ToString(), "intents/zh/a.yaml:6");
}

TEST_F(PackLoaderTest, PatternRe2Rejects) {
  auto issues =
      Load({{"intents/zh/a.yaml",
             "intents:\n  - id: urge\n    patterns:\n      - (还没发货\n"
             "    examples: [还没发货]\n    counter_examples: [发票]\n"}});
  EXPECT_THAT(
      issues,
      Contains(
          "intents/zh/a.yaml:4: pattern '(还没发货': missing ): (还没发货"));
}

TEST_F(PackLoaderTest, UnknownFactInCondition) {
  std::string t = kGoodPack.at("templates/zh/urge.yaml");
  t.replace(t.find("status =="), 6, "statu ");
  auto issues = Load({{"templates/zh/urge.yaml", t}});
  EXPECT_THAT(
      issues,
      Contains("templates/zh/urge.yaml:7: when: column 1: unknown fact 'statu' "
               "(did you mean 'status'?)"));
}

TEST_F(PackLoaderTest, PlaceholderNamingNoField) {
  std::string t = kGoodPack.at("templates/zh/urge.yaml");
  t.replace(t.find("order.id"), 8, "order.no");
  auto issues = Load({{"templates/zh/urge.yaml", t}});
  EXPECT_THAT(
      issues,
      Contains("templates/zh/urge.yaml:8: text: line 1: unknown placeholder "
               "'order.no'; docs/authoring.md lists them"));
}

TEST_F(PackLoaderTest, DuplicateIntentId) {
  auto issues =
      Load({{"intents/zh/b.yaml",
             "intents:\n  - id: urge\n    patterns: [催发货]\n"
             "    examples: [催发货]\n    counter_examples: [发票]\n"}});
  EXPECT_THAT(
      issues,
      Contains("intents/zh/b.yaml:2: duplicate intent id 'urge' (first defined "
               "at intents/zh/a.yaml:2)"));
}

TEST_F(PackLoaderTest, DuplicateVariantId) {
  std::string t = kGoodPack.at("templates/zh/urge.yaml");
  t.replace(t.find("id: paid"), 8, "id: no_order");
  auto issues = Load({{"templates/zh/urge.yaml", t}});
  EXPECT_THAT(
      issues,
      Contains(
          "templates/zh/urge.yaml:6: duplicate variant id 'urge.no_order'"));
}

TEST_F(PackLoaderTest, YamlSyntaxError) {
  auto issues = Load({{"intents/zh/a.yaml",
                       "intents:\n  - id: urge\n    patterns: [还没发货\n"}});
  ASSERT_FALSE(issues.empty());
  EXPECT_THAT(issues[0], HasSubstr("intents/zh/a.yaml:"));
  EXPECT_THAT(issues[0], HasSubstr("YAML:"));
}

TEST_F(PackLoaderTest, MisspeltKeySuggestsTheRightOne) {
  auto issues =
      Load({{"intents/zh/a.yaml",
             "intents:\n  - id: urge\n    pattern:\n      - 还没发货\n"
             "    examples: [还没发货]\n    counter_examples: [发票]\n"}});
  EXPECT_THAT(
      issues,
      Contains("intents/zh/a.yaml:3: unknown key 'pattern' in an intent (did "
               "you mean 'patterns'?)"));
  EXPECT_THAT(
      issues,
      Contains(
          "intents/zh/a.yaml:2: intent 'urge' needs a list of patterns (or "
          "a trigger)"));
}

TEST_F(PackLoaderTest, IntentWithoutExamples) {
  auto issues = Load({{"intents/zh/a.yaml",
                       "intents:\n  - id: urge\n    patterns: [还没发货]\n"}});
  EXPECT_THAT(
      issues,
      Contains("intents/zh/a.yaml:2: intent 'urge' has no examples: list "
               "messages it must match"));
  EXPECT_THAT(
      issues,
      Contains("intents/zh/a.yaml:2: intent 'urge' has no counter_examples: "
               "list near misses it must not match"));
}

TEST_F(PackLoaderTest, TemplatesForAnUnknownIntent) {
  auto issues =
      Load({{"templates/zh/other.yaml",
             "intent: urgent\nvariants:\n  - id: a\n    text: 亲，您好。\n"}});
  EXPECT_THAT(
      issues,
      Contains("templates/zh/other.yaml:1: intent 'urgent' is not defined in "
               "intents/zh"));
}

TEST_F(PackLoaderTest, IntentWithoutReplies) {
  auto issues = Load({{"templates/zh/urge.yaml", ""}});
  EXPECT_THAT(
      issues,
      Contains("intents/zh/a.yaml:2: intent 'urge' has no reply variants in "
               "templates/zh"));
}

TEST_F(PackLoaderTest, IntentWithoutANoOrderReply) {
  std::string t = kGoodPack.at("templates/zh/urge.yaml");
  t.replace(t.find("not has_order"), 13, "has_order");
  auto issues = Load({{"templates/zh/urge.yaml", t}});
  EXPECT_THAT(
      issues,
      Contains(
          "intents/zh/a.yaml:2: intent 'urge' has no reply for a message "
          "without an order: add a variant with `when: not has_order` that "
          "quotes no order field"));
}

TEST_F(PackLoaderTest, MissingShopPolicyAndNonYamlFiles) {
  auto issues = Load({{"shop.yaml", ""}, {"intents/zh/notes.txt", "x"}});
  EXPECT_THAT(issues,
              Contains("shop.yaml: missing: every pack has a shop policy"));
  EXPECT_THAT(
      issues,
      Contains("intents/zh/notes.txt: not a .yaml file; packs hold only YAML"));
}

TEST_F(PackLoaderTest, BadShopPolicyValues) {
  auto issues =
      Load({{"shop.yaml",
             "timezone: Beijing\npromise_ship_hours: -3\nsame_day_cutoff: 4pm\n"
             "compensation: {rate: 0.05, min: 40, max: 30}\n"}});
  EXPECT_THAT(
      issues,
      Contains("shop.yaml:1: timezone: expected a UTC offset like +08:00 or Z, "
               "got \"Beijing\""));
  EXPECT_THAT(
      issues,
      Contains("shop.yaml:2: 'promise_ship_hours' must be between 1 and 1440"));
  EXPECT_THAT(
      issues,
      Contains("shop.yaml:3: same_day_cutoff must be a time like 16:00"));
  EXPECT_THAT(issues, Contains("shop.yaml:4: compensation: min is above max"));
}

TEST_F(PackLoaderTest, InvalidUtf8IsReportedWithItsLine) {
  auto issues = Load({{"intents/zh/a.yaml",
                       "intents:\n  - id: urge\n    patterns: [\xff\xfe]\n"}});
  EXPECT_THAT(issues,
              Contains("intents/zh/a.yaml:3: invalid UTF-8 at byte 37"));
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

}  // namespace
}  // namespace reply

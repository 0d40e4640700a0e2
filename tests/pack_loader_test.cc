// Each kind of pack error is reported with its file, line and reason, all
// at once, and a pack with any error is not loaded at all: ids, patterns,
// conditions, placeholders, labels, experiments, shop texts, missing
// replies. More in pack_resolution_test.cc, pack_shop_policy_test.cc,
// pack_malformed_input_test.cc and pack_slots_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

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

// A wording experiment: `arms` instead of `text`, each arm checked at its
// own line.
TEST_F(PackLoaderTest, WordingExperimentArmsAreChecked) {
  const std::string head =
      "intent: urge\n"                    // 1
      "variants:\n"                       // 2
      "  - id: no_order\n"                // 3
      "    when: not has_order\n"         // 4
      "    text: 亲，请发一下订单号。\n"  // 5
      "  - id: paid\n"                    // 6
      "    when: status == \"paid\"\n";   // 7
  const std::string plain =
      "      - id: plain\n"                                // 9
      "        text: 亲，订单{{order.id}}已为您加急。\n";  // 10
  const std::string warm =
      "      - id: warm\n"                                     // 11
      "        weight: 3\n"                                    // 12
      "        text: 亲，别着急，订单{{order.id}}已加急。\n";  // 13
  const std::string file = "templates/zh/urge.yaml";
  EXPECT_TRUE(Load({{file, head + "    arms:\n" + plain + warm}}).empty());

  EXPECT_THAT(Load({{file, head + "    text: 亲\n    arms:\n" + plain + warm}}),
              Contains(AllOf(HasSubstr(file + ":"), HasSubstr("not both"))));
  EXPECT_THAT(
      Load({{file, head + "    arms:\n" + plain}}),
      Contains(AllOf(HasSubstr(file + ":9:"), HasSubstr("two arms or more"))));
  std::string twice = warm;
  twice.replace(twice.find("warm"), 4, "plain");
  EXPECT_THAT(Load({{file, head + "    arms:\n" + plain + twice}}),
              Contains(file + ":11: duplicate arm id 'plain'"));
  std::string zero = warm;
  zero.replace(zero.find("weight: 3"), 9, "weight: 0");
  EXPECT_THAT(Load({{file, head + "    arms:\n" + plain + zero}}),
              Contains(AllOf(HasSubstr(file + ":12:"), HasSubstr("weight"))));
  std::string unfilled = warm;
  unfilled.replace(unfilled.find("order.id"), 8, "order.idd");
  EXPECT_THAT(
      Load({{file, head + "    arms:\n" + plain + unfilled}}),
      Contains(AllOf(HasSubstr(file + ":13:"), HasSubstr("order.idd"))));
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

// Labels are what a console shows for an intent and a variant: read from
// both, misspelt or multi-line ones reported at their line.
TEST_F(PackLoaderTest, LabelsOfIntentsAndVariants) {
  auto issues =
      Load({{"intents/zh/a.yaml",
             "intents:\n  - id: urge\n    label: 催发货\n    patterns:\n"
             "      - 还没发货\n    examples: [还没发货]\n"
             "    counter_examples: [发票]\n"},
            {"templates/zh/urge.yaml",
             "intent: urge\n"                             // 1
             "variants:\n"                                // 2
             "  - id: no_order\n"                         // 3
             "    lable: 没有订单\n"                      // 4
             "    when: not has_order\n"                  // 5
             "    text: 亲，请发一下订单号。\n"           // 6
             "  - id: paid\n"                             // 7
             "    label: |-\n      已付款\n      加急\n"  // 8
             "    text: 亲，已为您加急。\n"}});
  EXPECT_THAT(issues, Contains("templates/zh/urge.yaml:4: unknown key 'lable' "
                               "in a variant (did you mean 'label'?)"));
  EXPECT_THAT(issues, Contains("templates/zh/urge.yaml:8: 'label' must be one "
                               "line of text, such as 催发货"));

  std::filesystem::remove_all(dir_);
  dir_ = testing::MakeTempDir("pack");
  std::map<std::string, std::string> files = kGoodPack;
  files["intents/zh/a.yaml"] =
      "intents:\n  - id: urge\n    label: 催发货\n    patterns:\n"
      "      - 还没发货\n    examples: [还没发货]\n"
      "    counter_examples: [发票]\n";
  files["templates/zh/urge.yaml"] =
      "intent: urge\nvariants:\n  - id: no_order\n    label: 要订单号\n"
      "    when: not has_order\n    text: 亲，请发一下订单号。\n";
  for (const auto& [path, content] : files) {
    testing::WriteFile(dir_ / path, content);
  }
  std::vector<PackIssue> none;
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(dir_.string(), **Normalizer::Shared(), &none);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const LocalePack& zh = *(*pack)->Find("zh");
  EXPECT_EQ(zh.intents[0].label, "催发货");
  EXPECT_EQ(zh.variants[0].label, "要订单号");
}

// shop.yaml's per-locale texts: read per locale, a locale with no pack
// named at its line with the likely one, a misspelt key with its fix.
TEST_F(PackLoaderTest, ShopTextsPerLocale) {
  EXPECT_THAT(Load({{"shop.yaml",
                     "name: 测试店\n"             // 1
                     "carriers: [中通]\n"         // 2
                     "locales:\n"                 // 3
                     "  zhh:\n"                   // 4
                     "    carriers: [順豐]\n"     // 5
                     "  zh:\n"                    // 6
                     "    carrier: [順豐]\n"}}),  // 7
              ::testing::IsSupersetOf(
                  {"shop.yaml:4: locales: no locale 'zhh' (no intents/zhh) "
                   "(did you mean 'zh'?)",
                   "shop.yaml:7: unknown key 'carrier' in a locale's shop "
                   "texts (did you mean 'carriers'?)"}));
  EXPECT_TRUE(
      Load({{"shop.yaml",
             "name: 测试店\ncarriers: [中通]\n"
             "locales: {zh: {name: 測試店, carriers: [順豐, 黑貓]}}\n"}})
          .empty());
  std::vector<PackIssue> none;
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(dir_.string(), **Normalizer::Shared(), &none);
  ASSERT_TRUE(pack.ok());
  const ShopPolicy& shop = (*pack)->shop;
  EXPECT_EQ(shop.NameFor("zh"), "測試店");
  EXPECT_EQ(shop.NameFor("vi"), "测试店");
  EXPECT_EQ(shop.CarriersFor("zh"), (std::vector<std::string>{"順豐", "黑貓"}));
  EXPECT_EQ(shop.CarriersFor("vi"), std::vector<std::string>{"中通"});
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

}  // namespace
}  // namespace reply

// Each kind of pack error is reported with its file, line and reason, all
// at once, and a pack with any error is not loaded at all.
#include "engine/pack/pack_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/test_util.h"

namespace reply {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

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
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
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

  // Loads kGoodPack with `path` replaced by exactly `content` (even empty).
  std::vector<std::string> LoadWithFile(const std::string& path,
                                        const std::string& content) {
    std::vector<std::string> out = Load({{path, "placeholder"}});
    testing::WriteFile(dir_ / path, content);
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(dir_.string(), **Normalizer::Shared(), &issues);
    out.clear();
    for (const PackIssue& issue : issues) out.push_back(issue.ToString());
    EXPECT_EQ(pack.ok(), out.empty()) << pack.status().ToString();
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

// A vague intent resolved by the order (docs/authoring.md): its rules name
// intents of the locale that answer messages, one step only.
const char kVagueIntent[] =
    "intents:\n"                          // 1
    "  - id: progress\n"                  // 2
    "    resolve_by_order:\n"             // 3
    "      - when: status == \"paid\"\n"  // 4
    "        intent: TARGET\n"            // 5
    "    without_order: FALLBACK\n"       // 6
    "    patterns: [催催]\n"              // 7
    "    examples: [帮我催催]\n"          // 8
    "    counter_examples: [发票]\n";     // 9
const char kVagueReplies[] =
    "intent: progress\n"
    "variants:\n"
    "  - id: check\n"
    "    when: has_order\n"
    "    text: 亲，我帮您查一下。\n";

std::string Vague(const std::string& target, const std::string& fallback) {
  std::string s = kVagueIntent;
  s.replace(s.find("TARGET"), 6, target);
  s.replace(s.find("FALLBACK"), 8, fallback);
  return s;
}

TEST_F(PackLoaderTest, VagueIntentResolvedByTheOrderLoads) {
  // No no-order reply of its own: without_order answers then.
  EXPECT_TRUE(Load({{"intents/zh/b.yaml", Vague("urge", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}})
                  .empty());
}

TEST_F(PackLoaderTest, VagueIntentRulesNameIntentsThatAnswer) {
  EXPECT_THAT(Load({{"intents/zh/b.yaml", Vague("urgent", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains("intents/zh/b.yaml:5: unknown intent 'urgent' (did you "
                       "mean 'urge'?)"));
  EXPECT_THAT(Load({{"intents/zh/b.yaml", Vague("progress", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:5: intent 'progress' "
                                 "resolves to itself")));
  // A target may be resolved by the order in turn, but never back: urge
  // guessing progress, which guesses urge, would never end.
  std::string chained = kGoodPack.at("intents/zh/a.yaml");
  chained.replace(chained.find("    patterns:"), 0,
                  "    without_order: progress\n");
  EXPECT_THAT(Load({{"intents/zh/a.yaml", chained},
                    {"intents/zh/b.yaml", Vague("urge", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("resolution never ends: urge -> progress -> "
                                 "urge")));
  std::string broken = Vague("urge", "urge");
  broken.replace(broken.find("status == \"paid\""), 15, "stat == 1");
  EXPECT_THAT(Load({{"intents/zh/b.yaml", broken},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:4: when: ")));
}

// progress answers with urge on a paid order, and urge on a delivered one
// with lost: a chain, which loads. A rule back to progress would close a
// cycle, whatever the conditions say.
TEST_F(PackLoaderTest, AResolvedTargetMayBeResolvedInTurn) {
  std::string urge = kGoodPack.at("intents/zh/a.yaml");
  urge.replace(urge.find("    patterns:"), 0,
               "    resolve_by_order:\n"                  // 3
               "      - when: status == \"delivered\"\n"  // 4
               "        intent: lost\n");                 // 5
  const std::map<std::string, std::string> lost = {
      {"intents/zh/c.yaml",
       "intents:\n  - id: lost\n    patterns: [没收到]\n"
       "    examples: [没收到]\n    counter_examples: [发票]\n"},
      {"templates/zh/lost.yaml",
       "intent: lost\nvariants:\n  - id: any\n"
       "    text: 亲，我马上帮您联系快递查一下。\n"},
      {"templates/zh/progress.yaml", kVagueReplies},
      {"intents/zh/b.yaml", Vague("urge", "urge")}};
  std::map<std::string, std::string> files = lost;
  files["intents/zh/a.yaml"] = urge;
  EXPECT_THAT(Load(files), IsEmpty());
  urge.replace(urge.find("intent: lost"), 12, "intent: progress");
  files["intents/zh/a.yaml"] = urge;
  EXPECT_THAT(Load(files),
              Contains("intents/zh/b.yaml:5: resolution never ends: urge -> "
                       "progress -> urge; an intent may not be resolved back "
                       "to itself, drop one of these rules"));
}

TEST_F(PackLoaderTest, VagueIntentWithoutAFallbackNeedsANoOrderReply) {
  std::string s = Vague("urge", "urge");
  s.erase(s.find("    without_order:"),
          std::string("    without_order: urge\n").size());
  EXPECT_THAT(Load({{"intents/zh/b.yaml", s},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:2: intent 'progress' has "
                                 "no reply for a message without an order")));
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
  EXPECT_THAT(issues,
              Contains("shop.yaml:2: 'promise_ship_hours' must be a number "
                       "more than 0 and at most 1440 hours; found -3"));
  EXPECT_THAT(issues,
              Contains("shop.yaml:3: same_day_cutoff must be a time of day "
                       "from 00:00 to 23:59, like \"16:00\"; found 4pm"));
  EXPECT_THAT(issues, Contains("shop.yaml:4: compensation: min 40 is above "
                               "max 30: make min at most max"));
}

// Replies quote the policy's numbers ("0小时内发货", "0天内退换"): each must
// be in its range, and the error says which range.
TEST_F(PackLoaderTest, ShopPolicyValuesOutsideTheirRanges) {
  struct Case {
    std::string yaml;
    std::string issue;
  };
  const Case cases[] = {
      {"promise_ship_hours: 0",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 0"},
      {"promise_ship_hours: 1441",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 1441"},
      {"promise_ship_hours: .nan",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found .nan"},
      {"promise_ship_hours: nan",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found nan"},
      {"promise_ship_hours: 1e400",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 1e400"},
      {"promise_ship_hours: [48]",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found a list"},
      {"return_window_days: 0",
       "'return_window_days' must be a whole number from 1 to 365 days; "
       "found 0"},
      {"return_window_days: 7.5",
       "'return_window_days' must be a whole number from 1 to 365 days; "
       "found 7.5"},
      {"tracking_appears_hours: 0",
       "'tracking_appears_hours' must be a number more than 0 and at most "
       "720 hours; found 0"},
      {"stale_tracking_hours: 0",
       "'stale_tracking_hours' must be a number more than 0 and at most 1440 "
       "hours; found 0"},
      {"signed_followup_days: 0",
       "'signed_followup_days' must be a number more than 0 and at most 60 "
       "days; found 0"},
      {"compensation: {rate: 1.5}",
       "'rate' must be a number from 0 to 1; found 1.5"},
      {"compensation: {rate: -0.1}",
       "'rate' must be a number from 0 to 1; found -0.1"},
      {"compensation: {min: -1}",
       "'min' must be a number from 0 to 1000000 (in the shop's currency); "
       "found -1"},
      {"compensation: {max: 1e300}",
       "'max' must be a number from 0 to 1000000 (in the shop's currency); "
       "found 1e300"},
      {"compensation: {min: 5, max: 2}",
       "compensation: min 5 is above max 2: make min at most max"},
      {"same_day_cutoff: \"24:00\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found 24:00"},
      {"same_day_cutoff: \"16:60\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found 16:60"},
      {"same_day_cutoff: \"-1:00\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found -1:00"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Load({{"shop.yaml", "name: 测试店\n" + c.yaml + "\n"}}),
                Contains("shop.yaml:2: " + c.issue))
        << c.yaml;
  }
  // The edges of each range load.
  EXPECT_TRUE(Load({{"shop.yaml",
                     "promise_ship_hours: 0.5\nreturn_window_days: 1\n"
                     "tracking_appears_hours: 720\nsame_day_cutoff: \"00:00\"\n"
                     "compensation: {rate: 0, min: 0, max: 0}\n"}})
                  .empty());
  EXPECT_TRUE(Load({{"shop.yaml",
                     "same_day_cutoff: \"23:59\"\nreturn_window_days: 365\n"
                     "compensation: {rate: 1, min: 30, max: 30}\n"}})
                  .empty());
}

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
       "intents/zh/a.yaml:5: a pattern is text (an exclude has no score), not "
       "a mapping (key: value)"},
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

// Slots (docs/authoring.md#slots): a capture names slots the locale
// defines, a reply quotes or tests only slots its intent captures, and each
// mistake is reported at its line with the fix.
const char kSlots[] =
    "slots:\n"                     // 1
    "  size:\n"                    // 2
    "    values: [S, M, L, XL]\n"  // 3
    "    range: [34, 48]\n";       // 4
const char kIntentWithCapture[] =
    "intents:\n"                               // 1
    "  - id: urge\n"                           // 2
    "    patterns:\n"                          // 3
    "      - 还没发货\n"                       // 4
    "    captures:\n"                          // 5
    "      - 换成(?P<size>xl|l|m|s|\\d{2})\n"  // 6
    "    examples: [还没发货]\n"               // 7
    "    counter_examples: [发票]\n";          // 8

TEST_F(PackLoaderTest, SlotsLoadAndCapture) {
  EXPECT_TRUE(Load({{"intents/zh/slots.yaml", kSlots},
                    {"intents/zh/a.yaml", kIntentWithCapture},
                    {"templates/zh/urge.yaml",
                     "intent: urge\nvariants:\n  - id: no_order\n"
                     "    when: not has_order and not slots.size\n"
                     "    text: 亲，请发一下订单号。\n"
                     "  - id: size\n    when: slots.size >= 40\n"
                     "    text: 亲，换成{{slots.size}}码。\n"}})
                  .empty());
}

TEST_F(PackLoaderTest, CaptureOfAnUnknownSlotSuggestsTheName) {
  std::string intent = kIntentWithCapture;
  intent.replace(intent.find("?P<size>"), 8, "?P<sise>");
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots}, {"intents/zh/a.yaml", intent}}),
      Contains(AllOf(HasSubstr("intents/zh/a.yaml:6: capture"),
                     HasSubstr("unknown slot 'sise' (did you mean "
                               "'size'?)"))));
}

TEST_F(PackLoaderTest, CaptureWithoutANamedGroup) {
  std::string intent = kIntentWithCapture;
  intent.replace(intent.find("?P<size>"), 8, "");
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots}, {"intents/zh/a.yaml", intent}}),
      Contains(AllOf(HasSubstr("intents/zh/a.yaml:6:"),
                     HasSubstr("names no slot"))));
}

TEST_F(PackLoaderTest, ReplyQuotingAnUnknownSlotSuggestsTheName) {
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots},
            {"intents/zh/a.yaml", kIntentWithCapture},
            {"templates/zh/urge.yaml",
             "intent: urge\nvariants:\n  - id: no_order\n"
             "    when: not has_order\n"
             "    text: 亲，换成{{slots.sizes}}码。\n"}}),
      Contains("templates/zh/urge.yaml:5: text: unknown slot 'slots.sizes' "
               "(did you mean 'size'?)"));
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots},
            {"intents/zh/a.yaml", kIntentWithCapture},
            {"templates/zh/urge.yaml",
             "intent: urge\nvariants:\n  - id: no_order\n"
             "    when: not has_order and slots.szie\n"
             "    text: 亲，您好。\n"}}),
      Contains("templates/zh/urge.yaml:4: when: unknown slot 'slots.szie' "
               "(did you mean 'size'?)"));
}

TEST_F(PackLoaderTest, ReplyQuotingASlotItsIntentDoesNotCapture) {
  EXPECT_THAT(Load({{"intents/zh/slots.yaml", kSlots},
                    {"templates/zh/urge.yaml",
                     "intent: urge\nvariants:\n  - id: no_order\n"
                     "    when: not has_order\n"
                     "    text: 亲，换成{{slots.size}}码。\n"}}),
              Contains(AllOf(HasSubstr("templates/zh/urge.yaml:5: text: intent "
                                       "'urge' captures no 'slots.size'"),
                             HasSubstr("(?P<size>...)"))));
}

TEST_F(PackLoaderTest, SlotThatAcceptsNothing) {
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", "slots:\n  size:\n    doc: x\n"}}),
      Contains("intents/zh/slots.yaml:2: slot 'size' accepts nothing: "
               "give it values, a range or a pattern"));
}

}  // namespace
}  // namespace reply

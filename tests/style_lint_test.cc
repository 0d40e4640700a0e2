// The style rules (tools/lint/style_rules.h): every template of the bundled
// packs passes them, and each rule fires on a template that breaks it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/engine_fixture.h"
#include "tools/lint/style_rules.h"

namespace reply::lint {
namespace {

using ::testing::HasSubstr;

std::set<std::string> RulesOf(const std::vector<StyleViolation>& v) {
  std::set<std::string> out;
  for (const StyleViolation& s : v) out.insert(std::string(s.rule));
  return out;
}

std::string Describe(const std::vector<StyleViolation>& v) {
  std::string out;
  for (const StyleViolation& s : v) {
    out += "  [" + std::string(s.rule) + "] line " + std::to_string(s.line) +
           ": " + s.message + "\n";
  }
  return out.empty() ? "  (none)\n" : out;
}

TEST(StyleLintTest, BundledTemplatesFollowEveryRule) {
  const auto pack = testing::BundledEngine().pack();
  size_t variants = 0;
  for (const LocalePack& lp : pack->locales) variants += lp.variants.size();
  ASSERT_GT(variants, 0u);
  const std::vector<PackIssue> issues = CheckStyle(*pack);
  for (const PackIssue& issue : issues) ADD_FAILURE() << issue.ToString();
  std::printf("%zu templates checked against %zu style rules\n", variants,
              StyleRules().size());
}

// A template that breaks exactly one rule, per rule and locale.
struct BadTemplate {
  const char* rule;
  const char* locale;
  const char* text;
};

constexpr BadTemplate kBad[] = {
    {"polite_address", "zh", "好的，订单已经安排发货，物流信息稍后会更新。"},
    {"polite_address", "vi",
     "Dạ, đơn hàng đã được gửi đi, mã vận đơn sẽ sớm cập nhật ạ."},
    {"informal_you", "zh", "亲，你的订单已经发出了，请耐心等待一下哦。"},
    {"informal_you", "vi",
     "Dạ, mày chờ thêm một chút, shop đang đóng gói đơn hàng cho anh/chị ạ."},
    {"min_length", "zh", "亲，好的。"},
    {"min_length", "zh", "您好，稍等。"},
    {"min_length", "vi", "Dạ anh/chị chờ nhé."},
    {"uncertain_phrase", "zh", "亲，应该是吧，快递那边的情况要看他们安排。"},
    {"uncertain_phrase", "zh", "亲，快递什么时候到，我们这边也不知道呢。"},
    {"uncertain_phrase", "vi",
     "Dạ, bên em cũng không biết khi nào hàng đến, anh/chị chờ thêm nhé."},
    {"rude_phrase", "zh", "亲，催什么呀，仓库会按顺序给您发货的。"},
    {"rude_phrase", "zh", "亲，还没到发货时间好吧，您耐心等一下。"},
    {"rude_phrase", "zh", "亲，别BB了，您的订单会按时发出的。"},
    {"rude_phrase", "zh", "亲，我又不是送快递的，您去问问快递员吧。"},
    {"rude_phrase", "vi",
     "Dạ, anh/chị đừng hối, shop sẽ gửi hàng theo thứ tự đặt hàng."},
    {"final_particle", "zh", "亲，您的订单已经发出啦，请注意查收物流信息。"},
    {"final_particle", "zh", "亲，这款穿起来真的很好看啊"},
    {"gift_promise", "zh", "亲，非常抱歉，发货后我们送您一张优惠券表示歉意。"},
    {"gift_promise", "zh", "亲，您这单我们给您包邮，请放心下单。"},
    {"gift_promise", "vi",
     "Dạ, shop xin lỗi anh/chị, shop sẽ gửi anh/chị một mã giảm giá cho lần "
     "sau."},
    {"money_literal", "zh", "亲，非常抱歉，我们会给您退5元差价，请您查收。"},
    {"money_literal", "zh",
     "亲，按规则我们按订单金额的5%给您补偿{{facts.compensation}}元。"},
    {"money_literal", "vi",
     "Dạ, shop sẽ hoàn lại cho anh/chị 20.000đ tiền chênh lệch ạ."},
    {"compensation_amount", "zh",
     "亲，非常抱歉耽误了您的时间，我们会给您一些补偿。"},
    {"compensation_amount", "vi",
     "Dạ, shop xin lỗi anh/chị và sẽ bồi thường cho sự bất tiện này ạ."},
    {"delivery_guarantee", "zh", "亲，您放心，保证明天就能送到您手上。"},
    {"delivery_guarantee", "zh", "亲，发出后一定能在后天到货的。"},
    {"delivery_guarantee", "vi",
     "Dạ, shop cam kết anh/chị sẽ nhận được hàng vào ngày mai ạ."},
    {"simplified_text", "zh", "亲，您的訂單已經發出了，請耐心等待一下哦。"},
    {"vi_diacritics", "vi",
     "Da, shop xin loi anh chi, don hang se duoc gui trong hom nay a."},
};

TEST(StyleLintTest, EachRuleFiresOnATemplateThatBreaksIt) {
  for (const BadTemplate& bad : kBad) {
    const std::vector<StyleViolation> v = CheckReplyText(bad.locale, bad.text);
    EXPECT_EQ(RulesOf(v), std::set<std::string>{bad.rule})
        << bad.locale << " \"" << bad.text << "\" should break only "
        << bad.rule << "; got:\n"
        << Describe(v);
    for (const StyleViolation& s : v) EXPECT_FALSE(s.message.empty());
  }
}

TEST(StyleLintTest, EveryRuleHasABadTemplateAndAReason) {
  std::set<std::string> covered;
  for (const BadTemplate& bad : kBad) covered.insert(bad.rule);
  for (const StyleRule& rule : StyleRules()) {
    EXPECT_TRUE(covered.count(std::string(rule.id)))
        << rule.id << " has no failing example";
    EXPECT_FALSE(rule.summary.empty()) << rule.id;
    EXPECT_FALSE(rule.locales.empty()) << rule.id;
  }
}

TEST(StyleLintTest, AllowedWordings) {
  const struct {
    const char* locale;
    const char* text;
  } good[] = {
      // The compensation the policy states, quoted from its placeholder.
      {"zh",
       "亲，按照违背发货承诺的规则，我们会主动补偿您{{facts.compensation}}"
       "元。"},
      {"zh",
       "亲，补偿按订单金额的{{shop.compensation_percent}}%计算，最低{{shop."
       "compensation_min}}元。"
       "我们会补偿您{{facts.compensation}}元。"},
      // A gift word right after a negation is a refusal, not a promise.
      {"zh",
       "亲，非常抱歉，赠品是系统按活动设置的，客服这边没办法额外加送哦。"},
      {"vi",
       "Dạ, shop xin lỗi anh/chị, shop không thể tặng thêm quà ngoài chương "
       "trình ạ."},
      // Saying the shop cannot guarantee a date is not a guarantee.
      {"zh",
       "亲，到货时间以快递派送为准，我们没法保证具体哪一天送到，还请您理解。"},
      {"vi",
       "Dạ, thời gian nhận hàng tùy đơn vị vận chuyển, shop không thể đảm bảo "
       "anh/chị nhận được đúng ngày ạ."},
      // 啊/啦 inside a sentence, 哦/呢 at its end.
      {"zh", "亲，您的订单已经发出了哦，物流信息一般24小时内更新呢。"},
      // Section tags are not text; placeholders count as no text.
      {"zh",
       "{{#buyer.name}}{{buyer.name}}，{{/"
       "buyer.name}}亲，您好！请问有什么可以帮您的呢？"},
      {"vi",
       "Dạ, shop xin lỗi anh/chị vì đơn hàng {{order.id}} bị giao chậm, shop "
       "đang liên hệ đơn vị vận chuyển ạ."},
      // "Nhanh" contains "anh" but is not a form of address; "anh/chị" is.
      {"vi",
       "Dạ, shop sẽ gửi hàng nhanh nhất có thể cho anh/chị trong hôm nay ạ."},
  };
  for (const auto& g : good) {
    const std::vector<StyleViolation> v = CheckReplyText(g.locale, g.text);
    EXPECT_TRUE(v.empty()) << g.locale << " \"" << g.text << "\":\n"
                           << Describe(v);
  }
  // Nhanh alone does not address the buyer.
  EXPECT_EQ(
      RulesOf(CheckReplyText(
          "vi",
          "Dạ, shop sẽ gửi hàng thật nhanh trong hôm nay cho đơn này ạ.")),
      std::set<std::string>{"polite_address"});
}

TEST(StyleLintTest, OneIssuePerViolationAtTheLineOfTheText) {
  const std::filesystem::path dir = testing::MakeTempDir("style-lint");
  testing::WriteFile(dir / "shop.yaml", "name: 测试店\n");
  testing::WriteFile(dir / "intents/zh/ask.yaml", R"(intents:
  - id: ask
    patterns: [发货]
    examples: [发货了吗]
    counter_examples: [你好]
)");
  testing::WriteFile(dir / "templates/zh/ask.yaml", R"(intent: ask
variants:
  - id: good
    when: has_order
    text: |-
      亲，您的订单已经安排好了，请耐心等待一下哦。
  - id: bad
    when: not has_order
    text: |-
      亲，您好，订单稍后为您查询。
      已经发货啦，还有一个小礼品哦。
  - id: short
    text: 嗯
)");
  std::vector<PackIssue> load_issues;
  const Result<const Normalizer*> normalizer = Normalizer::Shared();
  ASSERT_TRUE(normalizer.ok());
  auto pack = LoadPack(dir.string(), **normalizer, &load_issues);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const std::vector<PackIssue> issues = CheckStyle(**pack);
  std::filesystem::remove_all(dir);

  ASSERT_EQ(issues.size(), 4u) << [&] {
    std::string all;
    for (const PackIssue& i : issues) all += i.ToString() + "\n";
    return all;
  }();
  // Line 11 holds the second line of ask.bad's text.
  EXPECT_EQ(issues[0].file, "templates/zh/ask.yaml");
  EXPECT_EQ(issues[0].line, 11);
  EXPECT_THAT(issues[0].message, HasSubstr("ask.bad: [final_particle]"));
  EXPECT_EQ(issues[1].line, 11);
  EXPECT_THAT(issues[1].message, HasSubstr("ask.bad: [gift_promise]"));
  EXPECT_THAT(issues[1].message, HasSubstr("小礼品"));
  // An inline text is reported at its own line.
  EXPECT_EQ(issues[2].line, 13);
  EXPECT_THAT(issues[2].message, HasSubstr("ask.short: [polite_address]"));
  EXPECT_EQ(issues[3].line, 13);
  EXPECT_THAT(issues[3].message, HasSubstr("ask.short: [min_length]"));
}

// A wording experiment's arms are checked like texts, each at its line.
TEST(StyleLintTest, EachArmOfAnExperimentIsChecked) {
  const std::filesystem::path dir = testing::MakeTempDir("style-arms");
  testing::WriteFile(dir / "shop.yaml", "name: 测试店\n");
  testing::WriteFile(dir / "intents/zh/ask.yaml", R"(intents:
  - id: ask
    patterns: [发货]
    examples: [发货了吗]
    counter_examples: [你好]
)");
  testing::WriteFile(dir / "templates/zh/ask.yaml", R"(intent: ask
variants:
  - id: hello
    arms:
      - id: plain
        text: 亲，您的订单已经安排好了，我们尽快发出，请您耐心等待一下。
      - id: gift
        text: 亲，您的订单已经安排好了，发货后我们送您一张优惠券。
)");
  std::vector<PackIssue> load_issues;
  const Result<const Normalizer*> normalizer = Normalizer::Shared();
  ASSERT_TRUE(normalizer.ok());
  auto pack = LoadPack(dir.string(), **normalizer, &load_issues);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const std::vector<PackIssue> issues = CheckStyle(**pack);
  std::filesystem::remove_all(dir);
  // Two findings (the gift, the coupon), both the second arm's, at its line.
  ASSERT_EQ(issues.size(), 2u) << [&] {
    std::string all;
    for (const PackIssue& i : issues) all += i.ToString() + "\n";
    return all;
  }();
  for (const PackIssue& issue : issues) {
    EXPECT_EQ(issue.file, "templates/zh/ask.yaml");
    EXPECT_EQ(issue.line, 8);
    EXPECT_THAT(issue.message, HasSubstr("ask.hello arm gift: [gift_promise]"));
  }
}

// A small pack with one template, and `style` as its style.yaml (none when
// empty): what CheckStyle reports.
std::vector<PackIssue> StyleIssues(const std::string& style) {
  const std::filesystem::path dir = testing::MakeTempDir("style-book");
  testing::WriteFile(dir / "shop.yaml", "name: 测试店\n");
  testing::WriteFile(dir / "intents/zh/ask.yaml", R"(intents:
  - id: ask
    patterns: [发货]
    examples: [发货了吗]
    counter_examples: [你好]
)");
  testing::WriteFile(dir / "templates/zh/ask.yaml", R"(intent: ask
variants:
  - id: hello
    text: 亲，您的订单已经安排好了，我们尽快发出，请您耐心等待一下。
)");
  if (!style.empty()) testing::WriteFile(dir / "style.yaml", style);
  std::vector<PackIssue> load_issues;
  const Result<const Normalizer*> normalizer = Normalizer::Shared();
  EXPECT_TRUE(normalizer.ok());
  auto pack = LoadPack(dir.string(), **normalizer, &load_issues);
  EXPECT_TRUE(pack.ok()) << pack.status().ToString();
  std::vector<PackIssue> issues;
  if (pack.ok()) issues = CheckStyle(**pack);
  std::filesystem::remove_all(dir);
  return issues;
}

TEST(StyleBookTest, APacksOwnStyleFileGivesTheWords) {
  EXPECT_TRUE(StyleIssues("").empty()) << "the bundled words pass it";
  const std::vector<PackIssue> issues = StyleIssues(R"(zh:
  rude_phrase:
    phrases:
      - pattern: '耐心等待'
        reason: tells the buyer to wait
)");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].file, "templates/zh/ask.yaml");
  EXPECT_THAT(issues[0].message,
              HasSubstr("ask.hello: [rude_phrase] tells the buyer to wait: "
                        "\"耐心等待\""));
}

TEST(StyleBookTest, EveryMistakeInTheStyleFileIsReportedAtItsLine) {
  const std::vector<PackIssue> issues = StyleIssues(R"(zh:
  rude_phrase:
    phrases:
      - pattern: '(unclosed'
        reason: broken
      - pattern: 'ok'
  polite_adress:
    pattern: '亲'
)");
  std::vector<std::string> lines;
  for (const PackIssue& i : issues) lines.push_back(i.ToString());
  ASSERT_EQ(lines.size(), 3u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("style.yaml:7: "));
  EXPECT_THAT(lines[0], HasSubstr("did you mean 'polite_address'"));
  EXPECT_THAT(lines[1], HasSubstr("style.yaml:4: zh.rude_phrase: pattern: "
                                  "missing )"));
  EXPECT_THAT(lines[2], HasSubstr("style.yaml:6: "));
  EXPECT_THAT(lines[2], HasSubstr("reason"));
}

TEST(StyleBookTest, TheBundledBookIsTheRepositorysStyleFile) {
  std::vector<PackIssue> issues;
  const Result<StyleBook> file = StyleBook::Parse(
      "style.yaml",
      testing::ReadFile(testing::SourceDir() / std::string(kStyleFile)),
      &issues);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  for (const char* locale : {"zh", "vi"}) {
    for (const char* key : {"polite_address", "negation"}) {
      ASSERT_NE(file->Pattern(locale, key), nullptr) << locale << key;
      EXPECT_EQ(file->Pattern(locale, key)->pattern(),
                StyleBook::Bundled().Pattern(locale, key)->pattern());
    }
    EXPECT_EQ(file->Phrases(locale, "rude_phrase").size(),
              StyleBook::Bundled().Phrases(locale, "rude_phrase").size());
  }
}

}  // namespace
}  // namespace reply::lint

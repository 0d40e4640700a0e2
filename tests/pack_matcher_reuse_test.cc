// A load reuses the compiled matcher of an earlier snapshot whose patterns
// are the same (MatcherCache): a reload after a reply, shop or other
// locale's change compiles nothing; a changed pattern is compiled and heard;
// a pattern RE2 rejects is reported on every load.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class MatcherReuseTest : public ::testing::Test {
 protected:
  MatcherReuseTest() : dir_(testing::MakeTempDir("reuse")) {
    for (const auto& [path, content] : kGoodPack) Write(path, content);
    Write("intents/vi/a.yaml",
          "intents:\n"
          "  - id: urge\n"
          "    patterns: [chưa giao]\n"
          "    examples: [sao chưa giao hàng]\n"
          "    counter_examples: [phí ship]\n");
    Write("templates/vi/urge.yaml",
          "intent: urge\n"
          "variants:\n"
          "  - id: no_order\n"
          "    when: not has_order\n"
          "    text: Bạn gửi giúp mình mã đơn nhé.\n");
  }
  ~MatcherReuseTest() override { std::filesystem::remove_all(dir_); }

  // kGoodPack's zh intents with `pattern` after 还没发货, on line 5.
  void AddZhPattern(const std::string& pattern) {
    Write("intents/zh/a.yaml",
          "intents:\n"
          "  - id: urge\n"
          "    patterns:\n"
          "      - 还没发货\n"
          "      - " +
              pattern +
              "\n"
              "    examples: [还没发货]\n"
              "    counter_examples: [发票]\n");
  }

  void Write(const std::string& path, const std::string& content) {
    testing::WriteFile(dir_ / path, content);
  }

  Result<std::shared_ptr<const Pack>> Load(std::vector<PackIssue>* issues) {
    return LoadPack(dir_.string(), **Normalizer::Shared(), issues);
  }
  std::shared_ptr<const Pack> LoadGood() {
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack = Load(&issues);
    EXPECT_TRUE(pack.ok()) << pack.status().ToString();
    return pack.ok() ? *pack : nullptr;
  }

  static const LocalePack& Zh(const Pack& p) { return Find(p, "zh"); }
  static const LocalePack& Vi(const Pack& p) { return Find(p, "vi"); }
  static const LocalePack& Find(const Pack& p, const std::string& locale) {
    for (const LocalePack& lp : p.locales) {
      if (lp.locale == locale) return lp;
    }
    ADD_FAILURE() << "no locale " << locale;
    return p.locales.front();
  }
  // The intents `lp` hears in the normalized `text`.
  static size_t Hits(const LocalePack& lp, const std::string& text) {
    std::vector<IntentMatcher::Hit> hits;
    lp.matcher->Match(text, &hits);
    return hits.size();
  }

  std::filesystem::path dir_;
};

TEST_F(MatcherReuseTest, AReplyChangedReloadsWithTheSameMatchers) {
  std::shared_ptr<const Pack> before = LoadGood();
  ASSERT_NE(before, nullptr);
  Write("templates/zh/urge.yaml",
        "intent: urge\n"
        "variants:\n"
        "  - id: no_order\n"
        "    when: not has_order\n"
        "    text: 亲，麻烦发一下订单号。\n"
        "  - id: paid\n"
        "    when: status == \"paid\"\n"
        "    text: 亲，订单{{order.id}}已加急。\n");
  std::shared_ptr<const Pack> after = LoadGood();
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(Zh(*after).matcher, Zh(*before).matcher);
  EXPECT_EQ(Zh(*after).handoff_matcher, Zh(*before).handoff_matcher);
  EXPECT_EQ(Vi(*after).matcher, Vi(*before).matcher);
  EXPECT_EQ(Hits(Zh(*after), "还没发货"), 1u);
}

TEST_F(MatcherReuseTest, AChangedPatternIsCompiledAndHeardInItsLocaleOnly) {
  std::shared_ptr<const Pack> before = LoadGood();
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(Hits(Zh(*before), "怎么还不发"), 0u);
  AddZhPattern("还不发");
  std::shared_ptr<const Pack> after = LoadGood();
  ASSERT_NE(after, nullptr);
  EXPECT_NE(Zh(*after).matcher, Zh(*before).matcher);
  EXPECT_EQ(Hits(Zh(*after), "怎么还不发"), 1u);
  EXPECT_EQ(Hits(Zh(*before), "怎么还不发"), 0u);  // the old snapshot as it was
  EXPECT_EQ(Vi(*after).matcher, Vi(*before).matcher);
}

TEST_F(MatcherReuseTest, APatternRe2RejectsIsReportedOnEveryLoad) {
  std::shared_ptr<const Pack> good = LoadGood();
  ASSERT_NE(good, nullptr);
  AddZhPattern("还不(发");
  for (int load = 0; load < 2; ++load) {
    std::vector<PackIssue> issues;
    EXPECT_FALSE(Load(&issues).ok());
    std::vector<std::string> lines;
    for (const PackIssue& issue : issues) lines.push_back(issue.ToString());
    EXPECT_THAT(lines, Contains(HasSubstr("intents/zh/a.yaml:5: pattern")))
        << "load " << load;
  }
}

}  // namespace
}  // namespace reply

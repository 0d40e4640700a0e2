// Hong Kong Cantonese as buyers type it: the zh pack's dialect table
// (DialectWords, pack data) writes 冇, 唔, 咗, 係... as the Mandarin words
// patterns name, longest spelling first, keeping offsets; only a message
// with a Cantonese character (cantonese.h) is rewritten, so a Mandarin
// message with 系, 细 or 未 keeps them.
#include "engine/normalize/cantonese.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/normalize/dialect_words.h"
#include "engine/pipeline/pipeline.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

using ::testing::ElementsAre;

const Normalizer& N() { return **Normalizer::Shared(); }

DialectWords Table() {
  DialectWords t;
  for (const auto& [spelling, word] :
       std::vector<std::pair<std::string, std::string>>{{"冇", "没有"},
                                                        {"唔", "不"},
                                                        {"咗", "了"},
                                                        {"咗嚟", "来了"},
                                                        {"係", "是"},
                                                        {"細", "小"},
                                                        {"未", "没"},
                                                        {"仲未", "还没"},
                                                        {"點解", "为什么"}}) {
    Status s = t.Add(spelling, word, N());
    EXPECT_TRUE(s.ok()) << spelling << ": " << s.message();
  }
  for (const char* word : {"聯繫", "細節", "未來"}) {
    Status s = t.Keep(word, N());
    EXPECT_TRUE(s.ok()) << word << ": " << s.message();
  }
  return t;
}

std::string Rewritten(const DialectWords& table, const std::string& message,
                      bool offsets = false) {
  NormalizedText key;
  N().Normalize(message, &key, offsets);
  table.Apply(&key);
  return key.text;
}

TEST(CantoneseTest, CantoneseCharactersSurviveNormalizing) {
  // The gate reads the normalized key: each character of the list is one
  // before and after Traditional-to-Simplified (which makes 搵 揾).
  const std::string all = "冇唔咗嘅喺啲嘢哋乜佢畀睇攞嚟噉嗰咁㗎啱搵";
  for (size_t i = 0; i < all.size(); i += 3) {
    NormalizedText key;
    N().Normalize(all.substr(i, 3), &key);
    EXPECT_TRUE(HasCantoneseCharacter(all.substr(i, 3))) << all.substr(i, 3);
    EXPECT_TRUE(HasCantoneseCharacter(key.text)) << key.text;
  }
  EXPECT_FALSE(HasCantoneseCharacter("关系联系细节未来仲裁 ok 123"));
  EXPECT_FALSE(HasCantoneseCharacter(""));
  // The normalizer flags them as it folds, with offsets or without.
  for (bool offsets : {false, true}) {
    NormalizedText key;
    N().Normalize("聯繫唔到", &key, offsets);
    EXPECT_TRUE(key.cantonese);
    N().Normalize("搵", &key, offsets);
    EXPECT_TRUE(key.cantonese);
    N().Normalize("聯繫不到，細節，仲裁", &key, offsets);
    EXPECT_FALSE(key.cantonese);
  }
}

TEST(DialectWordsTest, CantoneseIsWrittenAsMandarin) {
  const DialectWords t = Table();
  EXPECT_EQ(Rewritten(t, "我冇收到"), "我没有收到");
  EXPECT_EQ(Rewritten(t, "收唔到"), "收不到");
  // Spellings are matched in Simplified: 係 and 系 alike.
  EXPECT_EQ(Rewritten(t, "係咪寄咗"), "是咪寄了");
  EXPECT_EQ(Rewritten(t, "件衫太細，著唔落"), "件衫太小着不落");
}

TEST(DialectWordsTest, TheLongestSpellingWinsAtEachCharacter) {
  const DialectWords t = Table();
  EXPECT_EQ(Rewritten(t, "送咗嚟"), "送来了");  // 咗嚟 before 咗
  EXPECT_EQ(Rewritten(t, "點解仲未寄咗"), "为什么还没寄了");  // 仲未 before 未
  // A kept word starts before the spelling inside it.
  EXPECT_EQ(Rewritten(t, "聯繫唔到"), "联系不到");
  EXPECT_EQ(Rewritten(t, "細節唔好，太細"), "细节不好太小");
  EXPECT_EQ(Rewritten(t, "未來唔寄"), "未来不寄");
}

// Spellings Mandarin also writes change only a Cantonese message.
TEST(DialectWordsTest, AMandarinMessageIsNeverRewritten) {
  const DialectWords t = Table();
  for (const char* m : {"联系不上客服", "细节做得很好", "衣服太细了", "未发货",
                        "仲裁", "为什么还未发货", "點解會這樣", "我係老客"}) {
    NormalizedText key;
    N().Normalize(m, &key);
    EXPECT_EQ(Rewritten(t, m), key.text) << m;
  }
  EXPECT_EQ(Rewritten(t, "我係老客，唔該"), "我是老客不该");
  EXPECT_EQ(Rewritten(t, "仲未寄咗"), "还没寄了");
}

TEST(DialectWordsTest, OffsetsPointAtWhatTheBuyerTyped) {
  const DialectWords t = Table();
  const std::string message = "點解 送咗嚟，冇";
  NormalizedText key;
  N().Normalize(message, &key, /*with_offsets=*/true);
  std::vector<DialectWords::Rewrite> rewrites;
  t.Apply(&key, &rewrites);
  ASSERT_EQ(key.text, "为什么送来了没有");
  ASSERT_EQ(key.source_begin.size(), key.text.size());
  const auto typed = [&](size_t begin, size_t end) {
    const auto [from, to] = key.SourceSpan(begin, end);
    return message.substr(from, to - from);
  };
  ASSERT_EQ(rewrites.size(), 3u);
  EXPECT_EQ(t.rules()[rewrites[0].rule].spelling, "點解");
  EXPECT_EQ(typed(rewrites[0].begin, rewrites[0].end), "點解");
  EXPECT_EQ(typed(rewrites[1].begin, rewrites[1].end), "咗嚟");
  EXPECT_EQ(typed(rewrites[2].begin, rewrites[2].end), "冇");
  EXPECT_EQ(typed(9, 12), "送");  // 送 is itself
  // With and without offsets, one key.
  EXPECT_EQ(Rewritten(t, message), key.text);
}

TEST(DialectWordsTest, BadSpellingsSayWhy) {
  DialectWords t = Table();
  int taken_by = -1;
  EXPECT_EQ(t.Add("冇", "无", N(), &taken_by).message(),
            "spelling '冇' is already taken: '冇' stands for '没有'");
  EXPECT_EQ(t.rules()[taken_by].spelling, "冇");
  EXPECT_EQ(t.Add("聯繫", "联络", N()).message(),
            "spelling '聯繫' is already taken: '聯繫' is kept as it is");
  EXPECT_EQ(t.Keep("冇", N()).message(),
            "spelling '冇' is already taken: '冇' stands for '没有'");
  EXPECT_EQ(t.Add("ok", "好", N()).message(),
            "spelling 'ok' is not Han characters alone (it normalizes to "
            "'ok')");
  EXPECT_EQ(t.Add("？", "什么", N()).message(),
            "spelling '？' is empty once normalized");
  EXPECT_EQ(t.Add("一二三四五六七八九", "数", N()).message(),
            "spelling '一二三四五六七八九' is 9 characters; at most 8");
  EXPECT_EQ(t.Add("著", "着", N()).message(),
            "spelling '著' is '着' itself once normalized: the normalizer "
            "already makes them one");
  EXPECT_EQ(t.Add("嘢", "", N()).message(), "'' is empty once normalized");
  // The same rule twice, in either script, is one rule.
  const size_t rules = t.rules().size();
  EXPECT_TRUE(t.Add("系", "是", N()).ok());
  EXPECT_EQ(t.rules().size(), rules);
}

TEST(CantonesePackTest, DialectErrorsAtTheirLines) {
  const std::filesystem::path dir = testing::MakeTempDir("zh-dialect");
  std::filesystem::copy(testing::SourceDir() / "shop.yaml", dir / "shop.yaml");
  testing::WriteFile(dir / "intents/zh/cantonese.yaml",
                     "dialect:\n"        // 1
                     "  没有: [冇]\n"    // 2
                     "  无: [冇]\n"      // 3
                     "  好: [ok, '']\n"  // 4
                     "  什么: []\n"      // 5
                     "dialect_keep:\n"   // 6
                     "  - 冇\n"          // 7
                     "  - 关系\n");      // 8
  testing::WriteFile(dir / "intents/zh/a.yaml",
                     "intents:\n  - id: a\n    patterns: [没有]\n"
                     "    examples: [冇]\n    counter_examples: [有]\n");
  testing::WriteFile(dir / "templates/zh/a.yaml",
                     "intent: a\nvariants:\n  - id: no_order\n"
                     "    text: 亲，请把订单号发给我们，帮您查一下。\n");
  std::vector<PackIssue> issues;
  const auto pack = LoadPack(dir.string(), N(), &issues);
  std::filesystem::remove_all(dir);
  std::vector<std::string> lines;
  for (const PackIssue& i : issues) {
    if (i.file == "intents/zh/cantonese.yaml") lines.push_back(i.ToString());
  }
  EXPECT_THAT(
      lines,
      ElementsAre(
          "intents/zh/cantonese.yaml:3: dialect: spelling '冇' is already "
          "taken: '冇' stands for '没有' at intents/zh/cantonese.yaml:2",
          "intents/zh/cantonese.yaml:4: dialect: spelling 'ok' is not Han "
          "characters alone (it normalizes to 'ok')",
          "intents/zh/cantonese.yaml:4: dialect: spelling '' is empty once "
          "normalized",
          "intents/zh/cantonese.yaml:5: '什么' needs a non-empty list of "
          "spellings",
          "intents/zh/cantonese.yaml:7: dialect_keep: spelling '冇' is "
          "already taken: '冇' stands for '没有' at "
          "intents/zh/cantonese.yaml:2",
          "intents/zh/cantonese.yaml:8: dialect_keep: '关系' holds no "
          "spelling of the dialect table, so there is nothing to keep it "
          "from; remove it"));
}

// The bundled zh pack: Cantonese reaches the Mandarin patterns, and explain
// shows each rewrite at the buyer's own characters and the rule's line.
TEST(CantonesePackTest, ExplainShowsWhatWasWrittenOut) {
  Request request;
  request.message = "話送咗嚟但係我冇收到";
  request.locale = "zh";
  Trace trace;
  Result<Response> r = testing::BundledEngine().Explain(request, &trace);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->normalized, "说送来了但是我没有收到");
  ASSERT_EQ(trace.normalized.text, r->normalized);
  const size_t at = trace.normalized.text.find("没有收到");
  const auto [from, to] = trace.normalized.SourceSpan(at, at + 12);
  EXPECT_EQ(request.message.substr(from, to - from), "冇收到");
  ASSERT_FALSE(r->intents.empty());
  EXPECT_EQ(r->intents[0].name, "signed_not_received");
}

}  // namespace
}  // namespace reply

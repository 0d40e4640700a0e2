// Vietnamese as buyers type it: words keep their spaces so a short
// syllable cannot match inside another word; the teencode table
// (Abbreviations, pack data) writes ko, dc, sp... out in full, keeping
// offsets; accented and diacritic-free input reach the same patterns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "engine/normalize/abbreviations.h"
#include "engine/pipeline/pipeline.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Normalizer& N() { return **Normalizer::Shared(); }

Abbreviations Table() {
  Abbreviations t;
  for (const auto& [spelling, full] :
       std::vector<std::pair<std::string, std::string>>{{"ko", "không"},
                                                        {"k", "không"},
                                                        {"hông", "không"},
                                                        {"dc", "được"},
                                                        {"đc", "được"},
                                                        {"sp", "sản phẩm"},
                                                        {"đh", "đơn hàng"},
                                                        {"dh", "đơn hàng"},
                                                        {"gởi", "gửi"}}) {
    Status s = t.Add(spelling, full, N());
    EXPECT_TRUE(s.ok()) << spelling << ": " << s.message();
  }
  return t;
}

std::string Rewritten(const Abbreviations& table, const std::string& message,
                      bool offsets = false) {
  NormalizedText key;
  N().Normalize(message, &key, offsets);
  table.Apply(message, N(), &key);
  return key.text;
}

TEST(AbbreviationsTest, WholeWordsAreWrittenOut) {
  const Abbreviations t = Table();
  EXPECT_EQ(Rewritten(t, "Sp ko dc giao?"), "san pham khong duoc giao");
  EXPECT_EQ(Rewritten(t, "ĐH của mình"), "don hang cua minh");
  // Inside a word, or glued to a digit, a spelling is not a word.
  EXPECT_EQ(Rewritten(t, "kokoro 5k dcm"), "kokoro 5k dcm");
  // Next to Han text a Latin run is a word of its own.
  EXPECT_EQ(Rewritten(t, "sp这个"), "san pham这个");
  EXPECT_EQ(Rewritten(t, "không có"), "khong co");
}

// hông (không) and hỏng (broken) both fold to "hong": the accented
// spelling matches only the word typed with exactly its diacritics, in any
// case and composed or not; gởi (gửi) is not gọi (to call).
TEST(AbbreviationsTest, AnAccentedSpellingMatchesOnlyItsAccents) {
  const Abbreviations t = Table();
  EXPECT_EQ(Rewritten(t, "hông có hàng"), "khong co hang");
  EXPECT_EQ(Rewritten(t, "HÔNG có"), "khong co");
  EXPECT_EQ(Rewritten(t, "ho\u0302ng có"), "khong co");
  EXPECT_EQ(Rewritten(t, "hàng bị hỏng"), "hang bi hong");
  EXPECT_EQ(Rewritten(t, "hong"), "hong");
  EXPECT_EQ(Rewritten(t, "gởi hàng"), "gui hang");
  EXPECT_EQ(Rewritten(t, "gọi điện"), "goi dien");
  // The explain path, with offsets, agrees.
  for (const char* m : {"hông có hàng", "hàng bị hỏng", "gởi hàng", "Sp ko"}) {
    EXPECT_EQ(Rewritten(t, m, /*offsets=*/true), Rewritten(t, m)) << m;
  }
}

TEST(AbbreviationsTest, OffsetsPointAtTheWordTheBuyerTyped) {
  const Abbreviations t = Table();
  const std::string message = "Sp  KO dc, hông";
  NormalizedText key;
  N().Normalize(message, &key, /*with_offsets=*/true);
  std::vector<Abbreviations::Rewrite> rewrites;
  t.Apply(message, N(), &key, &rewrites);
  ASSERT_EQ(key.text, "san pham khong duoc khong");
  ASSERT_EQ(key.source_begin.size(), key.text.size());
  const auto typed = [&](size_t begin, size_t end) {
    const auto [from, to] = key.SourceSpan(begin, end);
    return message.substr(from, to - from);
  };
  EXPECT_EQ(typed(0, 8), "Sp");          // san pham
  EXPECT_EQ(typed(9, 14), "KO");         // khong
  EXPECT_EQ(typed(8, 9), "  ");          // the space between
  EXPECT_EQ(typed(0, 19), "Sp  KO dc");  // san pham khong duoc
  EXPECT_EQ(typed(20, 25), "hông");
  ASSERT_EQ(rewrites.size(), 4u);
  EXPECT_EQ(t.rules()[rewrites[0].rule].spelling, "sp");
  EXPECT_EQ(
      key.text.substr(rewrites[3].begin, rewrites[3].end - rewrites[3].begin),
      "khong");
  EXPECT_EQ(t.rules()[rewrites[3].rule].spelling, "hông");
}

TEST(AbbreviationsTest, BadSpellingsSayWhy) {
  Abbreviations t = Table();
  int taken_by = -1;
  EXPECT_EQ(t.Add("k", "khi", N(), &taken_by).message(),
            "spelling 'k' is already taken: 'k' stands for 'không' (however "
            "accented)");
  EXPECT_EQ(t.rules()[taken_by].spelling, "k");
  EXPECT_EQ(t.Add("ko ko", "không", N()).message(),
            "spelling 'ko ko' is not one word of letters and digits (it folds "
            "to 'ko ko')");
  EXPECT_EQ(t.Add("khongdau12", "không dấu", N()).message(),
            "spelling 'khongdau12' is 10 letters once folded; at most 8 "
            "(abbreviations are short)");
  EXPECT_EQ(t.Add("khong", "không", N()).message(),
            "spelling 'khong' is 'không' itself once folded: the normalizer "
            "already makes them one");
  // Another accent of an accented spelling is another spelling.
  EXPECT_TRUE(t.Add("hổng", "không", N()).ok());
  EXPECT_TRUE(t.Add("hồng", "màu hồng", N()).ok());
  EXPECT_EQ(Rewritten(t, "hổng hồng hỏng"), "khong mau hong hong");
}

// The bundled vi pack: accented, diacritic-free and teencode messages reach
// the same intents, and a short syllable no longer matches inside a word.
TEST(VietnamesePackTest, ThreeWaysOfTypingOneMessage) {
  const auto intents = [](const std::string& message) {
    Request request;
    request.message = message;
    request.locale = "vi";
    Result<Response> r = testing::BundledEngine().Suggest(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    for (const IntentMatch& m : r->intents) out.push_back(m.name);
    return out;
  };
  // "It has not come", nothing said of shipping: urge_shipment by the label
  // definitions (../shared/eval/README.md); the order's state picks the reply.
  for (const char* m :
       {"Sao chưa nhận được hàng vậy shop", "sao chua nhan duoc hang vay shop",
        "sao chx nhận đc hàng v shop"}) {
    EXPECT_THAT(intents(m), ElementsAre("urge_shipment")) << m;
  }
  for (const char* m :
       {"Shop gửi hàng chưa ạ", "shop gui hang chua a", "shop gởi hàng chx"}) {
    EXPECT_THAT(intents(m), ElementsAre("urge_shipment")) << m;
  }
  EXPECT_THAT(intents("Còn size M hok"), ElementsAre("out_of_stock"));
}

TEST(VietnamesePackTest, PatternsCanMarkWordEdges) {
  // \b is RE2's ASCII word boundary, and the key's Latin words are ASCII.
  const RE2 gia(N().FoldPattern("\\bgiá\\b"));
  NormalizedText key;
  N().Normalize("giao hàng chậm", &key);
  EXPECT_FALSE(RE2::PartialMatch(key.text, gia)) << key.text;
  N().Normalize("giá bị sai", &key);
  EXPECT_TRUE(RE2::PartialMatch(key.text, gia)) << key.text;
  N().Normalize("Giá: 100k", &key);
  EXPECT_TRUE(RE2::PartialMatch(key.text, gia)) << key.text;
}

TEST(VietnamesePackTest, AbbreviationErrorsAtTheirLines) {
  const std::filesystem::path dir = testing::MakeTempDir("vi-abbrev");
  std::filesystem::copy(testing::SourceDir() / "shop.yaml", dir / "shop.yaml");
  testing::WriteFile(dir / "intents/vi/abbreviations.yaml",
                     "abbreviations:\n"       // 1
                     "  không: [ko, k]\n"     // 2
                     "  khi: [k]\n"           // 3
                     "  được: [dc, 'd c']\n"  // 4
                     "  gì: []\n");           // 5
  testing::WriteFile(dir / "intents/vi/a.yaml",
                     "intents:\n  - id: a\n    patterns: [không]\n"
                     "    examples: [ko]\n    counter_examples: [có]\n");
  testing::WriteFile(dir / "templates/vi/a.yaml",
                     "intent: a\nvariants:\n  - id: no_order\n"
                     "    text: Dạ shop chào anh/chị, anh/chị gửi giúp shop "
                     "mã đơn hàng nhé ạ.\n");
  std::vector<PackIssue> issues;
  const auto pack = LoadPack(dir.string(), N(), &issues);
  std::filesystem::remove_all(dir);
  std::vector<std::string> lines;
  for (const PackIssue& i : issues) lines.push_back(i.ToString());
  EXPECT_THAT(lines,
              ElementsAre("intents/vi/abbreviations.yaml:3: abbreviations: "
                          "spelling 'k' is already taken: 'k' stands for "
                          "'không' (however accented) at "
                          "intents/vi/abbreviations.yaml:2",
                          "intents/vi/abbreviations.yaml:4: abbreviations: "
                          "spelling 'd c' is not one word of letters and "
                          "digits (it folds to 'd c')",
                          "intents/vi/abbreviations.yaml:5: 'gì' needs a "
                          "non-empty list of spellings"));
}

// Explain shows the words written out, and spans in the buyer's own text.
TEST(VietnamesePackTest, ExplainShowsWhatWasWrittenOut) {
  Request request;
  request.message = "Shop gởi hàng CHX";
  request.locale = "vi";
  Trace trace;
  Result<Response> r = testing::BundledEngine().Explain(request, &trace);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->normalized, "shop gui hang chua");
  ASSERT_EQ(trace.normalized.text, r->normalized);
  const size_t at = trace.normalized.text.find("gui hang chua");
  const auto [from, to] = trace.normalized.SourceSpan(at, at + 13);
  EXPECT_EQ(request.message.substr(from, to - from), "gởi hàng CHX");
}

}  // namespace
}  // namespace reply

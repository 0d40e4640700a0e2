#include "engine/normalize/normalizer.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <memory>

#include "engine/base/utf8.h"
#include "engine/normalize/char_table.h"
#include "tests/test_util.h"

namespace reply {
namespace {

const Normalizer& N() {
  static const Normalizer* n = [] {
    Result<const Normalizer*> shared = Normalizer::Shared();
    EXPECT_TRUE(shared.ok()) << shared.status().ToString();
    return *shared;
  }();
  return *n;
}

NormalizedText Norm(std::string_view text, bool offsets = false) {
  NormalizedText out;
  N().Normalize(text, &out, offsets);
  return out;
}

// ICU's own transliterator, the reference: "Simplified-Traditional" or
// "Traditional-Simplified".
std::string IcuTransliterate(const char* id, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  EXPECT_TRUE(U_SUCCESS(status)) << id;
  if (!U_SUCCESS(status)) return "";
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  t->transliterate(u);
  std::string out;
  return u.toUTF8String(out);
}

struct Case {
  const char* input;
  const char* key;
  Script script;
};

class NormalizeTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(NormalizeTableTest, ProducesKeyAndScript) {
  const Case& c = GetParam();
  NormalizedText out = Norm(c.input);
  EXPECT_EQ(out.text, c.key) << c.input;
  EXPECT_EQ(ScriptName(out.script), ScriptName(c.script)) << c.input;
  // Explain's path, which also records offsets, agrees.
  NormalizedText traced = Norm(c.input, /*offsets=*/true);
  EXPECT_EQ(traced.text, c.key) << c.input;
  EXPECT_EQ(ScriptName(traced.script), ScriptName(c.script)) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeTableTest,
    ::testing::Values(
        // Width and case.
        Case{"ＡＢＣ１２３", "abc123", Script::kLatin},
        Case{"ABC Def", "abc def", Script::kLatin},
        Case{"尺码ＸＬ太大了", "尺码xl太大了", Script::kHans},
        Case{"１２３", "123", Script::kUnknown},
        // Traditional to Simplified, phrases included.
        Case{"怎麼沒有物流信息", "怎么没有物流信息", Script::kHant},
        Case{"甚麼時候發貨", "什么时候发货", Script::kHant},
        // The marker 麼 is inside a phrase rule (甚麼 > 什么).
        Case{"甚麼", "什么", Script::kHant},
        Case{"顯示簽收了但我沒收到", "显示签收了但我没收到", Script::kHant},
        Case{"運費誰出", "运费谁出", Script::kHant},
        Case{"怎么还不发货", "怎么还不发货", Script::kHans},
        Case{"著名品牌", "著名品牌", Script::kHans},
        // Spaces, punctuation, repeated punctuation and emoji.
        Case{"还不发货？？？😡😡", "还不发货", Script::kHans},
        Case{"  还 不\t发\u3000货 !!! ", "还不发货", Script::kHans},
        Case{"发货了吗👍🏻❤️‍🔥", "发货了吗", Script::kHans},
        Case{"「尺碼」小了……", "尺码小了", Script::kHant},
        // Vietnamese: diacritics folded, đ to d, one space between words.
        Case{"Sao chưa giao hàng?", "sao chua giao hang", Script::kLatin},
        Case{"ĐƠN HÀNG của tôi đâu", "don hang cua toi dau", Script::kLatin},
        Case{"chua  giao\thang", "chua giao hang", Script::kLatin},
        // Decomposed input folds like precomposed input: a combining mark
        // or a format character does not split a word.
        Case{"giao ha\u0300ng", "giao hang", Script::kLatin},
        Case{"k\u200Bo", "ko", Script::kLatin},
        // Any separator splits Latin words: punctuation, emoji.
        Case{"hàng,shop!!!ơi", "hang shop oi", Script::kLatin},
        Case{"ok👍shop 😡 nhé", "ok shop nhe", Script::kLatin},
        // Digits are words too.
        Case{"Đặt 3 ngày rồi", "dat 3 ngay roi", Script::kLatin},
        Case{"iPhone 12 Pro", "iphone 12 pro", Script::kLatin},
        Case{"１２３ ４５", "123 45", Script::kUnknown},
        // No space in Han text, nor between Han and Latin.
        Case{"尺码 XL 太大了", "尺码xl太大了", Script::kHans},
        Case{"发货 ok 吗", "发货ok吗", Script::kHans},
        Case{"  hàng  ", "hang", Script::kLatin},
        Case{"😡😡😡", "", Script::kUnknown}, Case{"", "", Script::kUnknown}));

TEST(NormalizerTest, OffsetsMapBackToTheOriginal) {
  const std::string message = "怎麼 還不發貨？";
  NormalizedText out = Norm(message, /*offsets=*/true);
  ASSERT_EQ(out.text, "怎么还不发货");
  ASSERT_EQ(out.source_begin.size(), out.text.size());
  const size_t at = out.text.find("发货");
  auto [begin, end] = out.SourceSpan(at, at + std::string("发货").size());
  EXPECT_EQ(message.substr(begin, end - begin), "發貨");
  auto [b2, e2] = out.SourceSpan(0, out.text.find("还"));
  EXPECT_EQ(message.substr(b2, e2 - b2), "怎麼");
}

// A space stands for the separators it replaces; a word's letters for the
// buyer's own letters.
TEST(NormalizerTest, SpaceOffsetsCoverTheSeparators) {
  const std::string message = "Sao  chưa, giao";
  NormalizedText out = Norm(message, /*offsets=*/true);
  ASSERT_EQ(out.text, "sao chua giao");
  auto [b1, e1] = out.SourceSpan(3, 4);
  EXPECT_EQ(message.substr(b1, e1 - b1), "  ");
  auto [b2, e2] = out.SourceSpan(4, 13);
  EXPECT_EQ(message.substr(b2, e2 - b2), "chưa, giao");
  auto [b3, e3] = out.SourceSpan(8, 9);
  EXPECT_EQ(message.substr(b3, e3 - b3), ", ");
}

TEST(NormalizerTest, PhraseOffsetsCoverThePhrase) {
  const std::string message = "甚麼時候";
  NormalizedText out = Norm(message, /*offsets=*/true);
  ASSERT_EQ(out.text, "什么时候");
  auto [begin, end] = out.SourceSpan(0, std::string("什么").size());
  EXPECT_EQ(message.substr(begin, end - begin), "甚麼");
}

TEST(NormalizerTest, EveryCodePointNormalizesToValidUtf8) {
  std::string all;
  for (char32_t c = 1; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    AppendUtf8(c, &all);
  }
  NormalizedText out = Norm(all, /*offsets=*/true);
  EXPECT_EQ(FindInvalidUtf8(out.text), std::string_view::npos);
  EXPECT_EQ(out.source_begin.size(), out.text.size());
  EXPECT_GT(out.text.size(), 100000u);
  // The fast path copies keys from the table's entries and its pool; the
  // explain path appends them: both give the same key for every character.
  EXPECT_TRUE(Norm(all).text == out.text);
}

// The dev set in Traditional (converted by ICU) normalizes to what the same
// messages give after ICU's own Traditional-Simplified transliterator, on
// the fast path and on explain's path alike.
TEST(NormalizerTest, TraditionalInputAgreesWithIcuOnDevSet) {
  const auto rows = testing::ReadEvalSet();
  ASSERT_GE(rows.size(), 600u);
  for (const auto& [text, label] : rows) {
    const std::string traditional =
        IcuTransliterate("Simplified-Traditional", text);
    const std::string expected =
        Norm(IcuTransliterate("Traditional-Simplified", traditional)).text;
    EXPECT_EQ(Norm(traditional).text, expected) << traditional;
    EXPECT_EQ(Norm(traditional, /*offsets=*/true).text, expected)
        << traditional;
  }
}

// The table holds each letter's key inline (char_table.h); its size is the
// cost of that, held once per process.
TEST(CharTableTest, WholeUnicodeFitsInTwoMegabytes) {
  Result<CharTable> table = CharTable::Build(N().traditional_to_simplified());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_LT(table->bytes(), 2u << 20);
  EXPECT_EQ(table->Key(table->Lookup(U'Ａ')), "a");
  EXPECT_EQ(table->Key(table->Lookup(U'發')), "发");
  EXPECT_EQ(table->Key(table->Lookup(U'，')), "");
  EXPECT_EQ(table->Key(table->Lookup(U'\uFDFA')).size(),
            table->Lookup(U'\uFDFA').length);
  EXPECT_GT(table->Lookup(U'\uFDFA').length, CharTable::kInlineKey);
}

// CharTable::Build skips folding unassigned and private-use code points
// (three quarters of Unicode) on a premise about ICU's data; this checks
// the premise for every such code point, on the ICU the engine runs with,
// and that their entries are what folding them would give.
TEST(CharTableTest, UnassignedAndPrivateUseFoldToNothing) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  Result<CharTable> table = CharTable::Build(N().traditional_to_simplified());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const auto& markers = N().traditional_to_simplified().markers();
  int checked = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (!CharTable::IsUnassignedOrPrivate(c)) continue;
    ++checked;
    const icu::UnicodeString self(static_cast<UChar32>(c));
    const icu::UnicodeString folded = nfkc_cf->normalize(self, status);
    ASSERT_TRUE(U_SUCCESS(status));
    ASSERT_TRUE(folded.isEmpty() || folded == self) << uint32_t{c};
    ASSERT_FALSE(u_isalnum(c)) << uint32_t{c};
    UErrorCode script_status = U_ZERO_ERROR;
    ASSERT_NE(uscript_getScript(c, &script_status), USCRIPT_HAN) << uint32_t{c};
    const CharTable::Entry& e = table->Lookup(c);
    ASSERT_EQ(e.action, CharTable::kDrop) << uint32_t{c};
    ASSERT_EQ(e.length, 0) << uint32_t{c};
    const uint8_t marker = markers.count(c) ? CharTable::kTraditionalMarker : 0;
    ASSERT_EQ(e.flags, CharTable::kBreak | marker) << uint32_t{c};
  }
  EXPECT_GT(checked, 0x110000 / 2);
}

TEST(FoldPatternTest, FoldsLiteralsAndKeepsSyntax) {
  EXPECT_EQ(N().FoldPattern("發貨"), "发货");
  EXPECT_EQ(N().FoldPattern("chưa giao hàng"), "chua giao hang");
  EXPECT_EQ(N().FoldPattern("(还|怎么).{0,6}(不|没)发货"),
            "(还|怎么).{0,6}(不|没)发货");
  EXPECT_EQ(N().FoldPattern("ＸＬ码?"), "xl码?");
  EXPECT_EQ(N().FoldPattern("吗？"), "吗");
  EXPECT_EQ(N().FoldPattern("\\d{2,}天"), "\\d{2,}天");
  EXPECT_EQ(N().FoldPattern("[A-Z]\\p{Han}"), "[A-Z]\\p{Han}");
  EXPECT_EQ(N().FoldPattern("[發寄]貨"), "[发寄]货");
  EXPECT_EQ(N().FoldPattern("(?:Đơn|đơn) hàng"), "(?:don|don) hang");
  EXPECT_EQ(N().FoldPattern("a{x}"), "a{x}");
}

// Spaces fold as messages fold them: one space between two literals that
// are Latin words, wherever regex syntax stands around it; none next to Han
// text or at the ends.
TEST(FoldPatternTest, KeepsSpacesBetweenLatinWordsOnly) {
  EXPECT_EQ(N().FoldPattern("(gửi|ship) (hàng )?(nhanh|sớm)"),
            "(gui|ship) (hang )?(nhanh|som)");
  EXPECT_EQ(N().FoldPattern("(hàng|đơn)? ?chưa"), "(hang|don)? ?chua");
  EXPECT_EQ(N().FoldPattern("(mới |thì )?gửi"), "(moi |thi )?gui");
  EXPECT_EQ(N().FoldPattern("chưa,  giao"), "chua giao");
  EXPECT_EQ(N().FoldPattern(" giao "), "giao");
  EXPECT_EQ(N().FoldPattern("\\d+ ngày"), "\\d+ ngay");
  EXPECT_EQ(N().FoldPattern("[0-9] ngày"), "[0-9] ngay");
  EXPECT_EQ(N().FoldPattern("\\bk\\b .{0,4}nhận"), "\\bk\\b .{0,4}nhan");
  EXPECT_EQ(N().FoldPattern("发 货"), "发货");
  EXPECT_EQ(N().FoldPattern("xl 码"), "xl码");
  EXPECT_EQ(N().FoldPattern("码 xl"), "码xl");
  // A space dropped before Han takes its quantifier with it.
  EXPECT_EQ(N().FoldPattern("hàng ?吗"), "hang吗");
  EXPECT_EQ(N().FoldPattern("hàng ?\\p{Han}"), "hang\\p{Han}");
}

// What FoldPattern makes of a pattern matches what Normalize makes of the
// same words typed by a buyer.
TEST(FoldPatternTest, AgreesWithNormalizeOnPlainText) {
  for (const char* text :
       {"Sao chưa giao hàng", "Đặt 3 ngày rồi, chưa nhận", "size L, nhỏ quá",
        "怎麼還不發貨", "尺码 XL 太大了", "ok 👍 shop"}) {
    EXPECT_EQ(N().FoldPattern(text), Norm(text).text) << text;
  }
}

// ICU's transliterator is the reference; the table must agree with it on
// every message of the dev set, converted to Traditional by ICU itself.
TEST(HanConverterTest, AgreesWithIcuTransliteratorOnDevSet) {
  const auto rows = testing::ReadEvalSet();
  ASSERT_GE(rows.size(), 600u);
  size_t changed = 0;
  for (const auto& [text, label] : rows) {
    const std::string traditional =
        IcuTransliterate("Simplified-Traditional", text);
    EXPECT_EQ(N().simplified_to_traditional().Convert(text), traditional)
        << text;
    EXPECT_EQ(N().traditional_to_simplified().Convert(traditional),
              IcuTransliterate("Traditional-Simplified", traditional))
        << traditional;
    changed += traditional != text;
  }
  // The comparison means something only if most messages did change.
  EXPECT_GT(changed, rows.size() / 2);
}

// The normalizer applies Traditional->Simplified phrase rules without the
// text before them (normalizer.cc, MatchPhrase): true only while ICU's rules
// in that direction have no context.
TEST(HanConverterTest, TraditionalToSimplifiedRulesHaveNoContext) {
  size_t rules = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    const auto* list = N().traditional_to_simplified().RulesFor(c);
    if (list == nullptr) continue;
    for (const HanConverter::Rule& rule : *list) {
      ++rules;
      EXPECT_TRUE(rule.pre.empty() && rule.post.empty())
          << "a context rule for U+" << std::hex << uint32_t{c};
    }
  }
  EXPECT_GT(rules, 1000u);
}

TEST(HanConverterTest, ContextRulesFollowIcu) {
  // "[一七万...]{余} > 餘": the pre-context is the converted text before.
  Result<HanConverter> c = HanConverter::FromRules(
      "[一二]{余} > 餘;\n余 > 余;\n{丰}[姿] > 丰;\n丰 > 豐;\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Convert("一余"), "一餘");
  EXPECT_EQ(c->Convert("三余"), "三余");
  EXPECT_EQ(c->Convert("丰姿丰收"), "丰姿豐收");
}

TEST(HanConverterTest, RejectsUnknownRuleSyntax) {
  EXPECT_FALSE(HanConverter::FromRules("$x > y;\n").ok());
  EXPECT_FALSE(HanConverter::FromRules("a -> b\n").ok());
}

}  // namespace
}  // namespace reply

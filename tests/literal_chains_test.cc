#include "engine/match/literal_chains.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/match/pattern_set.h"

namespace reply {
namespace {

// Adds `patterns` to `set`, each decided by its chain alone, and compiles.
void AddDecidedWithoutRe2(const std::vector<std::string>& patterns,
                          PatternSet* set) {
  for (const std::string& p : patterns) {
    int id;
    ASSERT_TRUE(set->Add(p, &id).ok()) << p;
    EXPECT_TRUE(set->decided_without_re2(id)) << p;
  }
  set->Compile();
}

// The patterns of `set` that RE2 finds in `text`: what Match must answer.
std::vector<int> VerifiedByRe2(const PatternSet& set, const std::string& text) {
  std::vector<int> found;
  for (int p = 0; p < set.size(); ++p) {
    if (set.Verify(p, text)) found.push_back(p);
  }
  return found;
}

// Matches each of `texts` with `set`, expecting what RE2 finds
// (VerifiedByRe2); returns how many matches there were.
size_t ExpectDecidedAsRe2(const PatternSet& set,
                          const std::vector<std::string>& texts) {
  std::vector<int> matched;
  size_t matches = 0;
  for (const std::string& text : texts) {
    set.Match(text, &matched);
    const std::vector<int> expected = VerifiedByRe2(set, text);
    EXPECT_EQ(matched, expected) << text;
    matches += expected.size();
  }
  return matches;
}

std::vector<LiteralChain> Chains(const std::string& pattern) {
  std::vector<LiteralChain> chains;
  EXPECT_TRUE(ParseLiteralChains(pattern, &chains)) << pattern;
  return chains;
}

std::vector<std::string> Texts(const std::vector<LiteralChain::Piece>& e) {
  std::vector<std::string> out;
  for (const auto& piece : e) out.push_back(piece.text);
  return out;
}

TEST(LiteralChainsTest, WordListsAndGaps) {
  const auto chains = Chains("(还|怎么).{0,6}(不|没)发货");
  ASSERT_EQ(chains.size(), 1u);
  ASSERT_EQ(chains[0].elements.size(), 2u);
  EXPECT_EQ(Texts(chains[0].elements[0]),
            (std::vector<std::string>{"怎么", "还"}));
  EXPECT_EQ(Texts(chains[0].elements[1]),
            (std::vector<std::string>{"不发货", "没发货"}));
  ASSERT_EQ(chains[0].gaps.size(), 1u);
  EXPECT_EQ(chains[0].gaps[0].min, 0u);
  EXPECT_EQ(chains[0].gaps[0].max, 6u);
  EXPECT_EQ(chains[0].gaps[0].kind, LiteralChain::kChars);
}

TEST(LiteralChainsTest, OptionalPartsBecomeAlternatives) {
  // With and without the optional part; the chain without it decides.
  const auto chains = Chains("a.{0,2}b(.{0,3}c)?");
  ASSERT_EQ(chains.size(), 2u);
  std::vector<size_t> lengths;
  for (const auto& chain : chains) lengths.push_back(chain.elements.size());
  std::sort(lengths.begin(), lengths.end());
  EXPECT_EQ(lengths, (std::vector<size_t>{2, 3}));
  // A trailing optional gap is dropped: one chain.
  EXPECT_EQ(Chains("ab.{0,3}").size(), 1u);
}

TEST(LiteralChainsTest, OptionalWordsAreWrittenOut) {
  const auto chains = Chains("chưa (nhận|thấy)( được)? hàng");
  ASSERT_EQ(chains.size(), 1u);
  ASSERT_EQ(chains[0].elements.size(), 1u);
  EXPECT_EQ(chains[0].elements[0].size(), 4u);
}

TEST(LiteralChainsTest, WordListsThatMeetStayApart) {
  // Two lists side by side are two elements with a gap of nothing, not
  // their 2 x 3 combinations; literal text joins its neighbour.
  const auto chains = Chains("(không|chưa) (nhận|thấy|lấy) hàng");
  ASSERT_EQ(chains.size(), 1u);
  ASSERT_EQ(chains[0].elements.size(), 2u);
  EXPECT_EQ(Texts(chains[0].elements[0]),
            (std::vector<std::string>{"chưa ", "không "}));
  EXPECT_EQ(Texts(chains[0].elements[1]),
            (std::vector<std::string>{"lấy hàng", "nhận hàng", "thấy hàng"}));
  ASSERT_EQ(chains[0].gaps.size(), 1u);
  EXPECT_EQ(chains[0].gaps[0].min, 0u);
  EXPECT_EQ(chains[0].gaps[0].max, 0u);
  EXPECT_EQ(chains[0].gaps[0].kind, LiteralChain::kBytes);
}

TEST(LiteralChainsTest, AssertionsDecidedInsideAPieceKeptAtItsEdges) {
  // \b between "a" and "b" can never hold: that alternative is gone.
  auto chains = Chains("(a\\bb|c d)");
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(Texts(chains[0].elements[0]), (std::vector<std::string>{"c d"}));
  chains = Chains("\\bgiao\\b");
  ASSERT_EQ(chains[0].elements[0].size(), 1u);
  EXPECT_EQ(chains[0].elements[0][0].begin_flags, LiteralChain::kWordBoundary);
  EXPECT_EQ(chains[0].elements[0][0].end_flags, LiteralChain::kWordBoundary);
}

TEST(LiteralChainsTest, OtherShapesStayWithRe2) {
  std::vector<LiteralChain> chains;
  for (const char* pattern :
       {"[^a]b", "[a-z]x", "[\\d]x", "\\w{1,4}x", "[0-9a-z]x", "(?i)abc",
        "a\\Bb", "a+b", "(ab)*c", "(\\d{2})+x", "a.{2,}", "(a.b){2}", "a{,3}",
        ".*", "a|", "(a|.{0,2})"}) {
    EXPECT_FALSE(ParseLiteralChains(pattern, &chains)) << pattern;
  }
}

TEST(LiteralChainsTest, RunsOfDigitsStayApartFromWords) {
  // \d+ is a run of digits, in a chain of its own with a gap of nothing
  // before the words after it; the words of its list join those words.
  auto chains = Chains("\\b(\\d+|mấy) (ngày|hôm)\\b");
  ASSERT_EQ(chains.size(), 2u);
  if (chains[0].elements.size() != 2) std::swap(chains[0], chains[1]);
  ASSERT_EQ(chains[0].elements.size(), 2u);
  const auto& numbers = chains[0].elements[0];
  ASSERT_EQ(numbers.size(), 1u);
  EXPECT_TRUE(numbers[0].is_digits());
  EXPECT_EQ(numbers[0].digits_min, 1u);
  EXPECT_EQ(numbers[0].digits_max, LiteralChain::kUnboundedDigits);
  EXPECT_EQ(numbers[0].begin_flags, LiteralChain::kWordBoundary);
  EXPECT_EQ(Texts(chains[0].elements[1]),
            (std::vector<std::string>{" hôm", " ngày"}));
  EXPECT_EQ(chains[0].gaps[0].max, 0u);
  ASSERT_EQ(chains[1].elements.size(), 1u);
  EXPECT_EQ(Texts(chains[1].elements[0]),
            (std::vector<std::string>{"mấy hôm", "mấy ngày"}));
  // [0-9] and \d{2,3} are runs too; a short literal still joins a range.
  chains = Chains("size [0-9]{2,3}");
  ASSERT_EQ(chains[0].elements.size(), 2u);
  EXPECT_EQ(chains[0].elements[1][0].digits_min, 2u);
  EXPECT_EQ(chains[0].elements[1][0].digits_max, 3u);
  chains = Chains("4[0-6]");
  EXPECT_EQ(
      Texts(chains[0].elements[0]),
      (std::vector<std::string>{"40", "41", "42", "43", "44", "45", "46"}));
}

// Runs of digits decided from the text's own runs: \b and ^ $ at a run's
// edges, a run inside a longer one, a number glued to letters, gaps counted
// in code points before and after a run, and a text with more digits than
// PatternSet::kMaxDigitsDecided (RE2 decides it).
TEST(LiteralChainsTest, RunsOfDigitsDecideAsRe2) {
  const std::vector<std::string> patterns = {
      "\\b(\\d+|mấy) (ngày|hôm)\\b",
      "\\d+ ngày",
      "size \\d{2}\\b",
      "(số|size) [0-9]{2,3}",
      "^\\d{3}$",
      "đặt \\d+.{0,6}giao \\d+\\b",
      "\\b(3\\d|4[0-6])\\b.{0,4}đôi",
      "thứ \\d",
      "\\d{2}\\d{2}x",
      "(\\d+ )?cái",
      "a\\d*b",
  };
  std::vector<std::string> texts = {
      "3 ngày",
      "đợi 12 ngày rồi",
      "x12 ngày",
      "12x ngày",
      "mấy hôm",
      "123 hôm",
      "size 39",
      "size 390",
      "size 3",
      "size 39x",
      "số 123",
      "số 1234",
      "size 12",
      "123",
      "1234",
      "12",
      "đặt 39 rồi giao 40",
      "đặt 39 không phải giao 40",
      "đặt 39 giao 4x",
      "39 đôi",
      "47 đôi",
      "139 đôi",
      "40 nha đôi",
      "thứ 7",
      "thứ bảy",
      "1234x",
      "123x",
      "12345x",
      "5 cái",
      "cái",
      "ab",
      "a12b",
      "a1x2b",
      "",
      "ngày 12 ngày",
      "😀😀 3 ngày",
      "đặt 1😀😀😀😀😀😀giao 2",
      "đặt 1😀😀😀😀😀😀😀giao 2",
  };
  // More digits than kMaxDigitsDecided: RE2 decides.
  std::string many(PatternSet::kMaxDigitsDecided, '1');
  texts.push_back(many);
  texts.back().append(" ngày");
  texts.push_back("size ");
  texts.back().append(PatternSet::kMaxDigitsDecided, '2');
  PatternSet set;
  ASSERT_NO_FATAL_FAILURE(AddDecidedWithoutRe2(patterns, &set));
  // The comparison saw real matches.
  EXPECT_GE(ExpectDecidedAsRe2(set, texts), 25u);
}

// A group no text can hold, repeated (found by fuzz/chains_fuzzer.cc: the
// parser read past an empty list of alternatives).
TEST(LiteralChainsTest, ImpossibleGroupRepeatedDecidesAsRe2) {
  PatternSet set;
  int id;
  ASSERT_TRUE(set.Add("(ab^){0,2}(cd|x)\\b", &id).ok());
  set.Compile();
  ExpectDecidedAsRe2(set, {"cd", "abcd", "x cd", "ab", ""});
}

// Edges of RE2's semantics the chains must reproduce: \b at a piece's
// edge, ^ and $, \n under a . gap (left to RE2), byte gaps, word gaps.
TEST(LiteralChainsTest, DecidedAsRe2OnEdgeCases) {
  const std::vector<std::string> patterns = {
      "\\bgiao\\b",
      "^(shop|ad)? ?(có ai|ơi)$",
      "ab.{0,2}cd",
      "ab\\C{0,4}cd",
      "(đơn|shop)[^\\x20]*(\\x20[^\\x20]+){0,2}\\x20?(giao rồi|xong)",
      "x(y)?\\b.{1,3}z",
      "发货$",
      "^发货",
  };
  const std::vector<std::string> texts = {
      "giao",
      "giaox",
      "x giao y",
      "_giao",
      "shop ơi",
      "shop  ơi",
      "ad có ai",
      "có ai",
      "a có ai",
      "ab cd",
      "abxxcd",
      "abxxxcd",
      "ab\ncd",
      "ab不cd",
      "ab不不cd",
      "đơn a b xong",
      "đơn a b c xong",
      "đơn  xong",
      "đơnxx giao rồi",
      "shop a b giao rồi ",
      "đơn a b  xong",
      "xy z",
      "xyz z",
      "x z",
      "xy\nz",
      "还没发货",
      "发货了",
      "发货",
      "",
  };
  PatternSet set;
  ASSERT_NO_FATAL_FAILURE(AddDecidedWithoutRe2(patterns, &set));
  ExpectDecidedAsRe2(set, texts);
}

// A chain anchored at both ends rejects a text longer than its longest
// match (and any chain one shorter than its shortest) before walking it:
// the bounds must count gaps in code points at up to 4 bytes each.
TEST(LiteralChainsTest, LengthBoundsDecideAsRe2) {
  const std::vector<std::string> patterns = {
      "^(还|怎么).{0,3}发货$", "^ab\\C{0,2}cd$", "^(shop|ad)? ?(có ai|ơi)$",
      "^(a|bb) (c|dd)$",       "还.{2,3}发货",
  };
  const std::vector<std::string> texts = {
      "还发货",
      "还😀😀😀发货",
      "还😀😀😀😀发货",
      "怎么不不不发货",
      "怎么不不不不发货",
      "abcd",
      "ab12cd",
      "ab123cd",
      "ab不cd",
      "shop có ai",
      "shopcó ai",
      "ơi",
      "ad ơi",
      "bb dd",
      "a c",
      "bb ddd",
      "还1发货",
      "还12发货",
      "还1234发货",
      "x还123发货",
  };
  PatternSet set;
  ASSERT_NO_FATAL_FAILURE(AddDecidedWithoutRe2(patterns, &set));
  // The comparison saw real matches.
  EXPECT_GE(ExpectDecidedAsRe2(set, texts), 10u);
}

// A text that is not valid UTF-8 goes to RE2 (a chain's gaps count code
// points); the scan that finds the pieces says whether it is valid, and
// still finds the pieces around an ill-formed byte, which the filters need.
TEST(LiteralChainsTest, InvalidUtf8DecidedAsRe2) {
  const std::vector<std::string> patterns = {
      "ab.{0,2}cd",
      "\\bgiao\\b",
      "发货$",
      "^发货",
      "还.{0,3}没发货",
      "(đơn|shop)[^\\x20]*(\\x20[^\\x20]+){0,2}\\x20?(giao rồi|xong)",
  };
  const std::vector<std::string> texts = {
      "ab\xff"
      "cd",
      "ab\xff\xff"
      "cd",
      "ab\x80"
      "cd",
      "ab\xc0\x80"
      "cd",  // overlong
      "ab\xed\xa0\x80"
      "cd",  // a surrogate
      "ab\xf4\x90\x80\x80"
      "cd",  // beyond U+10FFFF
      "ab\xe5\x8f"
      "cd",  // truncated
      "\xff"
      "giao",
      "giao\xff",
      "发货\xe5\x8f",
      "\xe5\x8f发货",
      "\xe5发货",
      "还\xff没发货",
      "还\xe5\x8f\xa2没发货",  // the same gap, valid: chains decide
      "đơn \xff xong",
      "đơn \xe1\xbb xong",
  };
  PatternSet set;
  ASSERT_NO_FATAL_FAILURE(AddDecidedWithoutRe2(patterns, &set));
  // The comparison saw real matches.
  EXPECT_GE(ExpectDecidedAsRe2(set, texts), 4u);
}

// Word lists kept apart (WordListsThatMeetStayApart) are decided from
// where their pieces occur, so entries that are prefixes of one another or
// overlap across the junction must not change the answer: the pieces of
// neighbouring elements may share characters, start inside one another,
// and carry \b, ^, $ on either side of the junction.
TEST(LiteralChainsTest, ListsKeptApartDecideAsRe2OnOverlappingEntries) {
  const std::vector<std::string> patterns = {
      "(a|ab|abc)(bc|c|b)(x|xy|y)",
      "(ab|a|b)(ba|b|a)",
      "(aa|a|aaa)(aa|a|aaa)(aa|a|aaa)",
      "\\b(ab|a|b)\\b(-x|-b|-)",
      "(ab|a|b)\\b(b|bc|-x)\\b",
      "^(a|ab|b)(b|bc|c)",
      "(a|ab|b)(c|bc|b)$",
      "(a|ab|b)( |x)(b|ba|a)",
      "(ab|b|a) (a b|a|b)(x|y |xy)",
      "(a|ab|b)(b|bc|c).{0,2}(c|ca|a)(a|x|ax)",
      "(a|ab|b)(b|bc|c)[^\\x20]*(\\x20[^\\x20]+){0,1}\\x20?(a|b|ab)(c|x|cx)",
      "(x|xa|a)(a|ab)?(b|bc|c)",
      "(không|k|ko) (nhận|nhận được|được)( hàng| hàng hóa| đơn)",
      "(chưa|chưa hề|không) (nhận|nhận được|thấy) (hàng|đơn|đơn hàng)\\b",
  };
  PatternSet set;
  ASSERT_NO_FATAL_FAILURE(AddDecidedWithoutRe2(patterns, &set));
  const std::vector<std::string> pieces = {
      "a",     "b",   "c",    "x",    "y",    " ",    "ab",  "bc",
      "không", "k",   "ko",   "nhận", "được", "hàng", "hóa", "chưa",
      "hề",    "đơn", "thấy", "_",    "-",    "\n"};
  std::mt19937 rng(29);
  std::vector<int> matched;
  size_t matches = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    set.Match(text, &matched);
    const std::vector<int> expected = VerifiedByRe2(set, text);
    matches += expected.size();
    ASSERT_EQ(matched, expected) << text;
  }
  EXPECT_GT(matches, 2000u);  // the comparison saw real matches
}

}  // namespace
}  // namespace reply

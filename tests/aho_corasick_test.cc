// AhoCorasick, the one pass that finds a pattern set's atoms: every
// occurrence a naive search finds, in the order they end, over narrow and
// wide alphabets, ASCII and not, and whether the text was valid UTF-8.
#include "engine/match/aho_corasick.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/base/utf8.h"

namespace reply {
namespace {

std::vector<int> FindAll(const AhoCorasick& ac, std::string_view text) {
  std::vector<int> found;
  ac.Scan(text, [&](int id, size_t, size_t) { found.push_back(id); });
  std::sort(found.begin(), found.end());
  return found;
}

TEST(AhoCorasickTest, FindsOverlappingAndNestedNeedles) {
  AhoCorasick ac({"发货", "不发货", "发", "物流", "abc", "bc"});
  EXPECT_EQ(FindAll(ac, "怎么还不发货"), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(FindAll(ac, "没有物流信息"), (std::vector<int>{3}));
  EXPECT_EQ(FindAll(ac, "xabcx"), (std::vector<int>{4, 5}));
  EXPECT_EQ(FindAll(ac, "abxbc"), (std::vector<int>{5}));
  EXPECT_TRUE(FindAll(ac, "签收").empty());
  EXPECT_TRUE(FindAll(ac, "").empty());
}

TEST(AhoCorasickTest, ReportsEachOccurrence) {
  AhoCorasick ac({"发"});
  EXPECT_EQ(FindAll(ac, "发发发").size(), 3u);
}

TEST(AhoCorasickTest, EmptyNeedleSetFindsNothing) {
  AhoCorasick ac(std::vector<std::string>{});
  EXPECT_TRUE(FindAll(ac, "发货").empty());
}

// Every occurrence `ac` reports in `text`, its end and its code-point end,
// is the one a naive search of every needle at every position gives, and
// they come in the order they end.
void ExpectFindsWhatANaiveSearchFinds(const AhoCorasick& ac,
                                      const std::vector<std::string>& needles,
                                      const std::string& text) {
  struct Found {
    int needle;
    size_t end;
    size_t end_char;
    bool operator<(const Found& o) const {
      return std::tie(end, needle) < std::tie(o.end, o.needle);
    }
    bool operator==(const Found& o) const {
      return needle == o.needle && end == o.end && end_char == o.end_char;
    }
  };
  std::vector<Found> expected;
  for (size_t n = 0; n < needles.size(); ++n) {
    for (size_t at = text.find(needles[n]); at != std::string::npos;
         at = text.find(needles[n], at + 1)) {
      const size_t end = at + needles[n].size();
      expected.push_back(
          {static_cast<int>(n), end, CountCodePoints(text.substr(0, end))});
    }
  }
  std::vector<Found> found;
  size_t last_end = 0;
  ac.Scan(text, [&](int n, size_t end, size_t end_char) {
    EXPECT_GE(end, last_end) << "reported out of order in \"" << text << "\"";
    last_end = end;
    found.push_back({n, end, end_char});
  });
  std::sort(expected.begin(), expected.end());
  std::sort(found.begin(), found.end());
  ASSERT_EQ(found, expected) << "\"" << text << "\"";
}

// Random strings of 1 to `max_chars` characters of `alphabet`.
std::string RandomText(const std::vector<std::string>& alphabet,
                       size_t max_chars, std::mt19937& rng) {
  std::string text;
  const size_t chars = 1 + rng() % max_chars;
  for (size_t i = 0; i < chars; ++i) text += alphabet[rng() % alphabet.size()];
  return text;
}

// Many short needles over a small alphabet, as a Vietnamese pack's atoms are
// (words with a space at an edge: deep tries, long failure walks), and
// mixed-width UTF-8.
TEST(AhoCorasickTest, ReportsWhatANaiveSearchFinds) {
  const std::vector<std::string> alphabet = {"a", "h", "n", "g",
                                             " ", "đ", "ơ", "发"};
  std::mt19937 rng(11);
  std::set<std::string> unique;
  while (unique.size() < 3000) unique.insert(RandomText(alphabet, 6, rng));
  const std::vector<std::string> needles(unique.begin(), unique.end());
  AhoCorasick ac(needles);
  for (int t = 0; t < 2000; ++t) {
    ExpectFindsWhatANaiveSearchFinds(ac, needles,
                                     RandomText(alphabet, 40, rng));
    if (HasFatalFailure()) return;
  }
}

// Scan says whether the text is valid UTF-8, as FindInvalidUtf8 does, and
// an ill-formed byte (a stray continuation, overlong, surrogate, beyond
// U+10FFFF, truncated) hides none of the needles around it.
TEST(AhoCorasickTest, ReportsInvalidUtf8AndFindsTheNeedlesAroundIt) {
  const std::vector<std::string> letters = {"a", "h", " ", "đ", "ơ", "发"};
  const std::vector<std::string> ill_formed = {
      "\xff",     "\x80",         "\xc0\x80",
      "\xc3",     "\xed\xa0\x80", "\xf4\x90\x80\x80",
      "\xe5\x8f", "\xf0\x9f\x98"};
  std::vector<std::string> alphabet = letters;
  alphabet.insert(alphabet.end(), ill_formed.begin(), ill_formed.end());
  std::mt19937 rng(29);
  std::set<std::string> unique;
  while (unique.size() < 500) unique.insert(RandomText(letters, 4, rng));
  const std::vector<std::string> needles(unique.begin(), unique.end());
  AhoCorasick ac(needles);
  size_t invalid = 0;
  for (int t = 0; t < 3000; ++t) {
    // Half the texts valid, so that both answers are seen.
    const std::string text = RandomText(t % 2 ? alphabet : letters, 30, rng);
    std::vector<std::pair<size_t, int>> expected, found;
    for (size_t n = 0; n < needles.size(); ++n) {
      for (size_t at = text.find(needles[n]); at != std::string::npos;
           at = text.find(needles[n], at + 1)) {
        expected.emplace_back(at + needles[n].size(), static_cast<int>(n));
      }
    }
    const bool valid = ac.Scan(
        text, [&](int n, size_t end, size_t) { found.emplace_back(end, n); });
    const bool want_valid = FindInvalidUtf8(text) == std::string_view::npos;
    ASSERT_EQ(valid, want_valid) << "\"" << text << "\"";
    invalid += !want_valid;
    std::sort(expected.begin(), expected.end());
    std::sort(found.begin(), found.end());
    ASSERT_EQ(found, expected) << "\"" << text << "\"";
  }
  EXPECT_GT(invalid, 1000u);
}

// A wide alphabet, ASCII and not, and many needles: shallow states with
// many edges, deep ones laid out depth first (aho_corasick.h), and texts of
// needles run together, so that failure walks start deep.
TEST(AhoCorasickTest, WideStatesReportWhatANaiveSearchFinds) {
  std::vector<std::string> alphabet;
  for (char c = 'a'; c <= 'z'; ++c) alphabet.emplace_back(1, c);
  for (char c = '0'; c <= '9'; ++c) alphabet.emplace_back(1, c);
  for (const char* s : {" ", "-", ".", "đ", "ơ", "ư", "发", "货", "😀"}) {
    alphabet.emplace_back(s);
  }
  std::mt19937 rng(17);
  std::set<std::string> unique;
  while (unique.size() < 20000) unique.insert(RandomText(alphabet, 5, rng));
  const std::vector<std::string> needles(unique.begin(), unique.end());
  AhoCorasick ac(needles);
  for (int t = 0; t < 1000; ++t) {
    // Random characters, or needles run together (deep states, and
    // failure walks from them).
    std::string text = RandomText(alphabet, 60, rng);
    if (t % 2 == 1) {
      text.clear();
      for (int k = 0; k < 12; ++k) text += needles[rng() % needles.size()];
    }
    ExpectFindsWhatANaiveSearchFinds(ac, needles, text);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace reply

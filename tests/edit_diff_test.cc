// Edit mining's diff (learn/edit_diff.h): what an agent deleted from and
// added to a suggestion, by characters for Chinese and by words for
// Vietnamese.
#include "learn/edit_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reply::learn {
namespace {

using Phrases = std::vector<std::string>;

TEST(DiffPhrases, ChineseByCharacters) {
  const EditPhrases d =
      DiffPhrases("亲，马上为您安排发货。", "亲，今天为您安排发货，请放心。");
  EXPECT_EQ(d.deleted, Phrases({"马上"}));
  EXPECT_EQ(d.added, Phrases({"今天", "请放心"}));
}

TEST(DiffPhrases, VietnameseByWords) {
  const EditPhrases d = DiffPhrases(
      "Dạ shop sẽ giao hàng sớm cho bạn ạ.",
      "Dạ shop sẽ giao hàng trong hôm nay cho bạn ạ, bạn yên tâm nhé.");
  EXPECT_EQ(d.deleted, Phrases({"sớm"}));
  EXPECT_EQ(d.added, Phrases({"trong hôm nay", "bạn yên tâm nhé"}));
}

TEST(DiffPhrases, PunctuationAloneIsNoPhrase) {
  const EditPhrases d = DiffPhrases("亲，好的。", "亲！好的");
  EXPECT_TRUE(d.deleted.empty());
  EXPECT_TRUE(d.added.empty());
  const EditPhrases same = DiffPhrases("亲，好的。", "亲，好的。");
  EXPECT_TRUE(same.deleted.empty());
  EXPECT_TRUE(same.added.empty());
}

TEST(DiffPhrases, LongTextsAreComparedAsWholes) {
  std::string a = "a";
  for (size_t i = 0; i < kMaxTokens; ++i) a += " a";  // words and spaces
  const EditPhrases d = DiffPhrases(a, "b");
  EXPECT_EQ(d.deleted, Phrases({a}));
  EXPECT_EQ(d.added, Phrases({"b"}));
}

}  // namespace
}  // namespace reply::learn

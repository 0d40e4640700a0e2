// The regions' rewrites of ICU's Traditional output, and the guess of a
// buyer's region from their characters.
#include "engine/normalize/chinese_region.h"

#include <gtest/gtest.h>

#include "engine/normalize/normalizer.h"

namespace reply {
namespace {

std::string Traditional(std::string_view simplified) {
  return (*Normalizer::Shared())->ToTraditional(simplified);
}

TEST(ChineseRegionTest, TaiwanWords) {
  EXPECT_EQ(
      ToRegion(Traditional("店里请修改备注和账号，物流信息和质量问题我会回复您"),
               ChineseRegion::kTaiwan),
      "店裡請修改備註和帳號，物流資訊和品質問題我會回覆您");
}

TEST(ChineseRegionTest, HongKongFormsAndWords) {
  EXPECT_EQ(ToRegion(Traditional("您先别着急，我帮您盯着物流，店里备注写好了"),
                     ChineseRegion::kHongKong),
            "您先別着急，我幫您盯着物流，店裏備註寫好了");
  // 著 outside the listed words stays: 著名 is 著 in Hong Kong too.
  EXPECT_EQ(ToRegion("著名", ChineseRegion::kHongKong), "著名");
}

TEST(ChineseRegionTest, TextWithoutTableWordsIsUnchanged) {
  const std::string text = "親，您的訂單已經發出了。Dạ 123";
  EXPECT_EQ(ToRegion(text, ChineseRegion::kTaiwan), text);
  EXPECT_EQ(ToRegion(text, ChineseRegion::kHongKong), text);
  EXPECT_EQ(ToRegion("", ChineseRegion::kTaiwan), "");
}

TEST(ChineseRegionTest, GuessFromTheBuyersCharacters) {
  EXPECT_EQ(GuessRegion("幾時發貨呀，唔該"), ChineseRegion::kHongKong);
  EXPECT_EQ(GuessRegion("件衫仲未寄出咗"), ChineseRegion::kHongKong);
  EXPECT_EQ(GuessRegion("包裹放喺邊度"), ChineseRegion::kHongKong);
  EXPECT_EQ(GuessRegion("請問什麼時候出貨"), ChineseRegion::kTaiwan);
  // 係 is in 關係 everywhere: not a Hong Kong marker.
  EXPECT_EQ(GuessRegion("沒關係，慢慢來"), ChineseRegion::kTaiwan);
}

TEST(ChineseRegionTest, LocalesNameRegions) {
  EXPECT_EQ(RegionOfLocale("zh-TW"), ChineseRegion::kTaiwan);
  EXPECT_EQ(RegionOfLocale("zh-hk"), ChineseRegion::kHongKong);
  EXPECT_EQ(RegionOfLocale("zh"), std::nullopt);
  EXPECT_EQ(RegionOfLocale("vi"), std::nullopt);
}

}  // namespace
}  // namespace reply

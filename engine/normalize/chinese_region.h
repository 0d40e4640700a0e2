// ChineseRegion: the Traditional Chinese a buyer reads, Taiwan's or Hong
// Kong's, and the rewrites that turn a reply converted to Traditional (the
// ICU Simplified-Traditional conversion, Normalizer::ToTraditional) into the
// region's own words and forms.
//
//   std::string t = normalizer.ToTraditional("请修改备注里的账号");
//   ToRegion(t, ChineseRegion::kTaiwan);    // 請修改備註裡的帳號
//   ToRegion(t, ChineseRegion::kHongKong);  // 請修改備註裏的賬號
//
// ICU's conversion writes mainland words in Traditional characters (賬號,
// 備注, 信息, 質量) and Taiwan's character forms (裡, 著). The tables here
// are our own, built from the words the bundled replies use; they follow
// OpenCC's TWPhrases/HKVariants for those words (docs/authoring.md,
// "Traditional Chinese regions" says why not OpenCC itself).
//
// Thread safety: free functions over immutable static tables.
#ifndef REPLY_ENGINE_NORMALIZE_CHINESE_REGION_H_
#define REPLY_ENGINE_NORMALIZE_CHINESE_REGION_H_

#include <optional>
#include <string>
#include <string_view>

namespace reply {

enum class ChineseRegion { kTaiwan, kHongKong };

// The region a request's `locale` names: "zh-TW" or "zh-HK" (case as BCP
// 47 writes it, or all lower case); nullopt for any other locale.
std::optional<ChineseRegion> RegionOfLocale(std::string_view locale);

// The region a Traditional message was most likely written in: Hong Kong
// when it has a Cantonese character (HasCantoneseCharacter, cantonese.h:
// 唔, 冇, 咗...; not 係, which 關係 has everywhere) or Hong Kong's form of a
// character (裏, 着), else Taiwan, whose buyers write most of the
// Traditional Chinese the shop sees.
ChineseRegion GuessRegion(std::string_view message);

// `traditional` (ICU's Traditional output) with the region's words and
// character forms. Only whole table entries are rewritten, longest first.
std::string ToRegion(std::string_view traditional, ChineseRegion region);

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_CHINESE_REGION_H_

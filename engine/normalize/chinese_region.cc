#include "engine/normalize/chinese_region.h"

#include <span>
#include <utility>

#include "engine/normalize/cantonese.h"

namespace reply {
namespace {

using Rewrite = std::pair<std::string_view, std::string_view>;

// ICU's Traditional -> Taiwan's. Words, not characters: 信息 is 訊息 in a
// message sense but the key is the whole word, so 信息 inside a longer word
// the table does not list is rewritten too (no reply has one).
constexpr Rewrite kTaiwan[] = {
    {"賬號", "帳號"}, {"賬戶", "帳戶"}, {"備注", "備註"}, {"信息", "資訊"},
    {"質量", "品質"}, {"回復", "回覆"}, {"咨詢", "諮詢"}, {"短信", "簡訊"},
    {"鏈接", "連結"}, {"打印", "列印"}, {"視頻", "影片"},
};

// ICU's Traditional -> Hong Kong's: its character forms (裏, 着 for the
// particle and for "anxious"; 著 stays in 著名) and words.
constexpr Rewrite kHongKong[] = {
    {"著急", "着急"}, {"盯著", "盯着"}, {"當著", "當着"}, {"看著", "看着"},
    {"接著", "接着"}, {"等著", "等着"}, {"跟著", "跟着"}, {"隨著", "隨着"},
    {"睡著", "睡着"}, {"著手", "着手"}, {"裡", "裏"},     {"備注", "備註"},
    {"回復", "回覆"}, {"咨詢", "諮詢"}, {"短信", "短訊"}, {"鏈接", "連結"},
};

// Hong Kong's forms of two characters Taiwan writes 裡 and 著.
constexpr std::string_view kHongKongForms[] = {"裏", "着"};

std::span<const Rewrite> TableOf(ChineseRegion region) {
  return region == ChineseRegion::kTaiwan ? std::span<const Rewrite>(kTaiwan)
                                          : std::span<const Rewrite>(kHongKong);
}

}  // namespace

std::optional<ChineseRegion> RegionOfLocale(std::string_view locale) {
  if (locale == "zh-TW" || locale == "zh-tw") return ChineseRegion::kTaiwan;
  if (locale == "zh-HK" || locale == "zh-hk") return ChineseRegion::kHongKong;
  return std::nullopt;
}

ChineseRegion GuessRegion(std::string_view message) {
  if (HasCantoneseCharacter(message)) return ChineseRegion::kHongKong;
  for (std::string_view marker : kHongKongForms) {
    if (message.find(marker) != std::string_view::npos) {
      return ChineseRegion::kHongKong;
    }
  }
  return ChineseRegion::kTaiwan;
}

std::string ToRegion(std::string_view traditional, ChineseRegion region) {
  const std::span<const Rewrite> table = TableOf(region);
  std::string out;
  out.reserve(traditional.size());
  // At each position the first entry that matches, longest keys first in
  // the tables; UTF-8 keys only match at character starts.
  size_t i = 0;
  while (i < traditional.size()) {
    const Rewrite* hit = nullptr;
    for (const Rewrite& r : table) {
      if (traditional.substr(i, r.first.size()) == r.first &&
          (hit == nullptr || r.first.size() > hit->first.size())) {
        hit = &r;
      }
    }
    if (hit != nullptr) {
      out += hit->second;
      i += hit->first.size();
    } else {
      out += traditional[i];
      ++i;
    }
  }
  return out;
}

}  // namespace reply

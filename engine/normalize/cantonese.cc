#include "engine/normalize/cantonese.h"

#include <algorithm>
#include <iterator>

namespace reply {
namespace {

// Sorted, for a binary search. All are three bytes in UTF-8. 揾 is 搵 as
// the Traditional-to-Simplified conversion writes it.
constexpr char32_t kCantonese[] = {
    U'㗎', U'乜', U'佢', U'冇', U'咁', U'咗', U'哋', U'唔', U'啱', U'啲', U'喺',
    U'嗰', U'嘅', U'嘢', U'噉', U'嚟', U'揾', U'搵', U'攞', U'畀', U'睇',
};
static_assert(std::is_sorted(std::begin(kCantonese), std::end(kCantonese)));

}  // namespace

bool HasCantoneseCharacter(std::string_view text) {
  // Byte by byte: only the lead bytes of U+3000..U+7FFF (E3..E7) can start
  // one, so Latin text and most punctuation cost one comparison a byte.
  const size_t n = text.size();
  for (size_t i = 0; i + 2 < n; ++i) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0xE3 || lead > 0xE7) continue;
    const char32_t c =
        (char32_t{lead} & 0x0F) << 12 |
        (char32_t{static_cast<unsigned char>(text[i + 1])} & 0x3F) << 6 |
        (char32_t{static_cast<unsigned char>(text[i + 2])} & 0x3F);
    if (std::binary_search(std::begin(kCantonese), std::end(kCantonese), c)) {
      return true;
    }
    i += 2;
  }
  return false;
}

}  // namespace reply

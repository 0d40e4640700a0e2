#include "engine/normalize/cantonese.h"

#include <algorithm>
#include <iterator>

#include "engine/base/utf8.h"

namespace reply {
namespace {

// Sorted, for a binary search. 揾 is 搵 as the Traditional-to-Simplified
// conversion writes it.
constexpr char32_t kCantonese[] = {
    U'㗎', U'乜', U'佢', U'冇', U'咁', U'咗', U'哋', U'唔', U'啱', U'啲', U'喺',
    U'嗰', U'嘅', U'嘢', U'噉', U'嚟', U'揾', U'搵', U'攞', U'畀', U'睇',
};
static_assert(std::is_sorted(std::begin(kCantonese), std::end(kCantonese)));

}  // namespace

bool IsCantoneseCharacter(char32_t c) {
  return std::binary_search(std::begin(kCantonese), std::end(kCantonese), c);
}

bool HasCantoneseCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (IsCantoneseCharacter(DecodeUtf8(text, &i))) return true;
  }
  return false;
}

}  // namespace reply

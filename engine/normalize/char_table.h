// CharTable: what normalization does to each Unicode code point, computed
// once from ICU data so that normalizing a message is one table lookup per
// character instead of several ICU calls.
//
// For every code point it stores the result of, in order: NFKC with case
// folding (ＡＢＣ -> abc, １２３ -> 123), removal of diacritics from Latin
// letters (ư -> u, đ -> d), Traditional -> Simplified for characters whose
// conversion does not depend on their neighbours (發 -> 发), and dropping of
// everything that is not a letter or a digit (spaces, punctuation, symbols,
// emoji, format and combining marks). Characters that start a multi-character
// Traditional rule (甚麼, 乾坤) are flagged so the normalizer consults the
// HanConverter for them.
//
// Layout: a two-stage table, 128-entry blocks deduplicated, ~300 KB for the
// whole of Unicode.
//
// Thread safety: immutable after construction.
#ifndef REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_
#define REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/normalize/han_converter.h"

namespace reply {

class CharTable {
 public:
  enum Action : uint8_t {
    kKeep,  // the character is its own matching key
    kDrop,  // the character plays no part in matching
    kMap,   // the character becomes replacement()
  };
  enum Flag : uint8_t {
    kHan = 1,                // a Han character
    kTraditionalMarker = 2,  // occurs only in Traditional Chinese
    kLatin = 4,              // a Latin letter
    kHanRules = 8,           // starts a multi-character T->S rule
  };

  struct Entry {
    Action action;
    uint8_t flags;
    uint16_t length;  // of the replacement, in bytes
    uint32_t offset;  // of the replacement in the pool
  };

  // `t2s` must outlive the table.
  static Result<CharTable> Build(const HanConverter& t2s);

  const Entry& Lookup(char32_t c) const {
    return entries_[blocks_[c >> kBlockBits] << kBlockBits |
                    (c & (kBlockSize - 1))];
  }
  std::string_view Replacement(const Entry& e) const {
    return std::string_view(pool_).substr(e.offset, e.length);
  }
  // The most bytes one input byte can become (NFKC expands ﷺ to 33 bytes).
  size_t max_expansion() const { return max_expansion_; }

 private:
  static constexpr int kBlockBits = 7;
  static constexpr uint32_t kBlockSize = 1u << kBlockBits;

  std::vector<uint32_t> blocks_;  // code point block -> entries_ block
  std::vector<Entry> entries_;
  std::string pool_;
  size_t max_expansion_ = 1;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_

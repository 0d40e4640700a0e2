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
// HanConverter for them; Latin letters and digits, and the dropped
// characters that separate words, are flagged so that it can keep one space
// between two Latin words.
//
// Layout: a two-stage table, 128-entry blocks deduplicated (sizes below).
//
// Thread safety: immutable after construction.
#ifndef REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_
#define REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_

#include <cstdint>
#include <cstring>
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
    // Its key is Latin letters or digits: it belongs to a Latin word.
    kWord = 16,
    // Dropped, and separates words: white space, punctuation, symbols,
    // emoji. (Combining marks and format characters are dropped without
    // separating: a decomposed "ha\u0300ng" is one word.)
    kBreak = 32,
    // One of the Cantonese characters (cantonese.h).
    kCantonese = 64,
  };

  // What one code point becomes. Its matching key (the character itself
  // when kept, its replacement when mapped, nothing when dropped) is stored
  // in the entry itself when it fits in 4 bytes, so the normalizer's inner
  // loop copies every character the same way, without a branch on the
  // action; longer keys (NFKC expands ﷺ to 33 bytes) live in a pool and
  // `bytes` holds their offset.
  struct Entry {
    Action action;
    uint8_t flags;
    uint8_t length;  // of the key in bytes: 0 when dropped
    uint8_t unused = 0;
    char bytes[4];  // the key if length <= 4, else its offset in the pool
  };
  static constexpr size_t kInlineKey = 4;

  // `t2s` must outlive the table.
  static Result<CharTable> Build(const HanConverter& t2s);

  const Entry& Lookup(char32_t c) const {
    return entries_[blocks_[c >> kBlockBits] << kBlockBits |
                    (c & (kBlockSize - 1))];
  }
  // The matching key of a kept or mapped character ("" when dropped).
  std::string_view Key(const Entry& e) const {
    if (e.length <= kInlineKey) return std::string_view(e.bytes, e.length);
    uint32_t offset;
    std::memcpy(&offset, e.bytes, sizeof offset);
    return std::string_view(pool_).substr(offset, e.length);
  }
  // What a mapped character becomes.
  std::string_view Replacement(const Entry& e) const { return Key(e); }
  // Memory held by the table.
  size_t bytes() const {
    return blocks_.size() * sizeof(blocks_[0]) +
           entries_.size() * sizeof(Entry) + pool_.size();
  }
  // True for the code points Build gives kDrop and kBreak (plus
  // kTraditionalMarker if HanConverter says so) without folding them.
  static bool IsUnassignedOrPrivate(char32_t c);
  // The most bytes one input byte can become (NFKC expands ﷺ to 33 bytes).
  size_t max_expansion() const { return max_expansion_; }

 private:
  static constexpr int kBlockBits = 7;
  static constexpr uint32_t kBlockSize = 1u << kBlockBits;

  // Code point block -> entries_ block. Blocks of letters are unique (each
  // entry holds its own character); blocks of unassigned, private-use or
  // symbol code points are shared: ~1.2 MB in all, ~170 KB of it the CJK
  // block that Chinese text touches.
  std::vector<uint32_t> blocks_;
  std::vector<Entry> entries_;
  std::string pool_;
  size_t max_expansion_ = 1;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_CHAR_TABLE_H_

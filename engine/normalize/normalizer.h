// Normalizer: turns a buyer's message into the key that intent patterns match
// against, and remembers where each byte of the key came from.
//
//   const Normalizer& n = **Normalizer::Shared();
//   NormalizedText key;
//   n.Normalize("怎麼　還不發貨？？😡", &key);
//   // key.text == "怎么还不发货", key.script == Script::kHant
//
// The key is NFKC with case folding, Traditional converted to Simplified,
// Latin letters stripped of diacritics, and everything that is not a letter
// or digit removed (spaces, punctuation, emoji) — except that where such
// separators split two Latin words (letters or digits) one space stays:
// "Sao chưa giao hàng?" -> "sao chua giao hang", so a pattern can tell
// words apart (RE2's \b is ASCII, and the key's Latin words are). Han text
// keeps no space, nor does a space between Han and Latin ("尺码 XL 太大" ->
// "尺码xl太大"). Patterns are folded the same way by FoldPattern, so authors
// write them as buyers type.
//
// Cost: one table lookup per character (see CharTable), plus two bits of
// state for the spaces; building the tables from ICU takes ~0.3 s and
// happens once per process, in Shared().
//
// Thread safety: immutable after construction; every method is safe from any
// number of threads.
#ifndef REPLY_ENGINE_NORMALIZE_NORMALIZER_H_
#define REPLY_ENGINE_NORMALIZE_NORMALIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/enum_table.h"
#include "engine/base/status.h"
#include "engine/normalize/char_table.h"
#include "engine/normalize/han_converter.h"

namespace reply {

// The writing system of a message, which decides the reply's script.
enum class Script { kHans, kHant, kLatin, kUnknown };
// "Hans", "Hant", "Latin", "Zyyy" (ISO 15924; Zyyy: no letters at all).
// The ISO 15924 codes: "Hans", "Hant", "Latin", "Zyyy".
inline constexpr EnumName<Script> kScriptNames[] = {
    {Script::kHans, "Hans"},
    {Script::kHant, "Hant"},
    {Script::kLatin, "Latin"},
    {Script::kUnknown, "Zyyy"},
};
static_assert(InEnumOrder(kScriptNames));
constexpr std::string_view ScriptName(Script script) {
  return NameOf(kScriptNames, script);
}

struct NormalizedText {
  std::string text;
  Script script = Script::kUnknown;
  // The message has a Cantonese character (cantonese.h): what gates the
  // zh pack's Cantonese table (DialectWords), found by the normalizer's
  // character table at no extra cost.
  bool cantonese = false;
  // Only with Normalize(..., with_offsets=true): for each byte of `text`, the
  // byte range [source_begin, source_end) of the message it came from.
  std::vector<uint32_t> source_begin;
  std::vector<uint32_t> source_end;

  // The span of the original message that produced text[begin, end).
  std::pair<size_t, size_t> SourceSpan(size_t begin, size_t end) const;
};

class Normalizer {
 public:
  // Builds the tables from ICU data; expensive, prefer Shared().
  static Result<std::unique_ptr<Normalizer>> Create();
  // The process-wide instance, built on first use.
  static Result<const Normalizer*> Shared();

  // `message` must be valid UTF-8.
  void Normalize(std::string_view message, NormalizedText* out,
                 bool with_offsets = false) const;

  // Folds the literal characters of an RE2 pattern the way Normalize folds a
  // message, leaving the regex syntax alone: case, width, Traditional and
  // diacritics are folded; punctuation and emoji are removed since a message
  // never contains them; spaces (and punctuation) between two literals that
  // are Latin words become one space, and are removed elsewhere ("chưa
  // giao" -> "chua giao", "发 货" -> "发货"). Escapes (\d, \x{..}, \p{..})
  // are kept.
  std::string FoldPattern(std::string_view pattern) const;

  // Simplified -> Traditional, for replies to buyers who write Traditional.
  std::string ToTraditional(std::string_view simplified) const {
    return s2t_.Convert(simplified);
  }

  const HanConverter& traditional_to_simplified() const { return t2s_; }
  const HanConverter& simplified_to_traditional() const { return s2t_; }

 private:
  Normalizer(HanConverter t2s, HanConverter s2t)
      : t2s_(std::move(t2s)), s2t_(std::move(s2t)) {}

  // A T->S phrase rule that applies at a character whose rule form is
  // `first` and that ends at message[pos]: its output and the offset just
  // past the message characters it consumes. The flags of those characters
  // are OR-ed into *flags. False when no rule applies.
  struct Phrase {
    const std::u32string* output;
    size_t end;
  };
  bool MatchPhrase(std::string_view message, char32_t first, size_t pos,
                   uint8_t* flags, Phrase* phrase) const;

  void NormalizeWithOffsets(std::string_view message,
                            NormalizedText* out) const;

  // One bit: whether `c` comes second in some phrase rule. Written without
  // a branch (U+0000 comes second in none) because it runs per character.
  bool MaySecondPhrase(char32_t c) const {
    const char32_t bmp = c < 0x10000 ? c : 0;
    return second_chars_[bmp >> 6] >> (bmp & 63) & 1;
  }
  // Whether some phrase rule's key starts with `first` `second`.
  bool IsPhraseBigram(char32_t first, char32_t second) const;
  void BuildBigrams();

  HanConverter t2s_;
  HanConverter s2t_;
  CharTable table_;
  // Open-addressing set of (first << 32 | second) of every phrase rule.
  std::vector<uint64_t> bigrams_;
  uint64_t bigram_mask_ = 0;
  int bigram_shift_ = 64;
  // Bitmap over the BMP of the characters that come second in a phrase
  // rule (8 KB): most characters rule a phrase out with one bit.
  std::vector<uint64_t> second_chars_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_NORMALIZER_H_

// Abbreviations: how buyers of one locale shorten words — Vietnamese "ko",
// "k", "hok", "hông" for không, "dc" for được, "sp" for sản phẩm — as a
// table applied to the normalized message word by word, so that patterns
// name each word once, in full, and still hear it however it is typed.
//
//   Abbreviations table;
//   table.Add("ko", "không", normalizer);       // errors as values
//   table.Add("sp", "sản phẩm", normalizer);    // a spelling may stand for
//   words NormalizedText key; normalizer.Normalize("sp ko dc", &key);     //
//   "sp ko dc" table.Apply("sp ko dc", normalizer, &key);  // "san pham khong
//   duoc"
//
// It is pack data (intents/<locale>/*.yaml, `abbreviations:`), so a table
// belongs to a pack snapshot and reloads with it; the Normalizer's tables
// stay process-wide. Apply runs after Normalize on both the serving path
// and explain's, and keeps the key's offsets (when it has them) pointing at
// the buyer's own characters: a replaced word's bytes all map to the word
// it replaced.
//
// A spelling matches a whole word of the key: a run of ASCII letters and
// digits between spaces, the ends, or other characters (Han). A spelling
// written without diacritics matches the word however it was accented ("ko"
// matches ko and kó); one written with diacritics matches only a word typed
// with exactly those ("hông" is không, but hỏng, broken, also folds to
// "hong" and is left alone). Telling those apart needs the message's own
// characters: only when a word folds like an accented spelling does Apply
// look at them (normalizing once more, with offsets, when the key has none).
//
// Cost, measured with bench/normalize_bench (docs/benchmarks.md): a scan of
// the key, and for each word no longer than the longest spelling whose
// first letter and length some spelling has, one probe of an
// open-addressing table.
//
// Limits: a spelling is one word of at most kMaxSpellingBytes once folded.
//
// Thread safety: Add while loading; afterwards Apply and the accessors are
// safe from any number of threads.
#ifndef REPLY_ENGINE_NORMALIZE_ABBREVIATIONS_H_
#define REPLY_ENGINE_NORMALIZE_ABBREVIATIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/normalize/normalizer.h"

namespace reply {

class Abbreviations {
 public:
  static constexpr size_t kMaxSpellingBytes = 8;

  struct Rule {
    std::string spelling;  // as written in the pack
    std::string full;      // as written in the pack
    std::string folded;    // the spelling as a key word ("hong" for hông)
    // The spelling in lower case with its diacritics (NFC) when it has
    // any; empty when it matches the word however accented.
    std::string accented;
    std::string output;  // `full` folded: what the word becomes
  };

  // One replacement Apply made, for explain: key[begin, end) of the
  // rewritten key is rules()[rule].output.
  struct Rewrite {
    size_t begin = 0, end = 0;
    int rule = 0;
  };

  // Adds `spelling` as a way of writing `full` (a rule, unless an existing
  // rule of the same word covers it: đc beside dc). Errors say why: not one
  // word once folded, too long, the word itself, or already taken by
  // another word's rule (naming it, and setting *taken_by to its index).
  Status Add(std::string_view spelling, std::string_view full,
             const Normalizer& normalizer, int* taken_by = nullptr);

  bool empty() const { return rules_.empty(); }
  const std::vector<Rule>& rules() const { return rules_; }

  // Rewrites the words of `key`, the result of normalizing `message` (with
  // or without offsets), that are spellings of this table.
  void Apply(std::string_view message, const Normalizer& normalizer,
             NormalizedText* key,
             std::vector<Rewrite>* rewrites = nullptr) const;

  // The rule `word` (a key word) is a spelling of, or -1; `original` is the
  // word as the buyer typed it (for accented spellings).
  int Find(std::string_view word, std::string_view original) const;

 private:
  static uint64_t Pack(std::string_view word);
  // The rules whose folded spelling is `word`, in the order added; null
  // when there are none.
  const std::vector<int>* Candidates(std::string_view word) const;
  void Rebuild();

  std::vector<Rule> rules_;
  // Open addressing over Pack(folded) -> index into candidates_.
  std::vector<uint64_t> slots_;
  std::vector<uint32_t> slot_value_;
  std::vector<std::vector<int>> candidates_;
  int shift_ = 64;
  // Bit n of first_length_[c]: some spelling starts with byte c and is n
  // bytes long; most words are ruled out by it.
  uint16_t first_length_[128] = {};
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_ABBREVIATIONS_H_

// DialectWords: how the buyers of one region write a locale's words — Hong
// Kong's Cantonese 冇 for 没有, 唔 for 不, 咗 for 了, 睇 for 看, 點解 for
// 为什么 — as a table applied to the normalized message, so that patterns
// name each Mandarin word once and still hear the Cantonese one.
//
//   DialectWords table;
//   table.Add("冇", "没有", normalizer);     // errors as values
//   table.Add("唔", "不", normalizer);
//   table.Add("係", "是", normalizer);       // spellings are normalized: 系
//   table.Keep("聯繫", normalizer);          // 联系 keeps its 系
//   NormalizedText key;
//   normalizer.Normalize("聯繫唔到，係咪冇貨", &key);
//   table.Apply(&key);                       // 联系不到是咪没有货
//
// It is pack data (intents/zh/cantonese.yaml, `dialect:` and
// `dialect_keep:`), so a table belongs to a pack snapshot and reloads with
// it. Apply runs after Normalize (after Traditional-to-Simplified, so a
// spelling is matched in its Simplified form) and after the locale's
// Abbreviations, on the serving path and explain's, and keeps the key's
// offsets (when it has them) pointing at the buyer's own characters: a
// rewritten spelling's bytes all map to the spelling it replaced.
//
// Han text has no spaces, so a spelling matches anywhere in the key: at
// each character the longest spelling that starts there wins, and its
// characters are not looked at again. A kept word is a spelling that stays
// itself, so 系 in 联系 is never 是: the longer 联系 starts first.
//
// Gating: Apply rewrites only a key that has a Cantonese character
// (NormalizedText::cantonese, set by Normalize; cantonese.h). A spelling
// with one (冇, 收唔到) could not match anywhere else; a spelling Mandarin
// also writes (系 for 是, 细 for 小, 仲 for 还, 未 for 没) is rewritten only
// where the buyer is plainly writing Cantonese, and a Mandarin message is
// never changed. The same test makes the cost: a Mandarin message pays one
// flag test, since the normalizer's character table already marks the
// Cantonese characters.
//
// Limits: a spelling is at most kMaxSpellingChars Han characters.
//
// Thread safety: Add and Keep while loading; afterwards Apply and the
// accessors are safe from any number of threads.
#ifndef REPLY_ENGINE_NORMALIZE_DIALECT_WORDS_H_
#define REPLY_ENGINE_NORMALIZE_DIALECT_WORDS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/normalize/normalizer.h"

namespace reply {

class DialectWords {
 public:
  static constexpr size_t kMaxSpellingChars = 8;

  struct Rule {
    std::string spelling;  // as written in the pack
    std::string word;      // as written in the pack; a kept word: spelling
    std::string folded;    // the spelling normalized: what Apply looks for
    std::string output;    // `word` normalized: what it becomes
    bool keep = false;     // a kept word: matched, and left as it is
  };

  // One replacement Apply made, for explain: key[begin, end) of the
  // rewritten key is rules()[rule].output.
  struct Rewrite {
    size_t begin = 0, end = 0;
    int rule = 0;
  };

  // Adds `spelling` as the region's way of writing `word`. Errors say why:
  // not Han text once normalized, too long, the word itself once
  // normalized, or already taken by another word or a kept word (naming
  // it, and setting *taken_by to its index). The same spelling of the same
  // word twice (係 and 系) is one rule.
  Status Add(std::string_view spelling, std::string_view word,
             const Normalizer& normalizer, int* taken_by = nullptr);

  // Adds `word` as one to leave alone although a spelling is inside it
  // (联系 holds 系). Errors as for Add.
  Status Keep(std::string_view word, const Normalizer& normalizer,
              int* taken_by = nullptr);

  bool empty() const { return rules_.empty(); }
  const std::vector<Rule>& rules() const { return rules_; }

  // Rewrites the spellings in `key` (a normalized message, with or without
  // offsets) when key->cantonese; else leaves it alone.
  void Apply(NormalizedText* key,
             std::vector<Rewrite>* rewrites = nullptr) const;

 private:
  Status AddRule(Rule rule, const Normalizer& normalizer, int* taken_by);
  // The rules whose spelling starts with the character at text[i], longest
  // first: a range of by_first_.
  std::span<const int> StartingAt(std::string_view text, size_t i) const;

  std::vector<Rule> rules_;
  // Rule indexes sorted by first character, then longest spelling first.
  std::vector<int> by_first_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_DIALECT_WORDS_H_

#include "engine/normalize/dialect_words.h"

#include <unicode/uscript.h>

#include <algorithm>
#include <span>

#include "engine/base/utf8.h"
#include "engine/normalize/key_splice.h"

namespace reply {
namespace {

// ICU's Han script, as the normalizer's tables read it (char_table.cc).
bool InHanScript(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
}

// Bytes of the UTF-8 character whose lead byte is `lead`.
size_t CharBytes(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

std::string_view FirstChar(std::string_view text) {
  return text.substr(0, CharBytes(static_cast<unsigned char>(text[0])));
}

}  // namespace

Status DialectWords::Add(std::string_view spelling, std::string_view word,
                         const Normalizer& normalizer, int* taken_by) {
  Rule rule;
  rule.spelling = spelling;
  rule.word = word;
  NormalizedText key;
  normalizer.Normalize(word, &key);
  rule.output = key.text;
  if (rule.output.empty()) {
    return Status::PackError("'" + rule.word + "' is empty once normalized");
  }
  return AddRule(std::move(rule), normalizer, taken_by);
}

Status DialectWords::Keep(std::string_view word, const Normalizer& normalizer,
                          int* taken_by) {
  Rule rule;
  rule.spelling = word;
  rule.word = word;
  rule.keep = true;
  return AddRule(std::move(rule), normalizer, taken_by);
}

Status DialectWords::AddRule(Rule rule, const Normalizer& normalizer,
                             int* taken_by) {
  NormalizedText key;
  normalizer.Normalize(rule.spelling, &key);
  rule.folded = key.text;
  if (rule.keep) rule.output = rule.folded;
  size_t chars = 0;
  for (size_t i = 0; i < rule.folded.size(); ++chars) {
    if (!InHanScript(DecodeUtf8(rule.folded, &i))) {
      return Status::PackError("spelling '" + rule.spelling +
                               "' is not Han characters alone (it normalizes "
                               "to '" +
                               rule.folded + "')");
    }
  }
  if (chars == 0) {
    return Status::PackError("spelling '" + rule.spelling +
                             "' is empty once normalized");
  }
  if (chars > kMaxSpellingChars) {
    return Status::PackError("spelling '" + rule.spelling + "' is " +
                             std::to_string(chars) + " characters; at most " +
                             std::to_string(kMaxSpellingChars));
  }
  if (!rule.keep && rule.output == rule.folded) {
    return Status::PackError("spelling '" + rule.spelling + "' is '" +
                             rule.word +
                             "' itself once normalized: the normalizer "
                             "already makes them one");
  }
  for (const Rule& other : rules_) {
    if (other.folded != rule.folded) continue;
    if (other.keep == rule.keep && other.output == rule.output) {
      return Status::Ok();  // 係 beside 系: one rule
    }
    if (taken_by != nullptr) *taken_by = static_cast<int>(&other - &rules_[0]);
    return Status::PackError(
        "spelling '" + rule.spelling + "' is already taken: " +
        (other.keep
             ? "'" + other.spelling + "' is kept as it is"
             : "'" + other.spelling + "' stands for '" + other.word + "'"));
  }
  rules_.push_back(std::move(rule));
  by_first_.push_back(static_cast<int>(rules_.size() - 1));
  std::sort(by_first_.begin(), by_first_.end(), [&](int a, int b) {
    const std::string& x = rules_[a].folded;
    const std::string& y = rules_[b].folded;
    const std::string_view fx = FirstChar(x), fy = FirstChar(y);
    if (fx != fy) return fx < fy;
    return x.size() > y.size();
  });
  return Status::Ok();
}

std::span<const int> DialectWords::StartingAt(std::string_view text,
                                              size_t i) const {
  const std::string_view first = FirstChar(text.substr(i));
  const auto lo = std::lower_bound(by_first_.begin(), by_first_.end(), first,
                                   [&](int r, std::string_view f) {
                                     return FirstChar(rules_[r].folded) < f;
                                   });
  const auto hi = std::upper_bound(lo, by_first_.end(), first,
                                   [&](std::string_view f, int r) {
                                     return f < FirstChar(rules_[r].folded);
                                   });
  return {lo, hi};
}

void DialectWords::Apply(NormalizedText* key,
                         std::vector<Rewrite>* rewrites) const {
  // The gate, and all a Mandarin message pays: every rule with a Cantonese
  // character needs one in the key, and the others wait for one.
  if (rules_.empty() || !key->cantonese) return;
  const std::string& text = key->text;
  thread_local std::string buffer;
  KeySplice splice(*key, &buffer);
  size_t i = 0;
  while (i < text.size()) {
    const std::span<const int> starting = StartingAt(text, i);
    const auto hit = std::find_if(starting.begin(), starting.end(), [&](int r) {
      return std::string_view(text).substr(i, rules_[r].folded.size()) ==
             rules_[r].folded;
    });
    if (hit == starting.end()) {
      i += CharBytes(static_cast<unsigned char>(text[i]));
      continue;
    }
    const Rule& rule = rules_[*hit];
    const size_t j = i + rule.folded.size();
    if (rule.keep) {
      i = j;
      continue;
    }
    const size_t at = splice.Replace(i, j, rule.output);
    if (rewrites != nullptr) rewrites->push_back({at, splice.size(), *hit});
    i = j;
  }
  splice.Finish(key);
}

}  // namespace reply

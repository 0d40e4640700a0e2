#include "engine/normalize/abbreviations.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>

#include "engine/normalize/key_splice.h"

namespace reply {
namespace {

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Lower case with diacritics, composed: how an accented spelling is
// compared with the word the buyer typed.
std::string AccentedLower(std::string_view text) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  u.toLower(icu::Locale::getRoot());
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_SUCCESS(status)) u = nfc->normalize(u, status);
  std::string out;
  return u.toUTF8String(out);
}

// Fibonacci hashing: the top bits of the product.
uint64_t Hash(uint64_t key, int shift) {
  return (key * 0x9E3779B97F4A7C15ull) >> shift;
}

}  // namespace

uint64_t Abbreviations::Pack(std::string_view word) {
  // Byte by byte: a memcpy of a variable length is a call.
  uint64_t key = 0;
  const size_t n = std::min(word.size(), sizeof key);
  for (size_t i = 0; i < n; ++i) {
    key |= uint64_t{static_cast<unsigned char>(word[i])} << (8 * i);
  }
  return key;
}

Status Abbreviations::Add(std::string_view spelling, std::string_view full,
                          const Normalizer& normalizer, int* taken_by) {
  NormalizedText key;
  normalizer.Normalize(spelling, &key);
  Rule rule;
  rule.spelling = spelling;
  rule.full = full;
  rule.folded = key.text;
  if (rule.folded.empty() ||
      !std::all_of(rule.folded.begin(), rule.folded.end(), IsWordByte)) {
    return Status::PackError("spelling '" + rule.spelling +
                             "' is not one word of letters and digits (it "
                             "folds to '" +
                             rule.folded + "')");
  }
  if (rule.folded.size() > kMaxSpellingBytes) {
    return Status::PackError(
        "spelling '" + rule.spelling + "' is " +
        std::to_string(rule.folded.size()) + " letters once folded; at most " +
        std::to_string(kMaxSpellingBytes) + " (abbreviations are short)");
  }
  const std::string lower = AccentedLower(spelling);
  if (lower != rule.folded) rule.accented = lower;
  normalizer.Normalize(full, &key);
  rule.output = key.text;
  if (rule.output.empty()) {
    return Status::PackError("'" + rule.full + "' is empty once folded");
  }
  if (rule.output == rule.folded) {
    return Status::PackError("spelling '" + rule.spelling + "' is '" +
                             rule.full +
                             "' itself once folded: the normalizer already "
                             "makes them one");
  }
  for (Rule& other : rules_) {
    if (other.folded != rule.folded) continue;
    if (!other.accented.empty() && !rule.accented.empty() &&
        other.accented != rule.accented) {
      continue;  // hông and hổng may stand for different words
    }
    if (other.output == rule.output) {
      // dc beside đc: one rule, matching however accented if either does.
      if (rule.accented.empty()) other.accented.clear();
      return Status::Ok();
    }
    const std::string how = other.accented.empty() ? " (however accented)" : "";
    if (taken_by != nullptr) *taken_by = static_cast<int>(&other - &rules_[0]);
    return Status::PackError("spelling '" + rule.spelling +
                             "' is already taken: '" + other.spelling +
                             "' stands for '" + other.full + "'" + how);
  }
  rules_.push_back(std::move(rule));
  Rebuild();
  return Status::Ok();
}

void Abbreviations::Rebuild() {
  candidates_.clear();
  size_t size = 16;
  int bits = 4;
  while (size < rules_.size() * 2) {
    size *= 2;
    ++bits;
  }
  shift_ = 64 - bits;
  slots_.assign(size, 0);
  slot_value_.assign(size, 0);
  std::memset(first_length_, 0, sizeof first_length_);
  for (size_t r = 0; r < rules_.size(); ++r) {
    const std::string& folded = rules_[r].folded;
    first_length_[static_cast<unsigned char>(folded[0]) & 127] |=
        uint16_t{1} << folded.size();
    const uint64_t key = Pack(folded);
    uint64_t slot = Hash(key, shift_);
    while (slots_[slot] != 0 && slots_[slot] != key) {
      slot = (slot + 1) & (size - 1);
    }
    if (slots_[slot] == 0) {
      slots_[slot] = key;
      slot_value_[slot] = static_cast<uint32_t>(candidates_.size());
      candidates_.emplace_back();
    }
    candidates_[slot_value_[slot]].push_back(static_cast<int>(r));
  }
}

const std::vector<int>* Abbreviations::Candidates(std::string_view word) const {
  if (word.empty() || word.size() > kMaxSpellingBytes) return nullptr;
  const unsigned char first = static_cast<unsigned char>(word[0]);
  if (first >= 128 || !(first_length_[first] >> word.size() & 1)) {
    return nullptr;
  }
  const uint64_t key = Pack(word);
  for (uint64_t slot = Hash(key, shift_); slots_[slot] != 0;
       slot = (slot + 1) & (slots_.size() - 1)) {
    if (slots_[slot] == key) return &candidates_[slot_value_[slot]];
  }
  return nullptr;
}

int Abbreviations::Find(std::string_view word,
                        std::string_view original) const {
  const std::vector<int>* candidates = Candidates(word);
  if (candidates == nullptr) return -1;
  std::string lower;
  for (int r : *candidates) {
    if (rules_[r].accented.empty()) return r;
    if (lower.empty()) lower = AccentedLower(original);
    if (rules_[r].accented == lower) return r;
  }
  return -1;
}

void Abbreviations::Apply(std::string_view message,
                          const Normalizer& normalizer, NormalizedText* key,
                          std::vector<Rewrite>* rewrites) const {
  if (rules_.empty()) return;
  const std::string& text = key->text;
  const bool offsets = key->source_begin.size() == text.size() && !text.empty();
  // Offsets for the rare word that folds like an accented spelling, when
  // the key came without them.
  thread_local NormalizedText traced;
  const NormalizedText* spans = offsets ? key : nullptr;
  thread_local std::string buffer;
  KeySplice splice(*key, &buffer);
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordByte(text[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < text.size() && IsWordByte(text[j])) ++j;
    const std::string_view word(text.data() + i, j - i);
    const std::vector<int>* candidates = Candidates(word);
    int rule = -1;
    if (candidates != nullptr) {
      for (int r : *candidates) {
        if (rules_[r].accented.empty()) {
          rule = r;
          break;
        }
      }
      if (rule < 0) {
        if (spans == nullptr) {
          normalizer.Normalize(message, &traced, /*with_offsets=*/true);
          spans = &traced;
        }
        const auto [from, to] = spans->SourceSpan(i, j);
        rule = Find(word, message.substr(from, to - from));
      }
    }
    if (rule >= 0) {
      const size_t at = splice.Replace(i, j, rules_[rule].output);
      if (rewrites != nullptr) rewrites->push_back({at, splice.size(), rule});
    }
    i = j;
  }
  splice.Finish(key);
}

}  // namespace reply

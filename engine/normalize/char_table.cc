#include "engine/normalize/char_table.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "engine/base/utf8.h"
#include "engine/normalize/cantonese.h"

namespace reply {
namespace {

bool IsMatchable(char32_t c) {
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

bool IsLatinLetter(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  return u_isalpha(c) && uscript_getScript(c, &status) == USCRIPT_LATIN;
}

// Dropped characters that do not separate words: combining marks (a
// decomposed diacritic) and format characters (joiners, soft hyphens).
bool IsTransparent(char32_t c) {
  switch (u_charType(c)) {
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_FORMAT_CHAR:
      return true;
    default:
      return false;
  }
}

// A key made of Latin letters and digits only (ASCII after folding, or a
// Latin letter without a decomposition: ø, æ).
bool IsWordKey(const std::string& key) {
  if (key.empty()) return false;
  size_t pos = 0;
  while (pos < key.size()) {
    const char32_t k = DecodeUtf8(key, &pos);
    if (!(IsLatinLetter(k) || u_charType(k) == U_DECIMAL_DIGIT_NUMBER)) {
      return false;
    }
  }
  return true;
}

}  // namespace

// Unassigned and private-use code points have no matching key: NFKC with
// case folding leaves them alone (or removes a default-ignorable one), and
// they are no letter, digit or mark, nor Han (normalizer_test checks this
// against ICU for every such code point). So each is a dropped character
// that separates words.
bool CharTable::IsUnassignedOrPrivate(char32_t c) {
  const int8_t type = u_charType(c);
  return type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR;
}

namespace {

bool IsHan(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

class Folder {
 public:
  Folder(const icu::Normalizer2* nfkc_cf, const icu::Normalizer2* nfd,
         const HanConverter& t2s)
      : nfkc_cf_(nfkc_cf), nfd_(nfd), t2s_(t2s) {}

  // The matching key of one code point, or "" when it is dropped.
  // *han_rules is set when `c` starts a multi-character T->S rule.
  std::string Fold(char32_t c, bool* han_rules) const {
    *han_rules = false;
    std::u32string folded;
    if (nfkc_cf_->isInert(c)) {
      folded.push_back(c);
    } else {
      UErrorCode status = U_ZERO_ERROR;
      icu::UnicodeString s =
          nfkc_cf_->normalize(icu::UnicodeString(UChar32(c)), status);
      if (U_FAILURE(status)) return "";
      for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
        folded.push_back(s.char32At(i));
      }
    }
    std::string out;
    for (char32_t f : folded) {
      if (IsLatinLetter(f)) {
        AppendLatinBase(f, &out);
        continue;
      }
      if (!IsMatchable(f)) continue;
      const auto* rules = t2s_.RulesFor(f);
      if (rules == nullptr) {
        AppendUtf8(f, &out);
        continue;
      }
      // The unconditional one-character rule gives the character's own
      // conversion; any other rule (a phrase, a context) makes the
      // normalizer try the rules at run time first.
      const HanConverter::Rule* single = nullptr;
      for (const auto& rule : *rules) {
        if (rule.key.size() == 1 && rule.pre.empty() && rule.post.empty()) {
          single = &rule;
          break;
        }
      }
      if (single != nullptr) {
        for (char32_t o : single->output) AppendUtf8(o, &out);
      } else {
        AppendUtf8(f, &out);
      }
      *han_rules =
          folded.size() == 1 && (single == nullptr || rules->size() > 1);
    }
    return out;
  }

 private:
  // ư -> u, Đ/đ -> d: the base letter of a Latin letter with diacritics.
  void AppendLatinBase(char32_t c, std::string* out) const {
    if (c == U'đ' || c == U'Đ') {
      out->push_back('d');
      return;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString s =
        nfd_->normalize(icu::UnicodeString(UChar32(c)), status);
    if (U_FAILURE(status) || s.isEmpty()) return;
    AppendUtf8(s.char32At(0), out);
  }

  const icu::Normalizer2* nfkc_cf_;
  const icu::Normalizer2* nfd_;
  const HanConverter& t2s_;
};

}  // namespace

Result<CharTable> CharTable::Build(const HanConverter& t2s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) {
    return Status::Internal(
        std::string("ICU normalizer data is unavailable: ") +
        u_errorName(status));
  }
  const Folder folder(nfkc_cf, nfd, t2s);

  CharTable table;
  std::map<std::string, uint32_t> pooled;
  std::map<std::string, uint32_t> dedup;  // block bytes -> block index
  std::vector<Entry> block(kBlockSize);
  constexpr char32_t kEnd = 0x110000;
  for (char32_t base = 0; base < kEnd; base += kBlockSize) {
    for (uint32_t i = 0; i < kBlockSize; ++i) {
      const char32_t c = base + i;
      Entry e{kDrop, 0, 0, 0, {}};
      if (IsUnassignedOrPrivate(c)) {
        // What the general case below computes for them, without folding:
        // three quarters of Unicode, most of the table's cost before.
        e.flags = kBreak;
        if (t2s.markers().count(c)) e.flags |= kTraditionalMarker;
      } else if (c < 0xD800 || c > 0xDFFF) {
        bool han_rules = false;
        const std::string key = folder.Fold(c, &han_rules);
        std::string self;
        AppendUtf8(c, &self);
        if (key.size() > UINT8_MAX) {
          return Status::Internal("the matching key of U+" +
                                  std::to_string(uint32_t{c}) +
                                  " is longer than a table entry can say");
        }
        e.action = key.empty() ? kDrop : key == self ? kKeep : kMap;
        e.length = static_cast<uint8_t>(key.size());
        if (key.size() <= kInlineKey) {
          std::memcpy(e.bytes, key.data(), key.size());
        } else {
          auto [it, inserted] = pooled.try_emplace(
              key, static_cast<uint32_t>(table.pool_.size()));
          if (inserted) table.pool_ += key;
          std::memcpy(e.bytes, &it->second, sizeof it->second);
        }
        table.max_expansion_ = std::max(
            table.max_expansion_, (key.size() + self.size() - 1) / self.size());
        if (IsHan(c)) e.flags |= kHan;
        if (IsLatinLetter(c)) e.flags |= kLatin;
        if (IsCantoneseCharacter(c)) e.flags |= kCantonese;
        if (t2s.markers().count(c)) e.flags |= kTraditionalMarker;
        if (han_rules) e.flags |= kHanRules;
        if (IsWordKey(key)) e.flags |= kWord;
        if (key.empty() && !IsTransparent(c)) e.flags |= kBreak;
      }
      block[i] = e;
    }
    std::string bytes(reinterpret_cast<const char*>(block.data()),
                      block.size() * sizeof(Entry));
    auto [it, inserted] = dedup.try_emplace(
        std::move(bytes),
        static_cast<uint32_t>(table.entries_.size() / kBlockSize));
    if (inserted) {
      table.entries_.insert(table.entries_.end(), block.begin(), block.end());
    }
    table.blocks_.push_back(it->second);
  }
  return table;
}

}  // namespace reply

#include "engine/normalize/normalizer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "engine/base/utf8.h"

namespace reply {
namespace {

// The longest key of ICU's Traditional->Simplified rules is 5 characters.
constexpr size_t kMaxRuleKey = 8;

// The character T->S rules see: Han characters as written (the rules' keys
// are Traditional), anything else as folded; 0 when it folds to several.
char32_t RuleChar(const CharTable& table, const CharTable::Entry& e,
                  char32_t c) {
  if (e.action != CharTable::kMap || (e.flags & CharTable::kHan)) return c;
  std::string_view r = table.Replacement(e);
  size_t pos = 0;
  const char32_t folded = DecodeUtf8(r, &pos);
  return pos == r.size() ? folded : 0;
}

bool IsRegexMeta(char c) {
  switch (c) {
    case '.':
    case '^':
    case '$':
    case '|':
    case '(':
    case ')':
    case '*':
    case '+':
    case '?':
    case '[':
    case ']':
    case '{':
    case '}':
      return true;
    default:
      return false;
  }
}

// Length of a counted repetition "{n}", "{n,}" or "{n,m}" at p[0] == '{', or
// 0 when the brace is a literal.
size_t RepetitionLength(std::string_view p) {
  size_t i = 1;
  const auto digits = [&] {
    const size_t start = i;
    while (i < p.size() && p[i] >= '0' && p[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return 0;
  if (i < p.size() && p[i] == ',') {
    ++i;
    digits();
  }
  return i < p.size() && p[i] == '}' ? i + 1 : 0;
}

// Whether a space goes before a character's key: one goes where a separator
// (CharTable::kBreak: space, punctuation, emoji) split two Latin words
// (kWord: letters and digits), so that "chưa giao" stays two words. Han
// text keeps no space, nor does a space between Han and Latin. Both paths
// use it alike. It is consulted for a word's character only, so Chinese
// text, whose characters are not words, pays one test per character.
class WordSpacer {
 public:
  // A word's character starting at message[start], whose key would go at
  // key offset `key_size`: whether a space goes first. True when nothing
  // was kept since the last word's character and what was dropped in
  // between holds a separator (not only combining marks: "ha\u0300ng").
  bool SpaceBefore(const CharTable& table, std::string_view message,
                   size_t start, size_t key_size) const {
    if (key_size != word_key_end_ || start == word_message_end_) return false;
    for (size_t p = word_message_end_; p < start;) {
      if (table.Lookup(DecodeUtf8(message, &p)).flags & CharTable::kBreak) {
        return true;
      }
    }
    return false;
  }
  // After a word's character: its key ends at `key_size`, the character at
  // `message_end`.
  void Word(size_t key_size, size_t message_end) {
    word_key_end_ = key_size;
    word_message_end_ = message_end;
  }

 private:
  size_t word_key_end_ = static_cast<size_t>(-1);
  size_t word_message_end_ = 0;
};

Script ScriptOf(size_t han, size_t traditional, size_t latin) {
  if (han > 0) return traditional > 0 ? Script::kHant : Script::kHans;
  return latin > 0 ? Script::kLatin : Script::kUnknown;
}

}  // namespace

std::pair<size_t, size_t> NormalizedText::SourceSpan(size_t begin,
                                                     size_t end) const {
  if (begin >= end || end > source_begin.size()) return {0, 0};
  return {source_begin[begin], source_end[end - 1]};
}

Result<std::unique_ptr<Normalizer>> Normalizer::Create() {
  Result<HanConverter> t2s = HanConverter::FromIcu("Traditional-Simplified");
  if (!t2s.ok()) return t2s.status();
  Result<HanConverter> s2t = HanConverter::FromIcu("Simplified-Traditional");
  if (!s2t.ok()) return s2t.status();
  std::unique_ptr<Normalizer> n(
      new Normalizer(std::move(*t2s), std::move(*s2t)));
  Result<CharTable> table = CharTable::Build(n->t2s_);
  if (!table.ok()) return table.status();
  n->table_ = std::move(*table);
  n->BuildBigrams();
  return n;
}

namespace {
// Fibonacci hashing: the top bits of the product. (The low bits of two
// code points shifted together cluster badly: probe chains ran to ~16.)
uint64_t HashBigram(uint64_t key, int shift) {
  return (key * 0x9E3779B97F4A7C15ull) >> shift;
}
}  // namespace

void Normalizer::BuildBigrams() {
  std::vector<uint64_t> keys;
  second_chars_.assign(0x10000 / 64, 0);
  for (char32_t c = 0; c < 0x110000; ++c) {
    const auto* rules = t2s_.RulesFor(c);
    if (rules == nullptr) continue;
    for (const auto& rule : *rules) {
      if (rule.key.size() < 2) continue;
      keys.push_back(uint64_t{rule.key[0]} << 32 | rule.key[1]);
      if (rule.key[1] < 0x10000)
        second_chars_[rule.key[1] >> 6] |= uint64_t{1} << (rule.key[1] & 63);
    }
  }
  size_t size = 16;
  int bits = 4;
  while (size < keys.size() * 2) {
    size *= 2;
    ++bits;
  }
  bigram_shift_ = 64 - bits;
  bigrams_.assign(size, 0);
  bigram_mask_ = size - 1;
  for (uint64_t key : keys) {
    uint64_t slot = HashBigram(key, bigram_shift_);
    while (bigrams_[slot] != 0 && bigrams_[slot] != key)
      slot = (slot + 1) & bigram_mask_;
    bigrams_[slot] = key;
  }
}

bool Normalizer::IsPhraseBigram(char32_t first, char32_t second) const {
  const uint64_t key = uint64_t{first} << 32 | second;
  for (uint64_t slot = HashBigram(key, bigram_shift_); bigrams_[slot] != 0;
       slot = (slot + 1) & bigram_mask_) {
    if (bigrams_[slot] == key) return true;
  }
  return false;
}

Result<const Normalizer*> Normalizer::Shared() {
  static const Result<std::unique_ptr<Normalizer>>* shared =
      new Result<std::unique_ptr<Normalizer>>(Create());
  if (!shared->ok()) return shared->status();
  return shared->value().get();
}

bool Normalizer::MatchPhrase(std::string_view message, char32_t first,
                             size_t pos, uint8_t* flags, Phrase* phrase) const {
  // The rule forms of the characters ahead of `first`, skipping dropped
  // ones, and the message offset just past each.
  char32_t ahead[kMaxRuleKey];
  size_t ends[kMaxRuleKey];
  uint8_t ahead_flags[kMaxRuleKey] = {};
  ahead[0] = first;
  ends[0] = pos;
  size_t n = 1;
  size_t scan = pos;
  while (n < kMaxRuleKey && scan < message.size()) {
    const char32_t c = DecodeUtf8(message, &scan);
    const CharTable::Entry& e = table_.Lookup(c);
    if (e.action == CharTable::kDrop) continue;
    const char32_t rule_char = RuleChar(table_, e, c);
    if (rule_char == 0) break;
    ahead[n] = rule_char;
    ends[n] = scan;
    ahead_flags[n] = e.flags;
    ++n;
  }
  // ICU's Traditional->Simplified rules have no context (normalizer_test
  // checks), so the text before does not matter.
  const size_t used = t2s_.MatchAt(std::u32string_view(ahead, n),
                                   /*before=*/0, &phrase->output);
  if (used == 0) return false;
  // The phrase's other characters count for the script too (甚麼: 麼 marks
  // Traditional).
  for (size_t i = 1; i < used; ++i) *flags |= ahead_flags[i];
  phrase->end = ends[used - 1];
  return true;
}

// Both paths try a phrase rule when its second character arrives, from the
// last character that was not dropped: one bit test per character and a
// branch that is rarely taken. (Checking ahead from every character that
// starts some rule, one in six of Simplified text, cost a mispredicted
// branch and a second decoding each time.)

void Normalizer::Normalize(std::string_view message, NormalizedText* out,
                           bool with_offsets) const {
  if (with_offsets) return NormalizeWithOffsets(message, out);
  // The key is written into a per-thread buffer large enough for the worst
  // expansion, then copied out once: no capacity checks per character.
  thread_local std::unique_ptr<char[]> buffer;
  thread_local size_t capacity = 0;
  const size_t needed = message.size() * table_.max_expansion() + 64;
  if (capacity < needed) {
    capacity = std::max(needed, size_t{4096});
    buffer = std::make_unique<char[]>(capacity);
  }
  char* const begin = buffer.get();
  char* dst = begin;
  uint8_t seen = 0;  // the union of the characters' flags: the script
  bool previous_starts_rules = false;
  char32_t previous = 0;
  const CharTable::Entry* previous_entry = nullptr;
  size_t previous_end = 0;
  char* previous_dst = begin;
  WordSpacer spacer;
  size_t pos = 0;
  while (pos < message.size()) {
    const char32_t c = DecodeUtf8(message, &pos);
    const CharTable::Entry& e = table_.Lookup(c);
    seen |= e.flags;
    Phrase phrase;
    if ((previous_starts_rules & MaySecondPhrase(c)) &&
        IsPhraseBigram(previous, c) &&
        MatchPhrase(message, RuleChar(table_, *previous_entry, previous),
                    previous_end, &seen, &phrase)) {
      // The phrase replaces the previous character's key (Han: no word).
      std::string key;
      for (char32_t p : *phrase.output) AppendUtf8(p, &key);
      std::memcpy(previous_dst, key.data(), key.size());
      dst = previous_dst + key.size();
      pos = phrase.end;
      previous_starts_rules = false;
      continue;
    }
    if (e.flags & CharTable::kWord) {
      // A Latin letter or digit (rare in Chinese text): a space first when
      // a separator split it from the last word; never a phrase.
      // (Where it starts is worked out here, off the common path.)
      const size_t start =
          pos - 1 - (c >= 0x80) - (c >= 0x800) - (c >= 0x10000);
      *dst = ' ';
      dst += spacer.SpaceBefore(table_, message, start, dst - begin);
      const std::string_view key = table_.Key(e);
      std::memcpy(dst, key.data(), key.size());
      dst += key.size();
      spacer.Word(dst - begin, pos);
      previous_starts_rules = false;
      continue;
    }
    if (e.action != CharTable::kDrop) {
      previous_starts_rules = e.flags & CharTable::kHanRules;
      previous = c;
      previous_entry = &e;
      previous_end = pos;
      previous_dst = dst;
    }
    // Kept, mapped and dropped characters are copied alike, without a
    // branch on the action (Traditional text alternates kept and mapped
    // characters unpredictably): 4 bytes from the entry, of which `length`
    // count. The buffer has slack for the extra bytes.
    if (e.length <= CharTable::kInlineKey) {
      std::memcpy(dst, e.bytes, CharTable::kInlineKey);
      dst += e.length;
    } else {
      const std::string_view key = table_.Key(e);
      std::memcpy(dst, key.data(), key.size());
      dst += key.size();
    }
  }
  out->text.assign(begin, dst - begin);
  out->source_begin.clear();
  out->source_end.clear();
  out->script =
      ScriptOf(seen & CharTable::kHan, seen & CharTable::kTraditionalMarker,
               seen & CharTable::kLatin);
  out->cantonese = (seen & CharTable::kCantonese) != 0;
}

void Normalizer::NormalizeWithOffsets(std::string_view message,
                                      NormalizedText* out) const {
  out->text.clear();
  out->source_begin.clear();
  out->source_end.clear();
  uint8_t seen = 0;
  bool previous_starts_rules = false;
  char32_t previous = 0;
  const CharTable::Entry* previous_entry = nullptr;
  size_t previous_start = 0, previous_end = 0, previous_size = 0;
  WordSpacer spacer;
  size_t pos = 0;
  while (pos < message.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(message, &pos);
    const CharTable::Entry& e = table_.Lookup(c);
    seen |= e.flags;
    Phrase phrase;
    if ((previous_starts_rules & MaySecondPhrase(c)) &&
        IsPhraseBigram(previous, c) &&
        MatchPhrase(message, RuleChar(table_, *previous_entry, previous),
                    previous_end, &seen, &phrase)) {
      // The phrase replaces the previous character's key; all of its bytes
      // map back to all of the characters it consumed.
      out->text.resize(previous_size);
      for (char32_t p : *phrase.output) AppendUtf8(p, &out->text);
      out->source_begin.resize(previous_size);
      out->source_end.resize(previous_size);
      out->source_begin.resize(out->text.size(),
                               static_cast<uint32_t>(previous_start));
      out->source_end.resize(out->text.size(),
                             static_cast<uint32_t>(phrase.end));
      pos = phrase.end;
      previous_starts_rules = false;
      continue;
    }
    const bool word = e.flags & CharTable::kWord;
    if (word && spacer.SpaceBefore(table_, message, start, out->text.size())) {
      // The space stands for what lies between the two words.
      out->text.push_back(' ');
      out->source_begin.push_back(static_cast<uint32_t>(previous_end));
      out->source_end.push_back(static_cast<uint32_t>(start));
    }
    if (e.action == CharTable::kDrop) continue;
    previous_starts_rules = e.flags & CharTable::kHanRules;
    previous = c;
    previous_entry = &e;
    previous_start = start;
    previous_end = pos;
    previous_size = out->text.size();
    out->text.append(table_.Key(e));
    out->source_begin.resize(out->text.size(), static_cast<uint32_t>(start));
    out->source_end.resize(out->text.size(), static_cast<uint32_t>(pos));
    if (word) spacer.Word(out->text.size(), pos);
  }
  out->script =
      ScriptOf(seen & CharTable::kHan, seen & CharTable::kTraditionalMarker,
               seen & CharTable::kLatin);
  out->cantonese = (seen & CharTable::kCantonese) != 0;
}

std::string Normalizer::FoldPattern(std::string_view pattern) const {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  // A message keeps one space where a separator splits two Latin words, so
  // a pattern keeps one where a separator (a space, punctuation) stands
  // between two literals that are Latin words, and drops it elsewhere. That
  // is known only at the next literal, so the place is remembered; regex
  // syntax between them (`(`, `|`, `?`, `.{0,4}`, \b) does not count.
  size_t space_at = std::string::npos;
  bool last_word = false;
  const auto literal = [&](bool word) {
    if (space_at != std::string::npos) {
      if (word) {
        out.insert(space_at, 1, ' ');
      } else if (space_at < out.size() &&
                 (out[space_at] == '?' || out[space_at] == '*' ||
                  out[space_at] == '+')) {
        // "hàng ?吗": the optional space goes with its quantifier.
        const size_t lazy =
            space_at + 1 < out.size() && out[space_at + 1] == '?';
        out.erase(space_at, 1 + lazy);
      }
      space_at = std::string::npos;
    }
    last_word = word;
  };
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      // An escape is copied whole, braces included: \p{Han}, \x{4e00}.
      size_t end = i + 2;
      const char kind = pattern[i + 1];
      if ((kind == 'p' || kind == 'P' || kind == 'x') && end < pattern.size() &&
          pattern[end] == '{') {
        const size_t close = pattern.find('}', end);
        end = close == std::string_view::npos ? pattern.size() : close + 1;
      } else if (static_cast<unsigned char>(kind) >= 0x80) {
        size_t p = i + 1;
        DecodeUtf8(pattern, &p);
        end = p;
      }
      if (!in_class &&
          std::string_view("bBAzQE").find(kind) == std::string_view::npos) {
        // \d, \w and Latin letters (\pL, \p{Latin}) stand for a word's
        // characters; any other escape for something else.
        const std::string_view body = pattern.substr(i + 2, end - i - 2);
        literal(
            kind == 'd' || kind == 'w' ||
            (kind == 'p' && (body.starts_with("L") || body.starts_with("{L"))));
      }
      out.append(pattern.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '(' && i + 1 < pattern.size() && pattern[i + 1] == '?') {
      // Group flags and names are syntax: (?i) (?:x) (?P<name>x).
      size_t end = pattern.find_first_of(":)>", i + 2);
      end = end == std::string_view::npos ? pattern.size() : end + 1;
      out.append(pattern.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '{' && !in_class) {
      const size_t len = RepetitionLength(pattern.substr(i));
      if (len > 0) {
        out.append(pattern.substr(i, len));
        i += len;
        continue;
      }
    }
    if (c == '[' && !in_class) {
      // A class stands for a word's character when it names an ASCII letter
      // or digit, or \d or \w.
      size_t close = i + 1;
      if (close < pattern.size() && pattern[close] == '^') ++close;
      if (close < pattern.size() && pattern[close] == ']') ++close;
      bool word = false;
      for (; close < pattern.size() && pattern[close] != ']'; ++close) {
        const char k = pattern[close];
        if (k == '\\' && close + 1 < pattern.size()) {
          ++close;
          word |= pattern[close] == 'd' || pattern[close] == 'w';
        } else {
          word |= std::isalnum(static_cast<unsigned char>(k)) != 0;
        }
      }
      literal(word);
      in_class = true;
      out.push_back(c);
      ++i;
      if (i < pattern.size() && pattern[i] == '^') out.push_back(pattern[i++]);
      continue;
    }
    if (c == ']' && in_class) {
      in_class = false;
      out.push_back(c);
      ++i;
      continue;
    }
    if ((IsRegexMeta(c) && !in_class) || (in_class && c == '-')) {
      out.push_back(c);
      ++i;
      continue;
    }
    // A literal character: fold it as a message character would be, except
    // at the ends of a class range, where folding would change the range.
    const size_t start = i;
    const char32_t cp = DecodeUtf8(pattern, &i);
    const bool range_end =
        in_class && ((start > 0 && pattern[start - 1] == '-') ||
                     (i < pattern.size() && pattern[i] == '-'));
    if (range_end) {
      out.append(pattern.substr(start, i - start));
      continue;
    }
    const CharTable::Entry& e = table_.Lookup(cp);
    if (e.action == CharTable::kDrop) {
      if (!in_class && (e.flags & CharTable::kBreak) && last_word &&
          space_at == std::string::npos) {
        space_at = out.size();
      }
      continue;
    }
    if (!in_class) literal(e.flags & CharTable::kWord);
    if (e.action == CharTable::kKeep) {
      out.append(pattern.substr(start, i - start));
    } else {
      out.append(table_.Replacement(e));
    }
  }
  literal(false);  // a separator at the end is no space
  return out;
}

}  // namespace reply

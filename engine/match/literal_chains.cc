#include "engine/match/literal_chains.h"

#include <algorithm>
#include <utility>

#include "engine/base/utf8.h"
#include "engine/match/chain_sequences.h"

namespace reply {
namespace {

using chain_sequences::Alts;
using chain_sequences::Append;
using chain_sequences::Compact;
using chain_sequences::Concat;
using chain_sequences::EmptyString;
using chain_sequences::Gap;
using chain_sequences::Item;
using chain_sequences::kMaxSeqs;
using chain_sequences::Literal;
using chain_sequences::Piece;
using chain_sequences::Seq;
using chain_sequences::Single;
using chain_sequences::SortUnique;

// Bound on the copies {n,m} writes out of a literal group.
constexpr uint32_t kMaxLiteralRepeat = 8;

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  bool Parse(Alts* out) { return ParseAlternation(out) && i_ == p_.size(); }

 private:
  bool ParseAlternation(Alts* out) {
    Alts result;
    while (true) {
      Alts branch;
      if (!ParseConcatenation(&branch)) return false;
      for (Seq& seq : branch) result.push_back(std::move(seq));
      if (i_ < p_.size() && p_[i_] == '|') {
        ++i_;
        continue;
      }
      break;
    }
    // Once, not per branch: Compact's sizes only grow as branches are
    // added, so the last call fails exactly when an earlier one would have
    // (a concept's alternation of a hundred entries was sorted a hundred
    // times).
    if (!Compact(&result)) return false;
    *out = std::move(result);
    return true;
  }

  bool ParseConcatenation(Alts* out) {
    Alts acc = EmptyString();
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Alts atom;
      if (!ParseLiteralRun(&atom) && !ParseRepetition(&atom)) return false;
      if (!Concat(acc, atom, &acc)) return false;
    }
    *out = std::move(acc);
    return true;
  }

  // A byte that stands for itself (ASCII or part of a UTF-8 character).
  static bool IsPlain(char c) {
    return std::string_view("\\()[].^$*+?{}|").find(c) ==
           std::string_view::npos;
  }

  // Plain characters up to one that a quantifier follows, as one piece:
  // what concatenating them one at a time gives, without a product per
  // character (most of a pattern is such runs; parsing the bundled packs'
  // patterns cost 0.73 G instructions before). False when none is here.
  bool ParseLiteralRun(Alts* out) {
    size_t end = i_;
    while (end < p_.size() && IsPlain(p_[end])) {
      size_t next = end;
      DecodeUtf8(p_, &next);
      if (next < p_.size() && IsQuantifier(p_[next])) break;
      end = next;
    }
    if (end == i_) return false;
    Piece piece;
    piece.text = std::string(p_.substr(i_, end - i_));
    i_ = end;
    *out = Single(Literal(std::move(piece)));
    return true;
  }

  static bool IsQuantifier(char c) {
    return c == '*' || c == '+' || c == '?' || c == '{';
  }

  bool ParseNumber(uint32_t* n) {
    size_t start = i_;
    uint64_t v = 0;
    while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9') {
      v = v * 10 + (p_[i_] - '0');
      if (v > 1000) return false;  // RE2's limit on counted repetition
      ++i_;
    }
    *n = static_cast<uint32_t>(v);
    return i_ > start;
  }

  bool ParseRepetition(Alts* out) {
    Alts atom;
    if (!ParseAtom(&atom)) return false;
    if (i_ == p_.size() || !IsQuantifier(p_[i_])) {
      *out = std::move(atom);
      return true;
    }
    uint32_t min = 0, max = 0;
    const char q = p_[i_++];
    if (q == '*') {
      max = LiteralChain::kUnbounded;
    } else if (q == '+') {
      min = 1;
      max = LiteralChain::kUnbounded;
    } else if (q == '?') {
      max = 1;
    } else {  // {n}, {n,}, {n,m}; anything else RE2 reads as literal text
      if (!ParseNumber(&min)) return false;
      max = min;
      if (i_ < p_.size() && p_[i_] == ',') {
        ++i_;
        max = LiteralChain::kUnbounded;
        if (i_ < p_.size() && p_[i_] != '}' && !ParseNumber(&max)) {
          return false;
        }
      }
      if (i_ == p_.size() || p_[i_] != '}' || max < min) return false;
      ++i_;
    }
    if (i_ < p_.size() && p_[i_] == '?') ++i_;  // non-greedy: same matches
    if (i_ < p_.size() && IsQuantifier(p_[i_])) return false;
    return Repeat(atom, min, max, out);
  }

  static bool Repeat(const Alts& atom, uint32_t min, uint32_t max, Alts* out) {
    for (const Seq& seq : atom) {
      for (const Item& item : seq) {
        for (const Piece& piece : item.pieces) {
          if (piece.is_empty() && piece.begin_flags != 0) {
            return false;  // a repeated assertion
          }
        }
      }
    }
    if (atom.size() == 1 && atom[0].size() == 1 && !atom[0][0].is_gap &&
        atom[0][0].pieces.size() == 1 && atom[0][0].pieces[0] == Digit()) {
      // \d repeated: a run of min..max digits.
      if (max == 0) {
        *out = EmptyString();
        return true;
      }
      Alts result = Single(Literal(DigitRun(std::max(min, 1u), max)));
      if (min == 0) result.push_back(EmptyString()[0]);
      *out = std::move(result);
      return true;
    }
    if (atom.size() == 1 && atom[0].size() == 1 && atom[0][0].is_gap) {
      const Gap& g = atom[0][0].gap;
      // (.{2}){0,2} is not a range; a word gap is not repeated.
      if (g.min != 1 || g.max != 1 || g.kind == LiteralChain::kWords) {
        return false;
      }
      Item gap;
      gap.is_gap = true;
      gap.gap = {min, max, g.kind};
      *out = Single(gap);
      return true;
    }
    if (min == 1 && max == 1) {
      *out = atom;
      return true;
    }
    if (min == 0 && max == 1) {
      Alts result = atom;
      result.push_back(EmptyString()[0]);
      if (!Compact(&result)) return false;
      *out = std::move(result);
      return true;
    }
    if (atom.size() != 1 || atom[0].size() != 1 || max > kMaxLiteralRepeat) {
      return false;
    }
    // A literal group repeated a few times: every count, written out.
    Alts result;
    Alts power = EmptyString();
    for (uint32_t k = 0; k <= max; ++k) {
      if (k >= min) result.push_back(power[0]);
      if (k < max && !Concat(power, atom, &power)) return false;
    }
    if (!Compact(&result)) return false;
    *out = std::move(result);
    return true;
  }

  static Alts Assertion(uint8_t flag) {
    Piece piece;
    piece.begin_flags = piece.end_flags = flag;
    return Single(Literal(piece));
  }

  // A run of min..max ASCII digits (max: LiteralChain::kUnbounded for + and
  // *, else at most 1000, RE2's limit).
  static Piece DigitRun(uint32_t min, uint32_t max) {
    Piece piece;
    piece.digits_min = static_cast<uint16_t>(min);
    piece.digits_max = max == LiteralChain::kUnbounded
                           ? LiteralChain::kUnboundedDigits
                           : static_cast<uint16_t>(max);
    return piece;
  }
  static Piece Digit() { return DigitRun(1, 1); }

  static Alts AnyOf(const std::vector<char32_t>& chars) {
    Item item;
    for (char32_t c : chars) {
      Piece piece;
      AppendUtf8(c, &piece.text);
      item.pieces.push_back(std::move(piece));
    }
    SortUnique(&item.pieces);
    return Single(std::move(item));
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // After "\x": two hex digits or {hex}.
  bool ParseHex(char32_t* c) {
    uint32_t v = 0;
    if (i_ < p_.size() && p_[i_] == '{') {
      ++i_;
      size_t digits = 0;
      while (i_ < p_.size() && HexValue(p_[i_]) >= 0) {
        v = v * 16 + HexValue(p_[i_++]);
        if (++digits > 6) return false;
      }
      if (digits == 0 || i_ == p_.size() || p_[i_] != '}') return false;
      ++i_;
    } else {
      for (int k = 0; k < 2; ++k) {
        if (i_ == p_.size() || HexValue(p_[i_]) < 0) return false;
        v = v * 16 + HexValue(p_[i_++]);
      }
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
    *c = v;
    return true;
  }

  // A character written as itself or escaped (punctuation, \x..); false
  // for anything else, such as \d or \n.
  bool ParseChar(char32_t* c) {
    if (p_[i_] != '\\') {
      *c = DecodeUtf8(p_, &i_);
      return true;
    }
    if (++i_ == p_.size()) return false;
    const unsigned char e = p_[i_++];
    if (e == 'x') return ParseHex(c);
    if (e < 0x80 && !IsAsciiWordByte(e)) {
      *c = e;
      return true;
    }
    return false;
  }

  // After "[": characters and ASCII ranges up to "]"; [0-9] (in any
  // spelling) is \d.
  bool ParseClass(Alts* out) {
    std::vector<char32_t> chars;
    if (i_ < p_.size() && (p_[i_] == '^' || p_[i_] == ']')) return false;
    while (i_ < p_.size() && p_[i_] != ']') {
      if (p_[i_] == '-' || p_[i_] == '[') return false;  // [-x], [:alpha:]
      char32_t c;
      if (!ParseChar(&c)) return false;
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        char32_t last;
        if (!ParseChar(&last) || last >= 0x80 || last < c ||
            last - c >= LiteralChain::kMaxClassRange) {
          return false;
        }
        for (char32_t r = c; r <= last; ++r) chars.push_back(r);
        continue;
      }
      chars.push_back(c);
    }
    if (i_ == p_.size() || chars.empty()) return false;
    ++i_;
    std::sort(chars.begin(), chars.end());
    chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
    if (chars == std::vector<char32_t>{'0', '1', '2', '3', '4', '5', '6', '7',
                                       '8', '9'}) {
      *out = Single(Literal(Digit()));
      return true;
    }
    *out = AnyOf(chars);
    return true;
  }

  // The word gap, written exactly as LiteralChain::kWords says.
  bool ParseWordGap(Alts* out) {
    constexpr std::string_view kHead = "[^\\x20]*(\\x20[^\\x20]+){0,";
    constexpr std::string_view kTail = "}\\x20?";
    if (p_.substr(i_, kHead.size()) != kHead) return false;
    size_t j = i_ + kHead.size();
    uint32_t words = 0;
    size_t digits = 0;
    while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9' && digits < 4) {
      words = words * 10 + (p_[j++] - '0');
      ++digits;
    }
    if (digits == 0 || p_.substr(j, kTail.size()) != kTail) return false;
    i_ = j + kTail.size();
    Item gap;
    gap.is_gap = true;
    gap.gap = {0, words, LiteralChain::kWords};
    *out = Single(gap);
    return true;
  }

  bool ParseAtom(Alts* out) {
    const char c = p_[i_];
    switch (c) {
      case '(':
        ++i_;
        if (i_ < p_.size() && p_[i_] == '?') {
          if (i_ + 1 >= p_.size() || p_[i_ + 1] != ':') return false;
          i_ += 2;
        }
        if (!ParseAlternation(out)) return false;
        if (i_ == p_.size() || p_[i_] != ')') return false;
        ++i_;
        return true;
      case '[':
        if (ParseWordGap(out)) return true;
        ++i_;
        return ParseClass(out);
      case '.': {
        ++i_;
        Item gap;
        gap.is_gap = true;
        gap.gap = {1, 1, LiteralChain::kChars};
        *out = Single(gap);
        return true;
      }
      case '^':
        ++i_;
        *out = Assertion(LiteralChain::kBeginText);
        return true;
      case '$':
        ++i_;
        *out = Assertion(LiteralChain::kEndText);
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        return false;
      case '\\':
        if (i_ + 1 < p_.size() && p_[i_ + 1] == 'b') {
          i_ += 2;
          *out = Assertion(LiteralChain::kWordBoundary);
          return true;
        }
        if (i_ + 1 < p_.size() && p_[i_ + 1] == 'd') {
          i_ += 2;
          *out = Single(Literal(Digit()));
          return true;
        }
        if (i_ + 1 < p_.size() && p_[i_ + 1] == 'C') {
          i_ += 2;
          Item gap;
          gap.is_gap = true;
          gap.gap = {1, 1, LiteralChain::kBytes};
          *out = Single(gap);
          return true;
        }
        break;
      default:
        break;
    }
    char32_t ch;
    if (!ParseChar(&ch)) return false;
    *out = AnyOf({ch});
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
};

// One parsed sequence as a chain: gaps that may be empty dropped from its
// ends (they cannot decide an unanchored match), pieces that no text can
// hold dropped. False when it has a shape chains do not express.
bool ToChain(Seq seq, std::vector<LiteralChain>* chains) {
  while (!seq.empty() && seq.front().is_gap) {
    if (seq.front().gap.min > 0) return false;
    seq.erase(seq.begin());
  }
  while (!seq.empty() && seq.back().is_gap) {
    if (seq.back().gap.min > 0) return false;
    seq.pop_back();
  }
  if (seq.empty()) return false;  // matches every text
  LiteralChain chain;
  for (Item& item : seq) {
    if (item.is_gap) {
      chain.gaps.push_back(item.gap);
      continue;
    }
    std::vector<Piece> possible;
    for (Piece& piece : item.pieces) {
      if ((piece.begin_flags & LiteralChain::kEndText) ||
          (piece.end_flags & LiteralChain::kBeginText)) {
        continue;
      }
      possible.push_back(std::move(piece));
    }
    if (possible.empty()) return true;  // this sequence never matches
    chain.elements.push_back(std::move(possible));
  }
  chains->push_back(std::move(chain));
  return true;
}

}  // namespace

bool WordGapHolds(std::string_view text, size_t begin, size_t end,
                  uint32_t max_words) {
  uint32_t spaces = 0;
  for (size_t i = begin; i < end; ++i) {
    if (text[i] != ' ') continue;
    if (i + 1 < end && text[i + 1] == ' ') return false;
    ++spaces;
  }
  const bool trailing = end > begin && text[end - 1] == ' ';
  return spaces <= max_words + (trailing ? 1 : 0);
}

bool ParseLiteralChains(std::string_view pattern,
                        std::vector<LiteralChain>* chains) {
  if (FindInvalidUtf8(pattern) != std::string_view::npos) return false;
  Alts alts;
  if (!Parser(pattern).Parse(&alts)) return false;
  chains->clear();
  // A piece set that may be empty splits its sequence in two: with the set
  // (less the empty piece) and without it.
  size_t expanded = 0;
  while (!alts.empty()) {
    if (++expanded > kMaxSeqs) return false;
    Seq seq = std::move(alts.back());
    alts.pop_back();
    auto empty_at = seq.end();
    size_t index = 0;
    for (auto it = seq.begin(); it != seq.end(); ++it) {
      if (it->is_gap) continue;
      if (std::any_of(it->pieces.begin(), it->pieces.end(),
                      [](const Piece& p) { return p.is_empty(); })) {
        empty_at = it;
        index = static_cast<size_t>(it - seq.begin());
        break;
      }
    }
    if (empty_at == seq.end()) {
      if (!ToChain(std::move(seq), chains)) return false;
      continue;
    }
    std::vector<Piece> rest;
    for (const Piece& piece : empty_at->pieces) {
      if (!piece.is_empty()) {
        rest.push_back(piece);
      } else if (piece.begin_flags != 0) {
        return false;  // an assertion next to a gap or an end
      }
    }
    Seq without;
    for (size_t k = 0; k < seq.size(); ++k) {
      if (k != index && !Append(&without, Seq{seq[k]})) return false;
    }
    alts.push_back(std::move(without));
    if (!rest.empty()) {
      empty_at->pieces = std::move(rest);
      alts.push_back(std::move(seq));
    }
  }
  return !chains->empty() && chains->size() <= LiteralChain::kMaxChains;
}

}  // namespace reply

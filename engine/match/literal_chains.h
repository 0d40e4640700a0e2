// LiteralChains: the shape of an RE2 pattern made only of literal words and
// gaps, so that it can be decided from where its words occur in a text
// instead of by running RE2.
//
//   std::vector<LiteralChain> chains;
//   ParseLiteralChains("(还|怎么).{0,6}(不|没)发货", &chains);
//   // one chain: {还, 怎么}, gap of 0-6 code points, {不发货, 没发货}
//
// A pattern matches somewhere in a text exactly when one of its chains does:
// one piece of each element occurs, in order, each gap between the end of
// one piece and the start of the next within its bounds. Pieces carry the
// zero-width assertions next to them (\b, ^, $), checked at the piece's
// edges; an assertion inside a piece is decided when the chains are built.
//
// Understood: literal characters and escapes (\x20, \x{4e0d}, \. ...),
// groups and alternations of them, ?, {n,m} on a literal group (expanded,
// up to kMaxPieces per element), simple character classes ([不没], [0-6]:
// ASCII ranges up to kMaxClassRange characters), \d (the class [0-9]),
// runs of digits (\d or [0-9] repeated: \d+, \d{2,3}), \b, ^ and $, and
// gaps: . or \C repeated ({0,n}, *, +) and the word gap
// [^\x20]*(\x20[^\x20]+){0,n}\x20? written exactly so. Optional parts are
// expanded into alternatives; at the ends of a pattern they are dropped,
// since they cannot decide whether an unanchored match exists. Anything
// else (\s, \w, other negated classes, flags, \B, a gap of a group, a
// repeated group) makes ParseLiteralChains return false and the pattern
// stays with RE2. A run of digits is never joined to its neighbours: it is
// an element of its own, or a piece among the words of one ((\d+|mấy)
// ngày), with an empty gap to the next. Two word lists that meet ((không|chưa) (nhận|thấy|lấy)) stay
// separate elements with an empty gap between them, unless their product is
// a few pieces: a concept's entries are pieces once, not once per
// combination with their neighbours' (literal text next to a list, an
// optional part and an assertion are written into it).
//
// The semantics are RE2's with its default options as PatternSet uses them:
// `.` is any code point but \n, \C any byte, \b an ASCII word boundary,
// ^ and $ the ends of the text. A text holding \n or invalid UTF-8 is left to
// RE2 by the caller.
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_MATCH_LITERAL_CHAINS_H_
#define REPLY_ENGINE_MATCH_LITERAL_CHAINS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reply {

struct LiteralChain {
  // Assertions at a piece's begin or end.
  enum Flag : uint8_t { kWordBoundary = 1, kBeginText = 2, kEndText = 4 };
  static constexpr uint32_t kUnbounded = UINT32_MAX;

  // A piece is a literal text, or a run of ASCII digits (\d+, \d{2,3},
  // [0-9]{1,2}): a run of digits_min..digits_max of them, its text empty.
  // Digits are numbers in a message (2 ngày, size 39, thứ 6), not words
  // the automaton can look for: a run is found in the text when a chain
  // needs it.
  struct Piece {
    std::string text;  // non-empty unless a run of digits
    uint8_t begin_flags = 0;
    uint8_t end_flags = 0;
    uint16_t digits_min = 0;
    uint16_t digits_max = 0;  // 0: not a run of digits; kUnboundedDigits: +

    bool is_digits() const { return digits_max != 0; }
    // The empty text, which may carry assertions: what a neighbour absorbs.
    bool is_empty() const { return text.empty() && !is_digits(); }
    bool operator<(const Piece& o) const {
      if (text != o.text) return text < o.text;
      if (begin_flags != o.begin_flags) return begin_flags < o.begin_flags;
      if (end_flags != o.end_flags) return end_flags < o.end_flags;
      if (digits_min != o.digits_min) return digits_min < o.digits_min;
      return digits_max < o.digits_max;
    }
    bool operator==(const Piece& o) const {
      return text == o.text && begin_flags == o.begin_flags &&
             end_flags == o.end_flags && digits_min == o.digits_min &&
             digits_max == o.digits_max;
    }
  };
  static constexpr uint16_t kUnboundedDigits = UINT16_MAX;
  // Between the end of one element's piece and the start of the next's.
  enum GapKind : uint8_t {
    kChars,  // .{min,max}: code points, none of them \n
    kBytes,  // \C{min,max}: bytes, \n included
    // [^\x20]*(\x20[^\x20]+){0,max}\x20? (the vi pack's "up to max more
    // words"): no two spaces in a row, at most max spaces (one more when
    // the gap ends with one); min is 0.
    kWords,
  };
  struct Gap {
    uint32_t min = 0;
    uint32_t max = 0;  // kUnbounded for * and +
    GapKind kind = kChars;
  };

  std::vector<std::vector<Piece>> elements;  // each: the pieces that may stand
  std::vector<Gap> gaps;                     // elements.size() - 1

  // Limits on what is expanded: pieces of one element, chains of a pattern.
  static constexpr size_t kMaxPieces = 512;
  static constexpr size_t kMaxChains = 16;
  // A class range written out as pieces ([0-6], [a-f]) spans at most this
  // many characters; a wider one stays with RE2.
  static constexpr uint32_t kMaxClassRange = 16;
};

// The chains of `pattern` (RE2 syntax, as PatternSet compiles it), true
// when the whole pattern has that shape; false leaves *chains unspecified.
bool ParseLiteralChains(std::string_view pattern,
                        std::vector<LiteralChain>* chains);

// Whether text[begin, end) fits a kWords gap of up to max_words words.
bool WordGapHolds(std::string_view text, size_t begin, size_t end,
                  uint32_t max_words);

// RE2's \b: [0-9A-Za-z_] on one side, anything else (or an end) on the other.
inline bool IsAsciiWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_LITERAL_CHAINS_H_

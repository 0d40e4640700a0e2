#include "engine/match/chain_sequences.h"

#include <algorithm>
#include <utility>

#include "engine/base/utf8.h"

namespace reply::chain_sequences {
namespace {

// Products of two piece sets are written out up to this many pieces, and a
// single piece shorter than kMinPieceBytes always joins its neighbour
// (Product says why).
constexpr size_t kMaxJoinedPieces = 4;
constexpr size_t kMinPieceBytes = 4;

// What Join made of two pieces.
enum class Joined {
  kOne,       // one piece
  kNever,     // no text holds both: an assertion at their junction that
              // their own characters contradict
  kSeparate,  // a run of digits and a text: they stay two pieces
};

// a followed by b.
Joined Join(const Piece& a, const Piece& b, Piece* out) {
  if (a.is_empty()) {
    *out = b;
    out->begin_flags = a.begin_flags | b.begin_flags;
    if (b.is_empty()) out->end_flags = a.end_flags | b.end_flags;
    return Joined::kOne;
  }
  if (b.is_empty()) {
    *out = a;
    out->end_flags = a.end_flags | b.begin_flags;
    return Joined::kOne;
  }
  if (a.is_digits() || b.is_digits()) return Joined::kSeparate;
  const uint8_t junction = a.end_flags | b.begin_flags;
  if (junction & (LiteralChain::kBeginText | LiteralChain::kEndText)) {
    return Joined::kNever;
  }
  if ((junction & LiteralChain::kWordBoundary) &&
      IsAsciiWordByte(a.text.back()) == IsAsciiWordByte(b.text.front())) {
    return Joined::kNever;
  }
  *out = a;
  out->text += b.text;
  out->end_flags = b.end_flags;
  return Joined::kOne;
}

bool HasEmptyPiece(const std::vector<Piece>& pieces) {
  return std::any_of(pieces.begin(), pieces.end(),
                     [](const Piece& p) { return p.is_empty(); });
}

// Whether two piece sets that meet are written out as their product (one
// element) or kept as two elements with a gap of nothing between them
// (false). Kept apart: two word lists, and a list and a word, whose
// product is over kMaxJoinedPieces. Writing a concept's entries out in
// every combination with their neighbours' made the vi pack's automaton
// ~100,000 states for ~22,000 pieces, beyond the L2 cache; kept apart, each
// entry is one piece whatever its neighbours (docs/benchmarks.md). Always
// written out: a set that may be empty or is only an assertion (a chain's
// element cannot be empty: it must go into a neighbour), a piece too short
// to be looked for alone (a space, a letter: it occurs all over a text,
// and each occurrence would be walked), and a set with a one-byte piece
// ( (vậy |thế )?mới: " ", " vậy ", " thế "). (Every set with a piece under
// kMinPieceBytes written out made the vi automaton 145,000 states.) Never written out: a run of
// digits next to a text (Join).
bool Product(const std::vector<Piece>& a, const std::vector<Piece>& b,
             std::vector<Piece>* out) {
  if (a.size() * b.size() > 4 * LiteralChain::kMaxPieces) return false;
  const auto short_piece = [](const std::vector<Piece>& set) {
    if (set.size() == 1) {
      return !set[0].is_digits() && set[0].text.size() < kMinPieceBytes;
    }
    return std::any_of(set.begin(), set.end(), [](const Piece& p) {
      return !p.is_digits() && p.text.size() == 1;
    });
  };
  if (a.size() * b.size() > kMaxJoinedPieces && !HasEmptyPiece(a) &&
      !HasEmptyPiece(b) && !short_piece(a) && !short_piece(b)) {
    return false;
  }
  std::vector<Piece> result;
  Piece joined;
  for (const Piece& x : a) {
    for (const Piece& y : b) {
      switch (Join(x, y, &joined)) {
        case Joined::kOne:
          result.push_back(joined);
          break;
        case Joined::kNever:
          break;
        case Joined::kSeparate:
          return false;
      }
    }
  }
  SortUnique(&result);
  if (result.size() > LiteralChain::kMaxPieces) return false;
  *out = std::move(result);
  return true;
}

// Two piece sets whose product would be too large: kept apart by a gap
// of nothing.
Item EmptyGap() {
  Item gap;
  gap.is_gap = true;
  gap.gap = {0, 0, LiteralChain::kBytes};
  return gap;
}

bool IsEmptyGap(const Gap& g) { return g.min == 0 && g.max == 0; }

}  // namespace

Item Literal(Piece piece) {
  Item item;
  item.pieces.push_back(std::move(piece));
  return item;
}

Alts Single(Item item) { return {Seq{std::move(item)}}; }

Alts EmptyString() { return Single(Literal({})); }

void SortUnique(std::vector<Piece>* pieces) {
  std::sort(pieces->begin(), pieces->end());
  pieces->erase(std::unique(pieces->begin(), pieces->end()), pieces->end());
}

// Appends b to a, merging the items that meet: two piece sets into their
// product, two gaps of one kind into one.
bool Append(Seq* a, const Seq& b) {
  // The empty text (a concatenation's start) before a gap is nothing.
  if (a->size() == 1 && !a->front().is_gap && a->front().pieces.size() == 1 &&
      a->front().pieces[0].is_empty() &&
      a->front().pieces[0].begin_flags == 0 && !b.empty()) {
    a->clear();
  }
  for (const Item& item : b) {
    if (!a->empty() && a->back().is_gap == item.is_gap) {
      Item& last = a->back();
      if (item.is_gap) {
        if (IsEmptyGap(item.gap)) continue;
        if (IsEmptyGap(last.gap)) {
          last.gap = item.gap;
          continue;
        }
        if (last.gap.kind != item.gap.kind ||
            last.gap.kind == LiteralChain::kWords) {
          return false;
        }
        last.gap.min += item.gap.min;
        last.gap.max = (last.gap.max == LiteralChain::kUnbounded ||
                        item.gap.max == LiteralChain::kUnbounded)
                           ? LiteralChain::kUnbounded
                           : last.gap.max + item.gap.max;
      } else if (!Product(last.pieces, item.pieces, &last.pieces)) {
        a->push_back(EmptyGap());
        a->push_back(item);
      }
    } else {
      a->push_back(item);
    }
  }
  return true;
}

// Folds the alternatives that are one piece set into a single one, but
// keeps the runs of digits in a set of their own: a set of words and a run
// would be kept apart from its neighbours (Join), and its words, such as
// the hai, ba, cả of (\d+|hai|ba|cả) ngày, would then be pieces alone,
// found inside every other word (vi: ~10 more occurrences a message).
bool Compact(Alts* alts) {
  Alts out;
  int merged[2] = {-1, -1};  // [0]: words, [1]: runs of digits
  for (Seq& seq : *alts) {
    if (seq.size() != 1 || seq[0].is_gap) {
      out.push_back(std::move(seq));
      continue;
    }
    if (seq[0].pieces.empty() && merged[0] < 0) {
      // A set no text can hold ((ab^)): kept, as an alternative that never
      // matches, so a repetition of it still has an atom to repeat.
      merged[0] = static_cast<int>(out.size());
      out.push_back(Seq{Item{}});
    }
    for (Piece& piece : seq[0].pieces) {
      int& at = merged[piece.is_digits() ? 1 : 0];
      if (at < 0) {
        at = static_cast<int>(out.size());
        out.push_back(Seq{Item{}});
      }
      out[at][0].pieces.push_back(std::move(piece));
    }
  }
  for (int at : merged) {
    if (at < 0) continue;
    SortUnique(&out[at][0].pieces);
    if (out[at][0].pieces.size() > LiteralChain::kMaxPieces) return false;
  }
  if (out.size() > kMaxSeqs) return false;
  *alts = std::move(out);
  return true;
}

bool Concat(const Alts& a, const Alts& b, Alts* out) {
  if (a.size() * b.size() > kMaxSeqs) return false;
  Alts result;
  for (const Seq& x : a) {
    for (const Seq& y : b) {
      Seq joined = x;
      if (!Append(&joined, y)) return false;
      result.push_back(std::move(joined));
    }
  }
  if (!Compact(&result)) return false;
  *out = std::move(result);
  return true;
}

}  // namespace reply::chain_sequences

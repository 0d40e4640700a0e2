// The sequence algebra the literal-chain parser (literal_chains.cc) builds
// a pattern's chains with. While parsing, a pattern is an alternation
// (Alts) of sequences (Seq) of items; an item is a set of pieces (which may
// be empty, carrying only assertions, and then has the same flags at both
// ends) or a gap. Concatenating two sequences merges the items that meet:
// two gaps of one kind into one, two piece sets into their product unless
// that would write a word list out once per neighbour (then they stay two
// elements with an empty gap between them; chain_sequences.cc says why).
// Internal to engine/match.
//
//   Alts a = Single(Literal({"还"})), b = Single(Literal({"没发货"}));
//   Alts ab;
//   Concat(a, b, &ab);  // one sequence of one item: {还没发货}
//
// Every function that can grow a set returns false instead of going over
// the bounds below or LiteralChain's; the pattern then stays with RE2.
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_MATCH_CHAIN_SEQUENCES_H_
#define REPLY_ENGINE_MATCH_CHAIN_SEQUENCES_H_

#include <cstddef>
#include <vector>

#include "engine/match/literal_chains.h"

namespace reply::chain_sequences {

using Piece = LiteralChain::Piece;
using Gap = LiteralChain::Gap;

struct Item {
  bool is_gap = false;
  std::vector<Piece> pieces;
  Gap gap;
};
using Seq = std::vector<Item>;
using Alts = std::vector<Seq>;

// Bound on the alternatives of an intermediate expansion; the final limits
// are LiteralChain's.
inline constexpr size_t kMaxSeqs = 64;

Item Literal(Piece piece);
Alts Single(Item item);  // one sequence of one item
Alts EmptyString();      // the empty text
void SortUnique(std::vector<Piece>* pieces);
// Appends b to a, merging the items that meet: two piece sets into their
// product, two gaps of one kind into one.
bool Append(Seq* a, const Seq& b);
// Folds the alternatives that are one piece set into a single one.
bool Compact(Alts* alts);
// Every sequence of a followed by every sequence of b.
bool Concat(const Alts& a, const Alts& b, Alts* out);

}  // namespace reply::chain_sequences

#endif  // REPLY_ENGINE_MATCH_CHAIN_SEQUENCES_H_

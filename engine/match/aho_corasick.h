// AhoCorasick: finds which of a fixed set of strings occur in a text, in one
// pass over the text whatever the number of strings.
//
//   AhoCorasick ac({"发货", "物流", "签收"});
//   std::vector<int> found;
//   ac.Scan("怎么还不发货", [&](int i, size_t end, size_t end_char) {
//     found.push_back(i);  // found == {0}, end 18 (bytes), end_char 6
//   });
//
// It is the string matcher FilteredRE2 leaves to its caller: the strings are
// the literal atoms RE2 extracts from the patterns.
//
// The automaton steps over code points, not bytes: a Chinese message is a
// third as many steps, and the tables stay small enough for the CPU cache
// (a byte-level DFA over 1,800 atoms is 2.7 MB and every step is a cache
// miss; this one is ~100 KB). Characters that occur in no string map to
// id 0 and send the automaton back to its root without a lookup in it.
//
// Thread safety: immutable after construction.
#ifndef REPLY_ENGINE_MATCH_AHO_CORASICK_H_
#define REPLY_ENGINE_MATCH_AHO_CORASICK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reply {

class AhoCorasick {
 public:
  AhoCorasick() = default;
  // Needles must be valid, non-empty UTF-8.
  explicit AhoCorasick(const std::vector<std::string>& needles);

  // Calls on_found(needle index, end, end_char) for every occurrence of a
  // needle in `text`, where the occurrence ends at byte `end` and after
  // `end_char` code points; a needle occurring twice is reported twice, in
  // the order the occurrences end. Returns whether `text` is valid UTF-8:
  // the pass decodes every character anyway, so a caller needs no pass of
  // its own (PatternSet's was ~280 instructions a vi match). An ill-formed
  // byte is a character in no needle (each counts in end_char), so the
  // needles around it are still found.
  template <typename OnFound>
  bool Scan(std::string_view text, OnFound&& on_found) const;

  // States of the trie, the root included: its size, for diagnostics.
  size_t num_states() const { return num_states_; }

 private:
  uint32_t CharId(char32_t c) const {
    uint32_t slot = Hash(c) & char_mask_;
    while (true) {
      const uint64_t entry = char_slots_[slot];
      const char32_t key = static_cast<char32_t>(entry >> 32);
      if (key == c) return static_cast<uint32_t>(entry);
      if (key == 0) return 0;
      slot = (slot + 1) & char_mask_;
    }
  }
  static uint32_t Hash(char32_t c) { return c * 0x9E3779B1u >> 7; }

  uint32_t Step(uint32_t state, uint32_t char_id) const;

  // What a step reads of a state, in one place: a Vietnamese pack's atoms
  // make a trie of ~24,000 states (~570 KB of nodes_), beyond the L1 cache,
  // so a state's fields and edges spread over separate arrays cost a cache
  // miss each. A state is its offset in nodes_, where its header (failure,
  // output, number of outputs, number of edges) is followed by its edges,
  // pairs of (char id, target) sorted by char id. A state with one output
  // (most) holds the needle index itself, not an index into outputs_: one
  // cache line less per needle found. The first two levels are laid out
  // breadth first, so the shallow states, where failure walks end, share
  // cache lines; below them each subtree is laid out depth first, so a
  // state's first child follows it and a word's steps share lines too
  // (callgrind, per vi match: L1 read misses in the scan 195 -> 165 with
  // the depth-first subtrees, -> 154 with the outputs in the header; depth
  // first from the first level 155, from the third 157;
  // docs/benchmarks.md).
  static constexpr uint32_t kHeaderWords = 4;
  enum : uint32_t { kFail, kOutput, kOutputCount, kEdgeCount };

  // Code point -> char id, open addressing: key in the high half, id low;
  // ASCII (most of a Vietnamese text without its diacritics, spaces and
  // digits everywhere) is a direct lookup in ascii_ids_ instead.
  uint32_t ascii_ids_[128] = {};
  std::vector<uint64_t> char_slots_;
  uint32_t char_mask_ = 0;
  std::vector<uint32_t> root_next_;  // [char_id], the root's full row
  std::vector<uint32_t> nodes_;
  std::vector<int> outputs_;
  size_t num_states_ = 0;
};

}  // namespace reply

#include "engine/match/aho_corasick_inl.h"

#endif  // REPLY_ENGINE_MATCH_AHO_CORASICK_H_

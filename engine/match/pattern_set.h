// PatternSet: many RE2 patterns matched against one short text, at a cost
// that stays flat as the set grows.
//
//   PatternSet set;
//   int id;
//   Status s = set.Add("(还|怎么).{0,6}(不|没)发货", &id);  // RE2 syntax
//   set.Compile();
//   std::vector<int> matched;
//   set.Match("怎么还不发货", &matched);                      // {id}
//
// Why not RE2::Set: its one lazy DFA looks fast on a benchmark that repeats
// messages, but on messages it has not seen, gap patterns such as .{0,6}
// blow up its state cache (~17 µs at 100 patterns, ~200 µs at 1,000; see
// docs/benchmarks.md). Instead, RE2's FilteredRE2 tells, for each pattern,
// which literal atoms a text must contain for the pattern to possibly
// match. At load each pattern's filter is turned into an OR of
// alternatives, each an AND of groups of interchangeable atoms
// ((还|怎么).{0,4}(没|不)发货 needs one of 还/怎么 and one of 没发货/不发货).
// At match time one Aho-Corasick pass finds the atoms present and marks
// the groups they meet; each alternative is then checked once, when its
// rarest group was met; only the patterns whose filter holds run, each as
// its own small RE2. RE2's own PrefilterTree does this too, but allocates
// and costs ~1 µs per message at 1,000 patterns; this is a few array
// reads per atom found.
//
// A candidate made only of literal words and gaps (engine/match/
// literal_chains.h: 发货了吗, {parcel}.{0,20}(chưa|không) giao\b) is then
// decided without RE2, from where the Aho-Corasick pass found its words:
// the same pass reports every occurrence of the patterns' words with its
// byte and code-point offsets, and the chain's order, gaps and \b, ^, $ are
// checked on them. The answer is RE2's (tests/pattern_set_test.cc compares
// the two on the packs' examples and random texts); a text holding \n
// (for a pattern with a `.` gap) or invalid UTF-8 goes to RE2.
//
// A pattern with no literal text (\d+) runs on every message, as does one
// whose filter has a shape the loader cannot decompose (rare: an
// alternation of long, unrelated branches); the lint reports both.
//
// Limits: a pattern is at most kMaxPatternBytes long — the text RE2
// compiles, so a pack's concepts (engine/pack/lexicon.h) count expanded —
// and RE2 may use up to kMaxMemoryPerPattern for its program and DFA cache;
// Add rejects a pattern beyond either. The DFA cache grows only as a
// pattern runs, so most patterns use a few KB; 16 MB (not RE2's 8 MB
// default, nor the 4 MB used before) is for the gap patterns that run on
// many messages, such as {says}.{0,20}{delivered} in the vi pack: a gap
// after a common word makes many DFA states, and with 4 MB their cache was
// thrown away and rebuilt every few hundred messages, 3x slower per run
// (docs/benchmarks.md, "The vi pack's matching cost").
//
// Loading (Add, Compile) is pattern_set.cc, deriving a pattern's filter
// pattern_filter.cc, and the per-message scan and chain decisions
// pattern_set_scan.cc.
//
// Thread safety: Add and Compile before sharing; after Compile, Match and the
// const accessors are safe from any number of threads.
#ifndef REPLY_ENGINE_MATCH_PATTERN_SET_H_
#define REPLY_ENGINE_MATCH_PATTERN_SET_H_

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/match/aho_corasick.h"
#include "engine/match/literal_chains.h"
#include "engine/match/pattern_filter.h"

namespace reply {

class PatternSet {
 public:
  static constexpr size_t kMaxPatternBytes = 2048;
  static constexpr int64_t kMaxMemoryPerPattern = 16 << 20;
  // Up to this many atoms a pattern's filter is derived exactly, by probing
  // every subset (2^n probes); above it, by its AND-of-groups structure.
  static constexpr size_t kMaxAtomsForExactFilter = 10;
  // Up to this many digits in a text, a chain's runs of digits are decided
  // from the text's own runs (each run end tried against each start in
  // reach, so the work grows with the square of a run's length); above it
  // RE2 decides.
  static constexpr size_t kMaxDigitsDecided = 64;

  PatternSet() = default;
  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;
  PatternSet(PatternSet&&) = default;
  PatternSet& operator=(PatternSet&&) = default;

  // Whether a pattern is a candidate of every Match (eager), or is only
  // looked at when a caller asks, after Match (deferred): see
  // VerifyAfterMatch.
  enum class Candidacy { kEager, kDeferred };

  // Adds a pattern in RE2 syntax, matched case-sensitively against
  // normalized text. On error the message is RE2's reason. Patterns are
  // lowercase, as the pack loader folds them: RE2's prefilter lowercases
  // the atoms it extracts, so a pattern with an upper-case letter (Ab, Đơn)
  // would never be a candidate in a text that has it (fuzz/chains_fuzzer.cc
  // found this; normalized text is lowercase, so no pack meets it).
  Status Add(std::string_view pattern, int* id,
             Candidacy candidacy = Candidacy::kEager);
  void Compile();

  // Ids of the patterns, eager and deferred, that match somewhere in
  // `text`, ascending.
  void Match(std::string_view text, std::vector<int>* matched) const;

  // The eager patterns that match: before running a candidate pattern asks
  // `wanted(id)` (candidates come in ascending id order, after the patterns
  // matched so far are in *matched); a pattern not wanted is not run and not
  // reported. Lets a caller skip patterns whose outcome no longer matters.
  // Deferred patterns are neither offered nor reported.
  template <typename Wanted>
  void Match(std::string_view text, std::vector<int>* matched,
             Wanted&& wanted) const {
    matched->clear();
    const std::vector<int>& candidates = Candidates(text);
    for (int p : candidates) {
      if (wanted(p) && Decide(p, text)) matched->push_back(p);
    }
  }

  // Whether pattern `id` matches somewhere in `text`, by RE2, whatever its
  // filter says.
  bool Verify(int id, std::string_view text) const;

  // As Verify, after Match: `text` must be the text of this thread's last
  // Match call on this set (set, data and size are compared; anything else
  // goes to RE2). That call's scan decides the pattern's filter (a deferred
  // pattern's, from the atom groups it marked) and, for a literal chain
  // pattern, the pattern itself, without RE2.
  //
  // This is how a deferred pattern is run. IntentMatcher defers the
  // excludes, since an exclude matters only when a pattern of its intent
  // matched (~0.55 intents a vi message): eager, the vi pack's 360 excludes
  // were 8.3 of a message's 12.4 candidates and 46 of the 88 keyed
  // alternatives its scan walked (docs/benchmarks.md).
  bool VerifyAfterMatch(int id, std::string_view text) const;

  // First match of pattern `id` in `text` at or after `from`, as byte
  // offsets; false when there is none. For explain, not the hot path.
  bool FindSpan(int id, std::string_view text, size_t from, size_t* begin,
                size_t* end) const;

  int size() const { return static_cast<int>(patterns_.size()); }
  // After Compile, for diagnostics (bench/pattern_profile): the strings the
  // one pass looks for (filter atoms and chain pieces), how many of them are
  // chain pieces, and the states of their automaton.
  size_t num_atoms() const { return atoms_.size(); }
  size_t num_chain_pieces() const {
    return static_cast<size_t>(
        std::count_if(atom_info_.begin(), atom_info_.end(),
                      [](const AtomInfo& a) { return a.is_piece != 0; }));
  }
  size_t num_automaton_states() const { return atom_finder_.num_states(); }
  const RE2& pattern(int id) const { return *patterns_[id].re; }
  // True when pattern `id` has no literal atoms and runs on every message.
  bool unfiltered(int id) const { return patterns_[id].filter.empty(); }
  // True when pattern `id` is decided from word occurrences, not by RE2.
  bool decided_without_re2(int id) const {
    return !patterns_[id].chains.empty();
  }

 private:
  // The pattern can match only if, for some alternative, every group of the
  // alternative has one of its atoms in the text.
  using Group = AtomGroup;
  using Alternative = FilterAlternative;

  struct Pattern {
    // The pattern's RE2 is the one its filter was derived from: FilteredRE2
    // compiles a copy it cannot hand over, so the set keeps the FilteredRE2
    // rather than compile the pattern a second time (a tenth of loading the
    // bundled packs, docs/benchmarks.md).
    std::unique_ptr<re2::FilteredRE2> compiled;
    const RE2* re = nullptr;           // compiled->GetRE2(0)
    std::vector<Alternative> filter;   // empty: no filter, always runs
    std::vector<LiteralChain> chains;  // empty: decided by RE2
    bool has_char_gap = false;         // a `.` gap, which \n stops
    bool deferred = false;
  };

  // A chain with its pieces' texts as atom ids, pieces of an element sorted
  // by atom.
  struct ChainPiece {
    uint32_t atom;
    uint8_t begin_flags;
    uint8_t end_flags;
  };
  struct DigitRunPiece {
    uint32_t element;
    uint16_t min;
    uint16_t max;  // LiteralChain::kUnboundedDigits: no bound
    uint8_t begin_flags;
    uint8_t end_flags;
  };
  struct CompiledChain {
    std::vector<std::vector<ChainPiece>> elements;
    std::vector<LiteralChain::Gap> gaps;
    // Per element with more than kFewPieces pieces, a bitmap of its pieces'
    // atoms hashed (a Bloom filter with one hash, 16-32 bits a piece up to
    // 256 pieces): most of a text's occurrences are of other atoms and are
    // rejected by one bit test instead of a binary search among the pieces.
    // At 4 bits a piece a fifth of the tests passed falsely, and the binary
    // searches they led to were a fifth of ChainMatches' instructions.
    // Empty for the rest.
    std::vector<std::vector<uint64_t>> signatures;
    // Bounds on the length of a text the chain can match in: at least its
    // shortest pieces and gaps; when every piece of its first element holds
    // ^ and every piece of its last $, at most its longest (UINT32_MAX when
    // not so anchored, or a gap is unbounded). A text outside is rejected
    // before any occurrence is walked: ^(shop|ad)? ?(có ai|...|ơi)$ is a
    // candidate of half the vi messages, and one element of 48 pieces.
    uint32_t min_bytes = 0;
    uint32_t max_bytes = UINT32_MAX;
    // The runs of digits among the elements' pieces, by element: no atom
    // stands for them, so they are not in `elements`.
    std::vector<DigitRunPiece> digit_runs;
  };

  // Up to this many pieces an element's occurrences are walked piece by
  // piece; above it, the text's occurrences are looked up among the pieces.
  // Per vi match (callgrind): 4 -> 18,300 instructions, 8 -> 15,820, 16 ->
  // 15,110, 32 -> 14,630 but 9 more L1 misses (a piece's mark is a random
  // read) than at 16.
  static constexpr size_t kFewPieces = 16;
  static uint32_t SignatureBit(uint32_t atom, size_t words) {
    return (atom * 0x9E3779B1u >> 7) & static_cast<uint32_t>(words * 64 - 1);
  }
  struct Scratch;
  static Scratch& ThreadScratch();

  // Whether candidate `id` matches `text`, the text of this thread's last
  // Candidates call: from its occurrences for a chain pattern, else by RE2.
  bool Decide(int id, std::string_view text) const;
  // Whether deferred pattern `id`'s filter holds for the text of this
  // thread's last Candidates call.
  bool DeferredFilterHolds(int id) const;
  bool ChainMatches(const CompiledChain& chain, std::string_view text,
                    Scratch& s) const;

  // The patterns whose filter holds for `text`, ascending; a per-thread
  // buffer, valid until the next call on this thread.
  const std::vector<int>& Candidates(std::string_view text) const;

  std::vector<Pattern> patterns_;
  bool compiled_ = false;

  // Built by Compile.
  std::vector<std::string> atoms_;
  AhoCorasick atom_finder_;
  // The filters' groups, interned: alternatives that need the same set of
  // atoms (a concept's words, a common word alone) share one group, so an
  // atom marks each distinct group once. Groups of atom a:
  // atom_groups_[atom_info_[a].group_begin .. group_end).
  std::vector<uint32_t> atom_groups_;
  size_t num_groups_ = 0;
  // Groups 0 .. num_key_groups_ - 1 are some alternative's key group; the
  // rest are only checked by the alternatives they are in, so the scan
  // does not list them for the pass over alternatives (a vi message meets
  // ~96 groups: listing only the key groups took 15% off Candidates'
  // instructions, docs/benchmarks.md).
  uint32_t num_key_groups_ = 0;
  // Each alternative is looked at only when its key group (the one whose
  // atoms sit in the fewest groups, so the likeliest to be rare in text) is
  // met, after the scan. The alternatives keyed on group g are records in
  // keyed_[keyed_begin_[g] .. keyed_begin_[g + 1]) (g < num_key_groups_),
  // each its pattern, the number of its other groups and their ids, so that
  // a met group's alternatives are read in one sequential run, not through
  // per-alternative arrays (a cache miss each on a loaded machine). A
  // message walks the groups of its atoms and the alternatives of its key
  // groups, not every group an atom is in.
  std::vector<uint32_t> keyed_begin_;
  std::vector<uint32_t> keyed_;
  std::vector<int> always_run_;
  // The deferred patterns' alternatives are in no key group's run: pattern
  // p's are records (the number of its groups, their ids) in
  // deferred_filters_[deferred_begin_[p] .. deferred_begin_[p + 1]), checked
  // against a message's group marks only when VerifyAfterMatch asks.
  std::vector<uint32_t> deferred_begin_;
  std::vector<uint32_t> deferred_filters_;
  std::vector<int> deferred_;  // ids of the deferred patterns, ascending
  // Per pattern, its chains (empty: RE2 decides).
  std::vector<std::vector<CompiledChain>> chains_;
  // What the scan and the chains read of atom a, in one record rather than
  // one array each (a cache miss each: a vi message meets ~40 atoms): its
  // groups, its length in bytes and code points, and whether it is a
  // chain's piece (its occurrences are recorded).
  struct AtomInfo {
    uint32_t group_begin;
    uint32_t group_end;
    uint16_t bytes;
    uint16_t chars;
    uint8_t is_piece;
  };
  std::vector<AtomInfo> atom_info_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_PATTERN_SET_H_

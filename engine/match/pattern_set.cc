#include "engine/match/pattern_set.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <bit>
#include <map>

#include "engine/base/utf8.h"

namespace reply {
namespace {

// Atoms shorter than this many bytes are not worth a prefilter lookup; a
// single CJK character is 3 bytes and stays.
constexpr int kMinAtomBytes = 2;

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_never_capture(true);  // spans of the whole match suffice
  options.set_max_mem(PatternSet::kMaxMemoryPerPattern);
  return options;
}

// Answers "does FilteredRE2 let this pattern through when the text holds
// exactly these atoms?" for the one pattern `filter` holds.
class FilterProbe {
 public:
  FilterProbe(const re2::FilteredRE2& filter,
              const std::vector<std::string>& atoms)
      : filter_(filter), atoms_(atoms) {}
  const std::vector<std::string>& atoms() const { return atoms_; }

  bool Passes(const std::vector<int>& atom_indexes) {
    std::vector<int> sorted = atom_indexes;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    filter_.AllPotentials(sorted, &passed_);
    return !passed_.empty();
  }

 private:
  const re2::FilteredRE2& filter_;
  const std::vector<std::string>& atoms_;
  std::vector<int> passed_;
};

using Group = std::vector<std::string>;
using Alternative = std::vector<Group>;

// Every minimal atom set that passes, found by probing every subset,
// smallest first: exact, for patterns with few atoms.
std::vector<Alternative> ExactFilter(FilterProbe& probe) {
  const auto& atoms = probe.atoms();
  const uint32_t n = static_cast<uint32_t>(atoms.size());
  std::vector<uint32_t> masks;
  for (uint32_t m = 1; m < (1u << n); ++m) masks.push_back(m);
  std::stable_sort(masks.begin(), masks.end(), [](uint32_t a, uint32_t b) {
    return std::popcount(a) < std::popcount(b);
  });
  std::vector<uint32_t> minimal;
  std::vector<int> subset;
  for (uint32_t m : masks) {
    if (std::any_of(minimal.begin(), minimal.end(),
                    [m](uint32_t c) { return (c & m) == c; })) {
      continue;
    }
    subset.clear();
    for (uint32_t i = 0; i < n; ++i) {
      if (m >> i & 1) subset.push_back(static_cast<int>(i));
    }
    if (probe.Passes(subset)) minimal.push_back(m);
  }
  std::vector<Alternative> filter;
  for (uint32_t m : minimal) {
    Alternative& alt = filter.emplace_back();
    for (uint32_t i = 0; i < n; ++i) {
      if (m >> i & 1) alt.push_back({atoms[i]});
    }
  }
  return filter;
}

// The filter as an AND of groups of interchangeable atoms, the shape a
// concatenation of alternations gives ((a|b).{0,4}(c|d)): a minimal passing
// set holds one atom per group, and an atom belongs to a group when it can
// stand in for that group's member. Checked before it is trusted: every
// atom in exactly one group, no group dispensable, every combination of one
// atom per group tried passes. Empty when the shape does not fit.
std::vector<Alternative> GroupedFilter(FilterProbe& probe) {
  const int n = static_cast<int>(probe.atoms().size());
  std::vector<int> all(n);
  for (int i = 0; i < n; ++i) all[i] = i;
  if (!probe.Passes(all)) return {};
  // A minimal passing set, by dropping atoms while it still passes.
  std::vector<int> minimal = all;
  for (int a = 0; a < n; ++a) {
    std::vector<int> without;
    for (int x : minimal) {
      if (x != a) without.push_back(x);
    }
    if (probe.Passes(without)) minimal = without;
  }
  std::vector<std::vector<int>> groups;
  std::vector<int> group_of(n, -1);
  for (size_t g = 0; g < minimal.size(); ++g) {
    std::vector<int>& group = groups.emplace_back();
    for (int x = 0; x < n; ++x) {
      std::vector<int> swapped = minimal;
      swapped[g] = x;
      if (!probe.Passes(swapped)) continue;
      if (group_of[x] != -1 && group_of[x] != static_cast<int>(g)) return {};
      group_of[x] = static_cast<int>(g);
      group.push_back(x);
    }
  }
  if (std::count(group_of.begin(), group_of.end(), -1) > 0) return {};
  // Each group is needed: without it nothing passes.
  for (size_t g = 0; g < groups.size(); ++g) {
    std::vector<int> rest;
    for (int x = 0; x < n; ++x) {
      if (group_of[x] != static_cast<int>(g)) rest.push_back(x);
    }
    if (probe.Passes(rest)) return {};
  }
  // Any one atom from each group suffices: walk the groups in step.
  size_t longest = 0;
  for (const auto& group : groups) longest = std::max(longest, group.size());
  for (size_t k = 0; k < longest; ++k) {
    std::vector<int> pick;
    for (const auto& group : groups) pick.push_back(group[k % group.size()]);
    if (!probe.Passes(pick)) return {};
  }
  Alternative alt;
  for (const auto& group : groups) {
    Group& out = alt.emplace_back();
    for (int x : group) out.push_back(probe.atoms()[x]);
  }
  return {alt};
}

// `filter` holds one compiled pattern whose atoms are `atoms`.
std::vector<Alternative> DeriveFilter(const re2::FilteredRE2& filter,
                                      const std::vector<std::string>& atoms) {
  FilterProbe probe(filter, atoms);
  if (probe.atoms().empty()) return {};
  if (probe.atoms().size() <= PatternSet::kMaxAtomsForExactFilter) {
    return ExactFilter(probe);
  }
  return GroupedFilter(probe);
}

// The groups of an alternative worth indexing. A group with a one-character
// atom (不, 还, 没) is met by most messages and sits in many patterns'
// filters, so every message would walk long posting lists for it; when the
// alternative has a group of longer atoms, that group alone is the filter.
// Dropping groups from an AND keeps the filter a necessary condition (RE2
// still decides), so matches are exactly the same.
Alternative StrongGroups(const Alternative& alt) {
  const auto strong = [](const Group& group) {
    return std::all_of(group.begin(), group.end(), [](const std::string& atom) {
      return CountCodePoints(atom) >= 2;
    });
  };
  Alternative kept;
  for (const Group& group : alt) {
    if (strong(group)) kept.push_back(group);
  }
  return kept.empty() ? alt : kept;
}

// Whether the assertions `flags` hold at byte `at` of `text`.
bool AssertionsHold(std::string_view text, size_t at, uint8_t flags) {
  if ((flags & LiteralChain::kBeginText) && at != 0) return false;
  if ((flags & LiteralChain::kEndText) && at != text.size()) return false;
  if (flags & LiteralChain::kWordBoundary) {
    const bool before = at > 0 && IsAsciiWordByte(text[at - 1]);
    const bool after = at < text.size() && IsAsciiWordByte(text[at]);
    if (before == after) return false;
  }
  return true;
}

}  // namespace

// Per-thread scratch for Match: epoch-stamped marks, so nothing is cleared
// between messages, and the occurrences of chain pieces.
struct PatternSet::Scratch {
  uint32_t epoch = 0;
  // Per atom, whether this message holds it (epoch == the message's) and
  // the head of its occurrences' list: one record, one cache line fetch.
  struct AtomMark {
    uint32_t epoch;
    int32_t occurrence_head;
  };
  std::vector<AtomMark> atom_marks;
  std::vector<uint32_t> group_seen;
  std::vector<uint32_t> groups_met;  // this message's, in the order met
  std::vector<uint32_t> pattern_seen;
  std::vector<int> candidates;

  // Occurrences of piece atoms, each atom's a list through `next` from
  // its mark's occurrence_head (valid while the mark's epoch is this
  // message's).
  struct Occurrence {
    uint32_t atom;
    uint32_t end;
    uint32_t end_char;
    int32_t next;
  };
  std::vector<Occurrence> occurrences;
  // The text the occurrences are of, and what is known about it.
  const PatternSet* set = nullptr;  // whose atoms the occurrences are
  const char* text_data = nullptr;
  size_t text_size = 0;
  bool text_checked = false;
  bool text_valid = false;
  bool text_has_newline = false;
  // Ends (byte, code point) of the chain's prefix matched so far.
  std::vector<std::pair<uint32_t, uint32_t>> reached, next_reached;

  void Begin(const PatternSet* owner, std::string_view text, size_t atoms,
             size_t groups, size_t patterns) {
    if (atom_marks.size() < atoms) atom_marks.resize(atoms, {0, -1});
    if (group_seen.size() < groups) group_seen.resize(groups, 0);
    if (pattern_seen.size() < patterns) pattern_seen.resize(patterns, 0);
    if (++epoch == 0) {  // wrapped: old stamps could collide
      for (auto* v : {&group_seen, &pattern_seen}) {
        std::fill(v->begin(), v->end(), 0);
      }
      std::fill(atom_marks.begin(), atom_marks.end(), AtomMark{0, -1});
      epoch = 1;
    }
    candidates.clear();
    groups_met.clear();
    occurrences.clear();
    set = owner;
    text_data = text.data();
    text_size = text.size();
    text_checked = false;
  }
};

PatternSet::Scratch& PatternSet::ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

Status PatternSet::Add(std::string_view pattern, int* id) {
  if (pattern.size() > kMaxPatternBytes) {
    return Status::PackError("pattern is " + std::to_string(pattern.size()) +
                             " bytes; the limit is " +
                             std::to_string(kMaxPatternBytes));
  }
  if (pattern.empty()) return Status::PackError("empty pattern");
  auto compiled = std::make_unique<re2::FilteredRE2>(kMinAtomBytes);
  int unused_id;
  if (compiled->Add(pattern, PatternOptions(), &unused_id) != RE2::NoError) {
    // FilteredRE2 keeps no reason: RE2 gives it (only on this error path).
    return Status::PackError(RE2(pattern, PatternOptions()).error());
  }
  std::vector<std::string> atoms;
  compiled->Compile(&atoms);
  *id = static_cast<int>(patterns_.size());
  Pattern& added = patterns_.emplace_back();
  added.filter = DeriveFilter(*compiled, atoms);
  added.re = &compiled->GetRE2(0);
  added.compiled = std::move(compiled);
  if (ParseLiteralChains(pattern, &added.chains)) {
    for (const LiteralChain& chain : added.chains) {
      for (const LiteralChain::Gap& gap : chain.gaps) {
        added.has_char_gap |= gap.kind == LiteralChain::kChars;
      }
    }
  } else {
    added.chains.clear();
  }
  compiled_ = false;
  return Status::Ok();
}

void PatternSet::Compile() {
  std::map<std::string, uint32_t> atom_ids;
  const auto atom_id = [&](const std::string& atom) {
    return atom_ids.emplace(atom, static_cast<uint32_t>(atom_ids.size()))
        .first->second;
  };
  // Groups interned by their atoms; alternatives as lists of group ids.
  std::map<std::vector<uint32_t>, uint32_t> group_ids;
  std::vector<std::vector<uint32_t>> group_atoms;
  std::vector<std::vector<uint32_t>> alternatives;
  std::vector<uint32_t> alternative_pattern;
  always_run_.clear();
  for (size_t p = 0; p < patterns_.size(); ++p) {
    if (patterns_[p].filter.empty()) {
      always_run_.push_back(static_cast<int>(p));
      continue;
    }
    for (const Alternative& whole : patterns_[p].filter) {
      std::vector<uint32_t>& groups = alternatives.emplace_back();
      alternative_pattern.push_back(static_cast<uint32_t>(p));
      for (const Group& group : StrongGroups(whole)) {
        std::vector<uint32_t> atoms;
        for (const std::string& atom : group) atoms.push_back(atom_id(atom));
        std::sort(atoms.begin(), atoms.end());
        atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
        auto [it, inserted] =
            group_ids.emplace(atoms, static_cast<uint32_t>(group_atoms.size()));
        if (inserted) group_atoms.push_back(atoms);
        groups.push_back(it->second);
      }
      std::sort(groups.begin(), groups.end());
      groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    }
  }
  num_groups_ = group_atoms.size();
  // How many groups an atom is in: the measure of how common it is.
  std::vector<uint32_t> atom_group_count(atom_ids.size(), 0);
  for (const auto& atoms : group_atoms) {
    for (uint32_t a : atoms) ++atom_group_count[a];
  }
  std::vector<std::vector<uint32_t>> keyed(num_groups_);
  for (size_t a = 0; a < alternatives.size(); ++a) {
    const auto commonness = [&](uint32_t g) {
      uint64_t sum = 0;
      for (uint32_t atom : group_atoms[g]) sum += atom_group_count[atom];
      return sum;
    };
    const std::vector<uint32_t>& groups = alternatives[a];
    const uint32_t key = *std::min_element(
        groups.begin(), groups.end(),
        [&](uint32_t x, uint32_t y) { return commonness(x) < commonness(y); });
    std::vector<uint32_t>& record = keyed[key];
    record.push_back(alternative_pattern[a]);
    record.push_back(static_cast<uint32_t>(groups.size() - 1));
    for (uint32_t g : groups) {
      if (g != key) record.push_back(g);
    }
  }
  keyed_begin_.clear();
  keyed_.clear();
  for (const auto& records : keyed) {
    keyed_begin_.push_back(static_cast<uint32_t>(keyed_.size()));
    keyed_.insert(keyed_.end(), records.begin(), records.end());
  }
  keyed_begin_.push_back(static_cast<uint32_t>(keyed_.size()));
  // Chain pieces are atoms too, so that the one pass finds them; a piece
  // that is no filter's atom has no postings.
  chains_.assign(patterns_.size(), {});
  std::vector<bool> is_piece;
  for (size_t p = 0; p < patterns_.size(); ++p) {
    for (const LiteralChain& chain : patterns_[p].chains) {
      CompiledChain& compiled = chains_[p].emplace_back();
      compiled.gaps = chain.gaps;
      for (const auto& element : chain.elements) {
        auto& pieces = compiled.elements.emplace_back();
        for (const LiteralChain::Piece& piece : element) {
          const uint32_t id = atom_id(piece.text);
          if (is_piece.size() <= id) is_piece.resize(id + 1);
          is_piece[id] = true;
          pieces.push_back({id, piece.begin_flags, piece.end_flags});
        }
        std::sort(pieces.begin(), pieces.end(),
                  [](const ChainPiece& a, const ChainPiece& b) {
                    return a.atom < b.atom;
                  });
        std::vector<uint64_t>& signature = compiled.signatures.emplace_back();
        if (pieces.size() > kFewPieces) {
          size_t words = 1;  // a power of two, >= 4 bits a piece, <= 512 B
          while (words * 64 < pieces.size() * 4 && words < 64) words *= 2;
          signature.assign(words, 0);
          for (const ChainPiece& piece : pieces) {
            const uint32_t bit = SignatureBit(piece.atom, words);
            signature[bit / 64] |= uint64_t{1} << (bit % 64);
          }
        }
      }
    }
  }
  atoms_.assign(atom_ids.size(), "");
  for (const auto& [atom, id] : atom_ids) atoms_[id] = atom;
  std::vector<std::vector<uint32_t>> atom_groups(atoms_.size());
  for (uint32_t g = 0; g < num_groups_; ++g) {
    for (uint32_t a : group_atoms[g]) atom_groups[a].push_back(g);
  }
  // An atom is a piece of an Add()ed pattern or one of its filter's atoms,
  // so no longer than kMaxPatternBytes: its lengths fit 16 bits.
  static_assert(kMaxPatternBytes <= UINT16_MAX);
  atom_info_.clear();
  atom_groups_.clear();
  for (size_t a = 0; a < atoms_.size(); ++a) {
    AtomInfo& info = atom_info_.emplace_back();
    info.group_begin = static_cast<uint32_t>(atom_groups_.size());
    atom_groups_.insert(atom_groups_.end(), atom_groups[a].begin(),
                        atom_groups[a].end());
    info.group_end = static_cast<uint32_t>(atom_groups_.size());
    info.bytes = static_cast<uint16_t>(atoms_[a].size());
    info.chars = static_cast<uint16_t>(CountCodePoints(atoms_[a]));
    info.is_piece = a < is_piece.size() && is_piece[a];
  }
  atom_finder_ = AhoCorasick(atoms_);
  compiled_ = true;
}

const std::vector<int>& PatternSet::Candidates(std::string_view text) const {
  thread_local std::vector<int> none;
  if (!compiled_ || patterns_.empty()) return none;
  Scratch& s = ThreadScratch();
  s.Begin(this, text, atoms_.size(), num_groups_, patterns_.size());
  const uint32_t epoch = s.epoch;
  atom_finder_.Scan(text, [&](int atom, size_t end, size_t end_char) {
    Scratch::AtomMark& mark = s.atom_marks[atom];
    const AtomInfo& info = atom_info_[atom];
    const bool first = mark.epoch != epoch;
    if (first) {
      mark.epoch = epoch;
      mark.occurrence_head = -1;
    }
    if (info.is_piece) {
      s.occurrences.push_back(
          {static_cast<uint32_t>(atom), static_cast<uint32_t>(end),
           static_cast<uint32_t>(end_char), mark.occurrence_head});
      mark.occurrence_head = static_cast<int32_t>(s.occurrences.size() - 1);
    }
    if (!first) return;
    for (uint32_t i = info.group_begin; i < info.group_end; ++i) {
      const uint32_t g = atom_groups_[i];
      if (s.group_seen[g] == epoch) continue;
      s.group_seen[g] = epoch;
      s.groups_met.push_back(g);
    }
  });
  // Every group met is known now: an alternative keyed on a met group holds
  // when its other groups were met too.
  for (uint32_t g : s.groups_met) {
    const uint32_t* r = keyed_.data() + keyed_begin_[g];
    const uint32_t* records_end = keyed_.data() + keyed_begin_[g + 1];
    while (r != records_end) {
      const uint32_t p = r[0];
      const uint32_t* rest = r + 2;
      r = rest + r[1];
      if (s.pattern_seen[p] == epoch) continue;
      bool holds = true;
      for (const uint32_t* x = rest; holds && x != r; ++x) {
        holds = s.group_seen[*x] == epoch;
      }
      if (!holds) continue;
      s.pattern_seen[p] = epoch;
      s.candidates.push_back(static_cast<int>(p));
    }
  }
  s.candidates.insert(s.candidates.end(), always_run_.begin(),
                      always_run_.end());
  std::sort(s.candidates.begin(), s.candidates.end());
  return s.candidates;
}

bool PatternSet::Verify(int id, std::string_view text) const {
  // Match() directly: PartialMatch adds argument plumbing we do not use.
  return patterns_[id].re->Match(text, 0, text.size(), RE2::UNANCHORED, nullptr,
                                 0);
}

bool PatternSet::VerifyAfterMatch(int id, std::string_view text) const {
  const Scratch& s = ThreadScratch();
  if (s.set != this || s.text_data != text.data() ||
      s.text_size != text.size()) {
    return Verify(id, text);
  }
  return Decide(id, text);
}

bool PatternSet::Decide(int id, std::string_view text) const {
  if (chains_.size() <= static_cast<size_t>(id) || chains_[id].empty()) {
    return Verify(id, text);
  }
  Scratch& s = ThreadScratch();
  if (!s.text_checked) {
    s.text_checked = true;
    s.text_valid = FindInvalidUtf8(text) == std::string_view::npos &&
                   text.size() < UINT32_MAX;
    s.text_has_newline = text.find('\n') != std::string_view::npos;
  }
  // `.` stops at \n, and offsets in invalid UTF-8 are not code points: RE2.
  if (!s.text_valid || (s.text_has_newline && patterns_[id].has_char_gap)) {
    return Verify(id, text);
  }
  for (const CompiledChain& chain : chains_[id]) {
    if (ChainMatches(chain, text, s)) return true;
  }
  return false;
}

bool PatternSet::ChainMatches(const CompiledChain& chain, std::string_view text,
                              Scratch& s) const {
  // Element by element, the ends of the occurrences that continue a match
  // of the elements before; the chain matches when the last is reached.
  s.reached.clear();
  const size_t last = chain.elements.size() - 1;
  for (size_t e = 0; e <= last; ++e) {
    s.next_reached.clear();
    const LiteralChain::Gap* gap = e > 0 ? &chain.gaps[e - 1] : nullptr;
    // Returns true when the occurrence ending at (end, end_char) of `piece`
    // completes the chain.
    const auto visit = [&](const ChainPiece& piece, uint32_t end,
                           uint32_t end_char) {
      const AtomInfo& info = atom_info_[piece.atom];
      const uint32_t begin = end - info.bytes;
      const uint32_t begin_char = end_char - info.chars;
      if (piece.begin_flags != 0 &&
          !AssertionsHold(text, begin, piece.begin_flags)) {
        return false;
      }
      if (piece.end_flags != 0 && !AssertionsHold(text, end, piece.end_flags)) {
        return false;
      }
      if (gap != nullptr) {
        bool continues = false;
        for (const auto& [prev_end, prev_char] : s.reached) {
          if (begin < prev_end) continue;
          if (gap->kind == LiteralChain::kWords) {
            if (WordGapHolds(text, prev_end, begin, gap->max)) {
              continues = true;
              break;
            }
            continue;
          }
          const uint32_t d = gap->kind == LiteralChain::kBytes
                                 ? begin - prev_end
                                 : begin_char - prev_char;
          if (d >= gap->min && d <= gap->max) {
            continues = true;
            break;
          }
        }
        if (!continues) return false;
      }
      if (e == last) return true;
      s.next_reached.emplace_back(end, end_char);
      return false;
    };
    const auto& pieces = chain.elements[e];
    if (pieces.size() <= kFewPieces) {
      // A few pieces: walk each one's occurrences.
      for (const ChainPiece& piece : pieces) {
        const Scratch::AtomMark& mark = s.atom_marks[piece.atom];
        if (mark.epoch != s.epoch) continue;
        for (int32_t o = mark.occurrence_head; o >= 0;
             o = s.occurrences[o].next) {
          if (visit(piece, s.occurrences[o].end, s.occurrences[o].end_char)) {
            return true;
          }
        }
      }
    } else {
      // Many pieces (a concept's words, expanded): walk the text's
      // occurrences and look each one's atom up among the pieces.
      const std::vector<uint64_t>& signature = chain.signatures[e];
      for (const Scratch::Occurrence& o : s.occurrences) {
        const uint32_t bit = SignatureBit(o.atom, signature.size());
        if ((signature[bit / 64] >> (bit % 64) & 1) == 0) continue;
        auto it = std::lower_bound(
            pieces.begin(), pieces.end(), o.atom,
            [](const ChainPiece& p, uint32_t atom) { return p.atom < atom; });
        for (; it != pieces.end() && it->atom == o.atom; ++it) {
          if (visit(*it, o.end, o.end_char)) return true;
        }
      }
    }
    if (s.next_reached.empty()) return false;
    std::swap(s.reached, s.next_reached);
  }
  return false;
}

bool PatternSet::FindSpan(int id, std::string_view text, size_t from,
                          size_t* begin, size_t* end) const {
  re2::StringPiece match;
  if (!pattern(id).Match(text, from, text.size(), RE2::UNANCHORED, &match, 1)) {
    return false;
  }
  *begin = match.data() - text.data();
  *end = *begin + match.size();
  return true;
}

}  // namespace reply

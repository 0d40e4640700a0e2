#include "engine/match/pattern_set.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <map>

#include "engine/base/utf8.h"
#include "engine/match/pattern_filter.h"

namespace reply {
namespace {

// Atoms shorter than this many bytes are not worth a prefilter lookup; a
// single CJK character is 3 bytes and stays.
constexpr int kMinAtomBytes = 2;

// The shortest text `chain` can match in (longest false), or, when the
// chain is anchored at both ends (^ on every piece of its first element, $ on
// every piece of its last), the longest; UINT32_MAX when there is no such
// bound. Matched pieces do not overlap (each begins at or after the end of
// the one before), so a match is its pieces and its gaps.
uint32_t TextLengthBound(const LiteralChain& chain, bool longest) {
  const auto all = [](const std::vector<LiteralChain::Piece>& pieces,
                      auto flags, uint8_t flag) {
    return std::all_of(
        pieces.begin(), pieces.end(),
        [&](const LiteralChain::Piece& p) { return (flags(p) & flag) != 0; });
  };
  if (longest &&
      (!all(
           chain.elements.front(),
           [](const LiteralChain::Piece& p) { return p.begin_flags; },
           LiteralChain::kBeginText) ||
       !all(
           chain.elements.back(),
           [](const LiteralChain::Piece& p) { return p.end_flags; },
           LiteralChain::kEndText))) {
    return UINT32_MAX;
  }
  uint64_t bytes = 0;
  for (const auto& element : chain.elements) {
    uint64_t shortest = UINT64_MAX, longest_piece = 0;
    for (const LiteralChain::Piece& piece : element) {
      if (!piece.is_digits()) {
        shortest = std::min<uint64_t>(shortest, piece.text.size());
        longest_piece = std::max<uint64_t>(longest_piece, piece.text.size());
        continue;
      }
      shortest = std::min<uint64_t>(shortest, piece.digits_min);
      if (piece.digits_max == LiteralChain::kUnboundedDigits) {
        longest_piece = UINT32_MAX;
      } else {
        longest_piece = std::max<uint64_t>(longest_piece, piece.digits_max);
      }
    }
    bytes += longest ? longest_piece : shortest;
  }
  for (const LiteralChain::Gap& gap : chain.gaps) {
    if (!longest) {
      bytes +=
          gap.kind == LiteralChain::kWords ? 0 : gap.min;  // >= 1 byte a char
      continue;
    }
    if (gap.kind == LiteralChain::kWords ||
        gap.max == LiteralChain::kUnbounded) {
      return UINT32_MAX;
    }
    bytes += gap.kind == LiteralChain::kChars ? uint64_t{4} * gap.max : gap.max;
  }
  return static_cast<uint32_t>(std::min<uint64_t>(bytes, UINT32_MAX));
}

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_never_capture(true);  // spans of the whole match suffice
  options.set_max_mem(PatternSet::kMaxMemoryPerPattern);
  return options;
}

}  // namespace

Status PatternSet::Add(std::string_view pattern, int* id, Candidacy candidacy) {
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
  added.deferred = candidacy == Candidacy::kDeferred;
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
  // Atom ids, shortest atoms first: the short ones (khong, hang, 发货) are
  // in most messages, and with the lowest ids their per-atom records and
  // marks share a few cache lines instead of one line each (L1 misses per
  // vi match 272 -> 262 in callgrind, docs/benchmarks.md).
  std::map<std::string, uint32_t> atom_ids;
  for (const Pattern& pattern : patterns_) {
    for (const Alternative& whole : pattern.filter) {
      for (const Group& group : StrongGroups(whole)) {
        for (const std::string& atom : group) atom_ids.emplace(atom, 0);
      }
    }
    for (const LiteralChain& chain : pattern.chains) {
      for (const auto& element : chain.elements) {
        for (const LiteralChain::Piece& piece : element) {
          if (!piece.is_digits()) atom_ids.emplace(piece.text, 0);
        }
      }
    }
  }
  {
    std::vector<const std::string*> by_length;
    for (const auto& [atom, id] : atom_ids) by_length.push_back(&atom);
    std::stable_sort(by_length.begin(), by_length.end(),
                     [](const std::string* a, const std::string* b) {
                       return a->size() < b->size();
                     });
    for (size_t i = 0; i < by_length.size(); ++i) {
      atom_ids[*by_length[i]] = static_cast<uint32_t>(i);
    }
  }
  const auto atom_id = [&](const std::string& atom) {
    return atom_ids.at(atom);
  };
  // Groups interned by their atoms; alternatives as lists of group ids.
  std::map<std::vector<uint32_t>, uint32_t> group_ids;
  std::vector<std::vector<uint32_t>> group_atoms;
  std::vector<std::vector<uint32_t>> alternatives;
  std::vector<uint32_t> alternative_pattern;
  always_run_.clear();
  deferred_.clear();
  for (size_t p = 0; p < patterns_.size(); ++p) {
    if (patterns_[p].deferred) deferred_.push_back(static_cast<int>(p));
    if (patterns_[p].filter.empty()) {
      if (!patterns_[p].deferred) always_run_.push_back(static_cast<int>(p));
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
  std::vector<uint32_t> alternative_key(alternatives.size());
  for (size_t a = 0; a < alternatives.size(); ++a) {
    if (patterns_[alternative_pattern[a]].deferred) continue;
    const auto commonness = [&](uint32_t g) {
      uint64_t sum = 0;
      for (uint32_t atom : group_atoms[g]) sum += atom_group_count[atom];
      return sum;
    };
    const std::vector<uint32_t>& groups = alternatives[a];
    alternative_key[a] = *std::min_element(
        groups.begin(), groups.end(),
        [&](uint32_t x, uint32_t y) { return commonness(x) < commonness(y); });
    keyed[alternative_key[a]].push_back(static_cast<uint32_t>(a));
  }
  // Groups renumbered, the key groups first, so that the scan lists a met
  // group for the pass over alternatives only when some are keyed on it.
  std::vector<uint32_t> renumbered(num_groups_);
  uint32_t next_group = 0;
  for (const bool key_groups : {true, false}) {
    for (uint32_t g = 0; g < num_groups_; ++g) {
      if (keyed[g].empty() != key_groups) renumbered[g] = next_group++;
    }
    if (key_groups) num_key_groups_ = next_group;
  }
  keyed_begin_.clear();
  keyed_.clear();
  for (uint32_t g = 0; g < num_groups_; ++g) {
    if (keyed[g].empty()) continue;
    keyed_begin_.push_back(static_cast<uint32_t>(keyed_.size()));
    for (uint32_t a : keyed[g]) {
      keyed_.push_back(alternative_pattern[a]);
      keyed_.push_back(static_cast<uint32_t>(alternatives[a].size() - 1));
      for (uint32_t other : alternatives[a]) {
        if (other != g) keyed_.push_back(renumbered[other]);
      }
    }
  }
  keyed_begin_.push_back(static_cast<uint32_t>(keyed_.size()));
  // Alternatives are in pattern order: a deferred pattern's are one run.
  deferred_begin_.assign(patterns_.size() + 1, 0);
  deferred_filters_.clear();
  for (size_t a = 0, p = 0; p < patterns_.size(); ++p) {
    deferred_begin_[p] = static_cast<uint32_t>(deferred_filters_.size());
    for (; a < alternatives.size() && alternative_pattern[a] == p; ++a) {
      if (!patterns_[p].deferred) continue;
      deferred_filters_.push_back(
          static_cast<uint32_t>(alternatives[a].size()));
      for (uint32_t g : alternatives[a]) {
        deferred_filters_.push_back(renumbered[g]);
      }
    }
  }
  deferred_begin_[patterns_.size()] =
      static_cast<uint32_t>(deferred_filters_.size());
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
          if (piece.is_digits()) {
            compiled.digit_runs.push_back(
                {static_cast<uint32_t>(compiled.elements.size() - 1),
                 piece.digits_min, piece.digits_max, piece.begin_flags,
                 piece.end_flags});
            continue;
          }
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
          size_t words = 1;  // a power of two, >= 16 bits a piece, <= 512 B
          while (words * 64 < pieces.size() * 16 && words < 64) words *= 2;
          signature.assign(words, 0);
          for (const ChainPiece& piece : pieces) {
            const uint32_t bit = SignatureBit(piece.atom, words);
            signature[bit / 64] |= uint64_t{1} << (bit % 64);
          }
        }
      }
      compiled.min_bytes = TextLengthBound(chain, /*longest=*/false);
      compiled.max_bytes = TextLengthBound(chain, /*longest=*/true);
    }
  }
  atoms_.assign(atom_ids.size(), "");
  for (const auto& [atom, id] : atom_ids) atoms_[id] = atom;
  std::vector<std::vector<uint32_t>> atom_groups(atoms_.size());
  for (uint32_t g = 0; g < num_groups_; ++g) {
    for (uint32_t a : group_atoms[g]) atom_groups[a].push_back(renumbered[g]);
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

bool PatternSet::Verify(int id, std::string_view text) const {
  // Match() directly: PartialMatch adds argument plumbing we do not use.
  return patterns_[id].re->Match(text, 0, text.size(), RE2::UNANCHORED, nullptr,
                                 0);
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

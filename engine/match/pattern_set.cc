#include "engine/match/pattern_set.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <bit>
#include <map>

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

// The minimal atom sets under which FilteredRE2 lets `pattern` through,
// found by probing its prefilter with every subset of its atoms (smallest
// first, skipping supersets of sets already found). Empty when the pattern
// has no atoms or too many to probe.
std::vector<std::vector<std::string>> DeriveClauses(std::string_view pattern) {
  re2::FilteredRE2 filter(kMinAtomBytes);
  int id;
  if (filter.Add(pattern, PatternOptions(), &id) != RE2::NoError) return {};
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  if (atoms.empty() || atoms.size() > PatternSet::kMaxAtomsPerPattern) {
    return {};
  }
  const uint32_t n = static_cast<uint32_t>(atoms.size());
  std::vector<uint32_t> masks;
  for (uint32_t m = 1; m < (1u << n); ++m) masks.push_back(m);
  std::stable_sort(masks.begin(), masks.end(), [](uint32_t a, uint32_t b) {
    return std::popcount(a) < std::popcount(b);
  });
  std::vector<uint32_t> minimal;
  std::vector<int> subset, passed;
  for (uint32_t m : masks) {
    if (std::any_of(minimal.begin(), minimal.end(),
                    [m](uint32_t c) { return (c & m) == c; })) {
      continue;
    }
    subset.clear();
    for (uint32_t i = 0; i < n; ++i) {
      if (m >> i & 1) subset.push_back(static_cast<int>(i));
    }
    filter.AllPotentials(subset, &passed);
    if (!passed.empty()) minimal.push_back(m);
  }
  std::vector<std::vector<std::string>> clauses;
  for (uint32_t m : minimal) {
    auto& clause = clauses.emplace_back();
    for (uint32_t i = 0; i < n; ++i) {
      if (m >> i & 1) clause.push_back(atoms[i]);
    }
  }
  return clauses;
}

// Per-thread scratch for Match: epoch-stamped marks, so nothing is cleared
// between messages.
struct MatchScratch {
  uint32_t epoch = 0;
  std::vector<uint32_t> atom_seen;
  std::vector<uint32_t> clause_seen;
  std::vector<uint8_t> clause_count;
  std::vector<uint32_t> pattern_seen;
  std::vector<int> candidates;

  void Begin(size_t atoms, size_t clauses, size_t patterns) {
    if (atom_seen.size() < atoms) atom_seen.resize(atoms, 0);
    if (clause_seen.size() < clauses) {
      clause_seen.resize(clauses, 0);
      clause_count.resize(clauses, 0);
    }
    if (pattern_seen.size() < patterns) pattern_seen.resize(patterns, 0);
    if (++epoch == 0) {  // wrapped: old stamps could collide
      std::fill(atom_seen.begin(), atom_seen.end(), 0);
      std::fill(clause_seen.begin(), clause_seen.end(), 0);
      std::fill(pattern_seen.begin(), pattern_seen.end(), 0);
      epoch = 1;
    }
    candidates.clear();
  }
};

}  // namespace

Status PatternSet::Add(std::string_view pattern, int* id) {
  if (pattern.size() > kMaxPatternBytes) {
    return Status::PackError("pattern is " + std::to_string(pattern.size()) +
                             " bytes; the limit is " +
                             std::to_string(kMaxPatternBytes));
  }
  if (pattern.empty()) return Status::PackError("empty pattern");
  auto re = std::make_unique<RE2>(pattern, PatternOptions());
  if (!re->ok()) return Status::PackError(re->error());
  *id = static_cast<int>(patterns_.size());
  patterns_.push_back({std::move(re), DeriveClauses(pattern)});
  compiled_ = false;
  return Status::Ok();
}

void PatternSet::Compile() {
  std::map<std::string, uint32_t> atom_ids;
  std::vector<std::vector<uint32_t>> postings;
  clause_pattern_.clear();
  clause_size_.clear();
  always_run_.clear();
  for (size_t p = 0; p < patterns_.size(); ++p) {
    if (patterns_[p].clauses.empty()) {
      always_run_.push_back(static_cast<int>(p));
      continue;
    }
    for (const auto& clause : patterns_[p].clauses) {
      const uint32_t clause_id = static_cast<uint32_t>(clause_pattern_.size());
      clause_pattern_.push_back(static_cast<uint32_t>(p));
      clause_size_.push_back(static_cast<uint8_t>(clause.size()));
      for (const std::string& atom : clause) {
        auto [it, inserted] =
            atom_ids.emplace(atom, static_cast<uint32_t>(atom_ids.size()));
        if (inserted) postings.emplace_back();
        postings[it->second].push_back(clause_id);
      }
    }
  }
  atoms_.assign(atom_ids.size(), "");
  for (const auto& [atom, id] : atom_ids) atoms_[id] = atom;
  posting_begin_.clear();
  postings_.clear();
  for (const auto& list : postings) {
    posting_begin_.push_back(static_cast<uint32_t>(postings_.size()));
    postings_.insert(postings_.end(), list.begin(), list.end());
  }
  posting_begin_.push_back(static_cast<uint32_t>(postings_.size()));
  atom_finder_ = AhoCorasick(atoms_);
  compiled_ = true;
}

void PatternSet::Match(std::string_view text, std::vector<int>* matched) const {
  matched->clear();
  if (!compiled_ || patterns_.empty()) return;
  thread_local MatchScratch scratch;
  MatchScratch& s = scratch;
  s.Begin(atoms_.size(), clause_pattern_.size(), patterns_.size());
  const uint32_t epoch = s.epoch;
  atom_finder_.Scan(text, [&](int atom) {
    if (s.atom_seen[atom] == epoch) return;
    s.atom_seen[atom] = epoch;
    for (uint32_t i = posting_begin_[atom]; i < posting_begin_[atom + 1]; ++i) {
      const uint32_t clause = postings_[i];
      if (s.clause_seen[clause] != epoch) {
        s.clause_seen[clause] = epoch;
        s.clause_count[clause] = 0;
      }
      if (++s.clause_count[clause] != clause_size_[clause]) continue;
      const uint32_t p = clause_pattern_[clause];
      if (s.pattern_seen[p] != epoch) {
        s.pattern_seen[p] = epoch;
        s.candidates.push_back(static_cast<int>(p));
      }
    }
  });
  s.candidates.insert(s.candidates.end(), always_run_.begin(),
                      always_run_.end());
  std::sort(s.candidates.begin(), s.candidates.end());
  for (int p : s.candidates) {
    if (RE2::PartialMatch(text, *patterns_[p].re)) matched->push_back(p);
  }
}

bool PatternSet::FindSpan(int id, std::string_view text, size_t from,
                          size_t* begin, size_t* end) const {
  re2::StringPiece match;
  if (!pattern(id).Match(text, from, text.size(), RE2::UNANCHORED, &match,
                         1)) {
    return false;
  }
  *begin = match.data() - text.data();
  *end = *begin + match.size();
  return true;
}

}  // namespace reply

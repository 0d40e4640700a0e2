#include "engine/match/pattern_filter.h"

#include <algorithm>
#include <bit>

#include "engine/base/utf8.h"
#include "engine/match/pattern_set.h"

namespace reply {
namespace {

using Group = AtomGroup;
using Alternative = FilterAlternative;

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

}  // namespace

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

}  // namespace reply

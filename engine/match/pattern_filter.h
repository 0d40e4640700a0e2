// The prefilter of one PatternSet pattern (engine/match/pattern_set.h):
// which literal atoms a text must hold for the pattern to possibly match, as
// an OR of alternatives, each an AND of groups of interchangeable atoms
// ((还|怎么).{0,4}(没|不)发货 needs one of 还/怎么 and one of 没发货/不发货).
// Derived at load from RE2's FilteredRE2, which knows the atoms but answers
// only "which patterns pass for these atoms?", by probing it.
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_MATCH_PATTERN_FILTER_H_
#define REPLY_ENGINE_MATCH_PATTERN_FILTER_H_

#include <re2/filtered_re2.h>

#include <string>
#include <vector>

namespace reply {

using AtomGroup = std::vector<std::string>;        // any one of them
using FilterAlternative = std::vector<AtomGroup>;  // every group

// The alternatives of the one pattern `filter` holds, whose atoms are
// `atoms`; empty when it has none (the pattern runs on every message) or
// when their shape cannot be decomposed.
std::vector<FilterAlternative> DeriveFilter(
    const re2::FilteredRE2& filter, const std::vector<std::string>& atoms);

// The groups of `alt` worth indexing (see the .cc): a necessary condition
// still, so the matches are the same.
FilterAlternative StrongGroups(const FilterAlternative& alt);

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_PATTERN_FILTER_H_

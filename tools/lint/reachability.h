// Reachability: reply variants that can never be offered, found by case
// analysis of their `when` conditions.
//
//   for (const lint::Finding& f : lint::CheckReachability(*pack)) Print(f);
//   // templates/zh/x.yaml:30: error: x.check: fallback never offered:
//   //   whenever its `when` holds, x.shipped holds too and is offered instead
//
// How the engine chooses (engine/select/reply_selector.h): every variant of
// an intent whose `when` holds and whose placeholders fill is offered, most
// specific first, up to the count asked for (default 3, at most 10);
// fallbacks only when no other variant was offered, and then only the first
// that fills. So a variant is never offered, and the lint says so, when
//
//   1. its `when` can never be true (`status == "paid" and status ==
//      "shipped"`, `not has_order and overdue`): an error;
//   2. it is a fallback and, whenever it holds, a non-fallback variant of the
//      intent that always fills, or an earlier fallback that always fills,
//      holds too: an error;
//   3. it is not a fallback and, whenever it holds, at least
//      Request::kMaxSuggestions variants ranked above it that always fill
//      hold too: an error; at least the default count (3): a warning, since a
//      request that asks for more suggestions still gets it.
//
// A proactive intent whose trigger can never be true is an error too. A
// variant whose `when` holds without an order but which quotes, unguarded,
// a placeholder that needs one ({{order.id}}) is a warning: without an order
// it is skipped in silence.
// "Always fills": every placeholder the variant quotes outside a section of
// its own name is a shop.* value the shop policy has. A variant quoting the
// order or a fact may lack a value and be skipped, so it shadows nothing.
//
// The case analysis gives each fact a condition reads every value that can
// change a test: unknown, each enum value, true and false, each number the
// conditions compare with and values between and beyond them (enough to put
// number facts in every order). Facts vary independently, except that
// without an order every fact but has_order is unknown (as DeriveFacts
// guarantees). Real orders tie facts together (overdue and hours_to_deadline
// < 0) where the analysis lets them vary freely, so it proves fewer variants
// dead than there are, never more: every finding is certain. The cases
// multiply per fact; past kMaxCases the analysis leaves out the shadowing
// variants that would add the most facts, which again can only make it
// report less.
//
// Thread safety: a pure function over an immutable pack.
#ifndef REPLY_TOOLS_LINT_REACHABILITY_H_
#define REPLY_TOOLS_LINT_REACHABILITY_H_

#include <cstddef>
#include <vector>

#include "engine/pack/pack.h"
#include "tools/lint/finding.h"

namespace reply::lint {

// The most fact combinations one question of the analysis visits.
inline constexpr size_t kMaxCases = 200000;

std::vector<Finding> CheckReachability(const Pack& pack);

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_REACHABILITY_H_

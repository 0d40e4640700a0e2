// DidYouMean: the " (did you mean 'x'?)" hint of an error about an unknown
// name, from the known names closest to it by edit distance. The one
// implementation for every such hint: unknown facts in conditions, unknown
// concepts in patterns, unknown keys in pack YAML.
//
//   std::string hint = DidYouMean("parcle", {"parcel", "price"});
//   // " (did you mean 'parcel'?)"; "" when no name is within 2 edits
//   IsTypo("patterns", "pattern");  // true: one edit apart
//   FieldNameHint("paidAt", {"paid_at"});  // " (did you mean 'paid_at'?)"
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_BASE_DID_YOU_MEAN_H_
#define REPLY_ENGINE_BASE_DID_YOU_MEAN_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace reply {

// Edits that turn `a` into `b`, over bytes: insertions, deletions,
// substitutions, and swaps of two neighbouring bytes (the optimal string
// alignment distance), since a swap is the commonest slip of a typist.
inline int EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: two before this one, for swaps.
  std::vector<int> before(b.size() + 1), previous(b.size() + 1),
      row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1,
                         previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

// A different name one edit from `name`: a typo of it.
inline bool IsTypo(std::string_view a, std::string_view b) {
  return a != b && EditDistance(a, b) <= 1;
}

// The closest of `known` to `name` within `max_edits`, as a hint to append
// to an error; "" when there is none. Short names (YAML keys) want 1: two
// edits turn "when" into "then".
template <typename Names>
std::string DidYouMean(std::string_view name, const Names& known,
                       int max_edits = 2) {
  std::string_view best;
  int best_distance = max_edits + 1;
  for (std::string_view candidate : known) {
    if (candidate == name) continue;
    const int d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

// "paidAt" -> "paid_at": JSON written by JavaScript and Java callers spells
// the contract's snake_case names in camelCase, which is far more than two
// edits away for a long name (conversationId).
inline std::string SnakeCase(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// The hint for an unknown field of a JSON contract: its snake_case form when
// that is known, else the closest known name.
template <typename Names>
std::string FieldNameHint(std::string_view name, const Names& known) {
  const std::string snake = SnakeCase(name);
  for (std::string_view candidate : known) {
    if (snake != name && candidate == snake)
      return " (did you mean '" + snake + "'?)";
  }
  return DidYouMean(name, known);
}

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_DID_YOU_MEAN_H_

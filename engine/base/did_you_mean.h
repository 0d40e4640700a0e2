// DidYouMean: the " (did you mean 'x'?)" hint of an error about an unknown
// name, from the known names closest to it by edit distance.
//
//   std::string hint = DidYouMean("parcle", {"parcel", "price"});
//   // " (did you mean 'parcel'?)"; "" when no name is within 2 edits
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_BASE_DID_YOU_MEAN_H_
#define REPLY_ENGINE_BASE_DID_YOU_MEAN_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace reply {

// Levenshtein distance over bytes.
inline int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The closest of `known` to `name` within 2 edits, as a hint to append to
// an error; "" when there is none.
template <typename Names>
std::string DidYouMean(std::string_view name, const Names& known) {
  std::string_view best;
  int best_distance = 3;
  for (std::string_view candidate : known) {
    const int d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_DID_YOU_MEAN_H_

// Split: the fixed dev / held-out halves of the real-message sets
// (eval/split.tsv; eval/README.md tells why and how they were drawn), and
// the selection of one half of a labelled file.
//
//   Result<eval::Split> split = eval::Split::Read("eval/split.tsv");
//   Result<std::vector<eval::LabelledMessage>> dev = split->Select(
//       *messages, "zh_buyer_messages_more.tsv", eval::Half::kDev);
//
// A line belongs to the half its text's SHA-256 (of the `text` column,
// UTF-8, exactly as in the file) is recorded under for its set. A line whose
// hash is not recorded is new and belongs to no half: Select fails, saying
// how many such lines there are, rather than guess.
//
// The held-out half is never read by a pattern author: callers must not
// print its messages (replyctl eval shows only scores for it).
//
// Thread safety: a Split is immutable after Read; Select is const.
#ifndef REPLY_TOOLS_EVAL_SPLIT_H_
#define REPLY_TOOLS_EVAL_SPLIT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/enum_table.h"
#include "engine/base/status.h"
#include "tools/eval/evaluation.h"

namespace reply::eval {

enum class Half { kDev, kHeldOut };
// The names split.tsv uses.
inline constexpr EnumName<Half> kHalfNames[] = {{Half::kDev, "dev"},
                                                {Half::kHeldOut, "heldout"}};
static_assert(InEnumOrder(kHalfNames));

constexpr std::string_view HalfName(Half half) {
  return NameOf(kHalfNames, half);
}
Result<Half> ParseHalf(std::string_view name);

// Lower-case hex SHA-256 of `text` (OpenSSL).
std::string Sha256Hex(std::string_view text);

class Split {
 public:
  // Reads a split file: a header `set<TAB>sha256<TAB>half`, then one row per
  // line of each set. Errors read "file:line: reason".
  static Result<Split> Read(const std::string& path);

  // The messages of `set` (a labelled file's name, without directories)
  // that lie in `half`, in file order. Fails when the split records nothing
  // for `set`, or when some messages are in neither half.
  Result<std::vector<LabelledMessage>> Select(
      const std::vector<LabelledMessage>& messages, const std::string& set,
      Half half) const;

 private:
  std::string path_;
  // set -> sha256 -> half
  std::map<std::string, std::map<std::string, Half>> halves_;
};

}  // namespace reply::eval

#endif  // REPLY_TOOLS_EVAL_SPLIT_H_

// DiffPhrases: what an agent changed in a suggestion before sending it —
// the phrases deleted from the suggested text and the phrases added in the
// final one — for edit mining in the report (report.h).
//
//   EditPhrases d = DiffPhrases("亲，马上为您发货。", "亲，今天为您发货。");
//   // d.deleted == {"马上"}, d.added == {"今天"}
//
// Chinese (a text with Han characters) is compared character by
// character, other texts (Vietnamese) word by word, spaces and punctuation
// left out; the longest common subsequence of the tokens is kept, and each
// run of tokens only in the suggestion (only in the final text) is one
// deleted (added) phrase, as written there (with the spaces and punctuation
// inside it). A change of punctuation alone is no phrase.
//
// Limits: texts over kMaxTokens tokens are compared as wholes (one deleted
// and one added phrase): the comparison is quadratic.
//
// Thread safety: a pure function.
#ifndef REPLY_LEARN_EDIT_DIFF_H_
#define REPLY_LEARN_EDIT_DIFF_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace reply::learn {

inline constexpr size_t kMaxTokens = 2000;

struct EditPhrases {
  std::vector<std::string> deleted;
  std::vector<std::string> added;
};

EditPhrases DiffPhrases(std::string_view suggested, std::string_view final);

}  // namespace reply::learn

#endif  // REPLY_LEARN_EDIT_DIFF_H_

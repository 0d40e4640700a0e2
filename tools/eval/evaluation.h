// Evaluation: how well the packs name the intents of labelled buyer
// messages — per-intent precision, recall and F1, a confusion table and the
// messages they get wrong — for `replyctl eval`.
//
//   Result<std::vector<eval::LabelledMessage>> set =
//       eval::ReadLabelled("ecd_buyer_messages.tsv");
//   eval::Evaluation e = eval::Evaluate(*set, [&](const std::string& text) {
//     return IntentsOf(engine.Suggest(...));  // the engine's, best first
//   });
//   e.scores[0].precision ...
//
// The file: one message per line. With a header line naming its columns
// (tab-separated), the columns `text` and `label` are read by name and any
// others (`source`, ...) ignored; without one, each line is
// `text<TAB>label`. A label is an intent, `other` when the message is none
// of the evaluated intents, or several joined by `|` when any of them is a
// correct answer (`a|b`; `a|other`: answering a, or nothing, is right).
// Blank lines are skipped.
//
// How it counts. The evaluated intents are the labels of the file (other
// aside); a predicted intent that is not one of them counts as `other`, so
// packs may know more intents than the file labels. For each message, P is
// the evaluated intents the engine gave it and G its labels (none for
// other). The message is answered when some label of G is in P, or when
// its labels include other and P is empty. For each evaluated intent X:
//   true positive   X in P and X in G
//   false positive  X in P and X not in G
//   false negative  X in G, X not in P, and the message is not answered
//                   (with `a|b`, answering a is right and is not a miss of
//                   b; with `a|other`, answering nothing is not a miss of a)
// precision = tp / (tp + fp), recall = tp / (tp + fn), both 1 when their
// denominator is 0; F1 is their harmonic mean. The macro averages are plain
// means over the intents with at least `min_support` labelled messages
// (fewer say little). The misfire rate is the share of the messages
// labelled only `other` that get an evaluated intent. A message is
// misclassified when it adds a false positive or a false negative. The
// confusion table has one class per message: the prediction is the
// best-ranked intent of P (or other), the label is that same class when it
// answers the message, else the message's first label.
//
// Thread safety: pure functions.
#ifndef REPLY_TOOLS_EVAL_EVALUATION_H_
#define REPLY_TOOLS_EVAL_EVALUATION_H_

#include <functional>
#include <string>
#include <vector>

#include "engine/base/status.h"

namespace reply::eval {

inline constexpr std::string_view kOther = "other";

struct LabelledMessage {
  std::string text;
  std::vector<std::string> labels;  // intents and/or "other"
  int line = 0;                     // 1-based, in the file
};

// Errors read "file:line: reason".
Result<std::vector<LabelledMessage>> ReadLabelled(const std::string& path);

// The tab-separated fields of one line of a .tsv file.
std::vector<std::string> SplitTabs(const std::string& line);

struct IntentScore {
  std::string intent;
  int tp = 0, fp = 0, fn = 0;
  int support = 0;  // messages labelled with the intent
  double precision = 1, recall = 1, f1 = 1;
  bool in_macro = true;  // support >= min_support
};

struct Misclassified {
  int line = 0;
  std::string text;
  std::vector<std::string> labels;
  std::vector<std::string> predicted;  // evaluated intents, best first
};

struct Evaluation {
  std::vector<IntentScore> scores;  // one per evaluated intent, by name
  // Over the scores with in_macro; 1 when there are none.
  double macro_precision = 1, macro_recall = 1, macro_f1 = 1;
  int min_support = 1;
  // The evaluated intents, then "other"; confusion[label][prediction].
  std::vector<std::string> classes;
  std::vector<std::vector<int>> confusion;
  std::vector<Misclassified> misclassified;  // in file order
  int messages = 0;
  int correct = 0;          // messages not misclassified
  int other_messages = 0;   // labelled other alone
  int other_predicted = 0;  // of those, given an evaluated intent

  // other_predicted / other_messages; 0 when there are none.
  double misfire_rate() const {
    return other_messages == 0 ? 0.0 : double(other_predicted) / other_messages;
  }
};

// `predict` returns the intents the engine gives a message, best first.
Evaluation Evaluate(
    const std::vector<LabelledMessage>& messages,
    const std::function<std::vector<std::string>(const std::string&)>& predict,
    int min_support = 1);

}  // namespace reply::eval

#endif  // REPLY_TOOLS_EVAL_EVALUATION_H_

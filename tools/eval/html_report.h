// HtmlReport: an evaluation (evaluation.h) as one self-contained HTML page —
// the scores, a confusion-matrix heat map drawn as inline SVG, the confusion
// table and the misclassified messages — for `replyctl eval --html`.
// Nothing is loaded from elsewhere: no scripts, fonts or style sheets.
// Without `show_messages` (a held-out half) no message text and no line
// number is written, only scores and counts.
//
//   std::ofstream("report.html") << eval::HtmlReport(evaluation, "dev.tsv");
//
// Thread safety: a pure function.
#ifndef REPLY_TOOLS_EVAL_HTML_REPORT_H_
#define REPLY_TOOLS_EVAL_HTML_REPORT_H_

#include <string>

#include "tools/eval/evaluation.h"

namespace reply::eval {

// `source` names the labelled file in the title.
std::string HtmlReport(const Evaluation& evaluation, const std::string& source,
                       bool show_messages = true);

}  // namespace reply::eval

#endif  // REPLY_TOOLS_EVAL_HTML_REPORT_H_

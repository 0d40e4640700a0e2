// ReportHtml: a feedback report (report.h) as one self-contained HTML page
// for template authors — per intent a bar per template (accepted, edited,
// rejected, ignored, unanswered, as shares of shown), the acceptance trend
// of each template as a small line chart, the templates always rejected
// and never offered. Charts are inline SVG; nothing is loaded from
// elsewhere (no scripts, fonts or style sheets), like the eval page
// (tools/eval/html_report.h).
//
//   std::ofstream("report.html") << ReportHtml(report, "feedback.db");
//
// Thread safety: a pure function.
#ifndef REPLY_LEARN_REPORT_HTML_H_
#define REPLY_LEARN_REPORT_HTML_H_

#include <string>

#include "learn/report.h"

namespace reply::learn {

// `source` names the database in the title.
std::string ReportHtml(const Report& report, const std::string& source);

}  // namespace reply::learn

#endif  // REPLY_LEARN_REPORT_HTML_H_

// Finding: one problem `replyctl lint` reports, an error or a warning, at the
// file and line of the pack where it is written.
//
//   Finding f{Severity::kWarning, {"templates/zh/x.yaml", 12, "x.y: ..."}};
//   f.ToString();  // "templates/zh/x.yaml:12: warning: x.y: ..."
//
// Errors are what the server or the test suite would refuse (a pack that does
// not load, a style rule broken, a reply that can never be offered); warnings
// are worth a look but may be intended. Only errors fail `replyctl lint`.
//
// Thread safety: a plain value.
#ifndef REPLY_TOOLS_LINT_FINDING_H_
#define REPLY_TOOLS_LINT_FINDING_H_

#include <string>

#include "engine/pack/pack_loader.h"

namespace reply::lint {

enum class Severity { kError, kWarning };

struct Finding {
  Severity severity = Severity::kError;
  PackIssue issue;  // the file is relative to the pack directory

  // "file:line: error: reason" ("file: error: reason" for a whole file).
  std::string ToString() const {
    const std::string where =
        issue.line > 0 ? issue.file + ":" + std::to_string(issue.line)
                       : issue.file;
    return where +
           (severity == Severity::kError ? ": error: " : ": warning: ") +
           issue.message;
  }
};

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_FINDING_H_

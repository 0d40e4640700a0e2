// TextLocator: the line of a template file on which a given line of a
// variant's reply text stands, so a style finding points at the text an
// author must change rather than at the start of the variant.
//
//   TextLocator locate(pack.dir);
//   int line = locate.Line(variant.where, 3);  // line 3 of its `text`
//
// It reads the YAML source itself (yaml-cpp keeps no line per line of a
// block scalar): from the variant's line, the `text:` key of that variant,
// then `k` lines below it for a block scalar (| or >). Falls back to the
// variant's line when the file cannot tell. Each file is read once.
//
// Thread safety: not thread-safe (caches files); one per lint run.
#ifndef REPLY_TOOLS_LINT_TEXT_LOCATOR_H_
#define REPLY_TOOLS_LINT_TEXT_LOCATOR_H_

#include <string>
#include <utility>
#include <vector>

#include "engine/pack/pack.h"

namespace reply::lint {

class TextLocator {
 public:
  explicit TextLocator(std::string dir) : dir_(std::move(dir)) {}

  // The file line of line `k` (1-based) of the `text` of the variant that
  // starts at `where`.
  int Line(const SourceRef& where, int k);

 private:
  const std::vector<std::string>& File(const std::string& rel);

  std::string dir_;
  std::vector<std::pair<std::string, std::vector<std::string>>> files_;
};

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_TEXT_LOCATOR_H_

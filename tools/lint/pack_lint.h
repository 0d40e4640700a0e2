// LintPack: every problem of a pack directory at once, as `replyctl lint`
// reports it.
//
//   std::vector<lint::Finding> findings = lint::LintPack("packs/", normalizer);
//   for (const lint::Finding& f : findings) std::cout << f.ToString() << "\n";
//   // intents/zh/shipping.yaml:14: error: pattern '(还': missing ): (还
//   // templates/zh/x.yaml:9: error: x.paid: [final_particle] 啊/啦 ends ...
//
// The pack is loaded exactly as the server loads it (LoadPack); each loader
// problem is an error. The checks below need a loaded pack, so they run only
// once it loads:
//   - the style rules (style_rules.h): errors, as in the test suite;
//   - reply variants that can never be offered and triggers that can never
//     hold (reachability.h): errors, or a warning for a variant only
//     requests asking for more than the default count reach;
//   - a pattern that runs on every message (no literal text the prefilter
//     can look for, engine/match/pattern_set.h): an error, as in the test
//     suite, since it costs time on every request;
//   - the same pattern written twice for an intent: a warning;
//   - a pattern that needs a space a normalized message never has (`发货\s+慢`:
//     Han text keeps none, `\s{2}`: no message has two): an error;
//   - a pattern word that the locale's abbreviations rewrite in every
//     message (ko, written out as không), so it can never match: a warning;
//   - a Cantonese spelling of the dialect table in a pattern (冇, written
//     as 没有 in every message that has it): a warning;
//   - concepts (engine/pack/lexicon.h): one no pattern uses (a warning), an
//     entry that matches the empty string (an error), one matching more
//     than half of the locale's examples and counter-examples (a warning).
// Findings come sorted by file and line, loader order within a line.
//
// Thread safety: a pure function; concurrent calls do not interfere.
#ifndef REPLY_TOOLS_LINT_PACK_LINT_H_
#define REPLY_TOOLS_LINT_PACK_LINT_H_

#include <string>
#include <vector>

#include "engine/normalize/normalizer.h"
#include "tools/lint/finding.h"

namespace reply::lint {

std::vector<Finding> LintPack(const std::string& dir,
                              const Normalizer& normalizer);

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_PACK_LINT_H_

#include "tools/lint/pack_lint.h"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/pack/pack_loader.h"
#include "tools/lint/reachability.h"
#include "tools/lint/style_rules.h"

namespace reply::lint {
namespace {

void CheckPatterns(const LocalePack& lp, std::vector<Finding>* out) {
  const PatternSet& set = lp.matcher->pattern_set();
  // (intent, kind, folded text) -> where it was first written.
  std::map<std::tuple<int, PatternKind, std::string>, const PatternDecl*> seen;
  for (int id = 0; id < set.size(); ++id) {
    const PatternDecl& p = lp.patterns[id];
    const std::string& intent = lp.intents[p.intent].id;
    if (set.unfiltered(id)) {
      out->push_back(
          {Severity::kError,
           {p.where.file, p.where.line,
            "pattern '" + p.text + "' of " + intent +
                " runs on every message: give it literal text, or split an "
                "alternation of unrelated branches into separate patterns"}});
    }
    const auto [it, inserted] =
        seen.emplace(std::make_tuple(p.intent, p.kind, p.folded), &p);
    if (!inserted) {
      out->push_back({Severity::kWarning,
                      {p.where.file, p.where.line,
                       "pattern '" + p.text + "' of " + intent +
                           " is the same, once folded, as the one at " +
                           it->second->where.ToString()}});
    }
  }
}

}  // namespace

std::vector<Finding> LintPack(const std::string& dir,
                              const Normalizer& normalizer) {
  std::vector<PackIssue> issues;
  const Result<std::shared_ptr<const Pack>> pack =
      LoadPack(dir, normalizer, &issues);
  std::vector<Finding> out;
  for (PackIssue& issue : issues) {
    out.push_back({Severity::kError, std::move(issue)});
  }
  if (pack.ok()) {
    for (PackIssue& issue : CheckStyle(**pack)) {
      out.push_back({Severity::kError, std::move(issue)});
    }
    for (const LocalePack& lp : (*pack)->locales) CheckPatterns(lp, &out);
    for (Finding& f : CheckReachability(**pack)) out.push_back(std::move(f));
  } else if (out.empty()) {
    out.push_back({Severity::kError, {dir, 0, pack.status().message()}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.issue.file, a.issue.line) <
                            std::tie(b.issue.file, b.issue.line);
                   });
  return out;
}

}  // namespace reply::lint

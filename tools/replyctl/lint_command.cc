// replyctl lint: every problem of one or more pack directories at once, each
// as `file:line: error|warning: reason` (tools/lint/pack_lint.h lists the
// checks). Exit 1 when any pack has an error; warnings alone pass.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/lint/pack_lint.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct LintOptions {
  std::vector<std::string> packs;
  std::string packs_flag;
};

int Run(const LintOptions& o) {
  Result<const Normalizer*> normalizer = Normalizer::Shared();
  if (!normalizer.ok()) {
    std::cerr << normalizer.status().ToString() << "\n";
    return kExitUsage;
  }
  std::vector<std::string> dirs = o.packs;
  if (dirs.empty()) dirs.push_back(PackDir(o.packs_flag));
  int total_errors = 0;
  for (const std::string& dir : dirs) {
    if (std::string hint = NotAPackDirectory(dir); !hint.empty()) {
      std::cerr << hint << "\n";
      ++total_errors;
      continue;
    }
    int errors = 0, warnings = 0;
    for (lint::Finding& f : lint::LintPack(dir, **normalizer)) {
      f.issue.file = PackPath(dir, f.issue.file);
      std::cout << f.ToString() << "\n";
      (f.severity == lint::Severity::kError ? errors : warnings)++;
    }
    std::cout << "lint " << dir << ": " << errors
              << (errors == 1 ? " error, " : " errors, ") << warnings
              << (warnings == 1 ? " warning" : " warnings") << "\n";
    total_errors += errors;
  }
  return total_errors > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddLintCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* cmd = app.add_subcommand(
      "lint",
      "Check pack directories as the server loads them, plus style, "
      "unreachable replies and patterns that run on every message");
  cmd->add_option("packs", options->packs,
                  "Pack directories (default --packs, $REPLY_PACKS or .)");
  cmd->add_option("--packs", options->packs_flag,
                  "Pack directory when none is given");
  cmd->callback([options, exit_code] { *exit_code = Run(*options); });
}

}  // namespace reply::ctl

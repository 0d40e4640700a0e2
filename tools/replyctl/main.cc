// replyctl: the template authors' tool. Suggest, explain, lint, test and
// evaluate packs without touching C++. `replyctl --help` lists the commands;
// docs/authoring.md ("replyctl") documents them with their exit codes.
#include <CLI/CLI.hpp>

#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

int main(int argc, char** argv) {
  CLI::App app{
      "replyctl: suggest, explain, lint, test and evaluate reply packs"};
  app.require_subcommand(1);
  int exit_code = reply::ctl::kExitOk;
  reply::ctl::AddSuggestCommand(app, &exit_code);
  reply::ctl::AddExplainCommand(app, &exit_code);
  reply::ctl::AddLintCommand(app, &exit_code);
  reply::ctl::AddTestCommand(app, &exit_code);
  reply::ctl::AddEvalCommand(app, &exit_code);
  reply::ctl::AddReportCommand(app, &exit_code);
  reply::ctl::AddFeedbackCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : reply::ctl::kExitUsage;
  }
  return exit_code;
}

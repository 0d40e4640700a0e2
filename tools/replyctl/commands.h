// The subcommands of replyctl, each in its own file. A command stores its
// exit code in *exit_code when it runs.
#ifndef REPLY_TOOLS_REPLYCTL_COMMANDS_H_
#define REPLY_TOOLS_REPLYCTL_COMMANDS_H_

namespace CLI {
class App;
}  // namespace CLI

namespace reply::ctl {

void AddSuggestCommand(CLI::App& app, int* exit_code);
void AddLintCommand(CLI::App& app, int* exit_code);
void AddTestCommand(CLI::App& app, int* exit_code);
void AddExplainCommand(CLI::App& app, int* exit_code);
void AddEvalCommand(CLI::App& app, int* exit_code);
void AddReportCommand(CLI::App& app, int* exit_code);
void AddFeedbackCommand(CLI::App& app, int* exit_code);

}  // namespace reply::ctl

#endif  // REPLY_TOOLS_REPLYCTL_COMMANDS_H_

// replyctl feedback purge: erases what buyers and agents wrote from replyd's
// feedback database, keeping the counts (learn/feedback_purge.h): one
// conversation's rows for a buyer's request (--conversation), or every row
// before a date (--before; replyd does this itself with
// --feedback-retention-days). Safe while replyd runs.
#include <CLI/CLI.hpp>
#include <iostream>

#include "learn/feedback_purge.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct PurgeOptions {
  std::string db;
  std::string conversation;
  std::string before;
};

int Purge(const PurgeOptions& o) {
  if (o.conversation.empty() == o.before.empty()) {
    std::cerr << "replyctl feedback purge: give --conversation ID or "
                 "--before DATE (one of them)\n";
    return kExitUsage;
  }
  Result<int64_t> erased = 0;
  if (!o.conversation.empty()) {
    erased = learn::PurgeConversation(o.db, o.conversation);
  } else {
    const std::optional<int64_t> before_ms =
        ParseWhenMs("feedback purge", "--before", o.before);
    if (!before_ms) return kExitUsage;
    erased = learn::EraseTextsBefore(o.db, *before_ms);
  }
  if (!erased.ok()) {
    std::cerr << "replyctl feedback purge: " << erased.status().message()
              << "\n";
    return kExitFailed;
  }
  std::cout << "erased the texts of " << *erased
            << " feedback rows (their counts are kept)\n";
  return kExitOk;
}

}  // namespace

void AddFeedbackCommand(CLI::App& app, int* exit_code) {
  CLI::App* feedback =
      app.add_subcommand("feedback", "Manage replyd's feedback database");
  feedback->require_subcommand(1);
  auto options = std::make_shared<PurgeOptions>();
  CLI::App* purge = feedback->add_subcommand(
      "purge",
      "Erase the texts (suggested and final) of feedback rows, keeping their "
      "counts: one conversation's, or all before a date");
  AddFeedbackDbOption(purge, &options->db);
  purge->add_option("--conversation", options->conversation,
                    "Erase this conversation's texts and id (a buyer's "
                    "request)");
  purge->add_option("--before", options->before,
                    "Erase the texts of rows given before this date "
                    "(2026-11-01, UTC) or RFC 3339 time");
  purge->callback([options, exit_code] { *exit_code = Purge(*options); });
}

}  // namespace reply::ctl

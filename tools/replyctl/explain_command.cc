// replyctl explain: why the engine answers a message the way it does — the
// normalized text, the patterns and excludes that fired (with the span they
// matched in the original message), the facts, each reply variant and why it
// was or was not offered, and the replies (engine/explain/explanation.h).
// --json prints the same as one JSON object, for tools. --db FILE ranks the
// replies as replyd learns from that feedback database (docs/learning.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "engine/api/json_codec.h"
#include "engine/explain/explanation.h"
#include "engine/select/ranking.h"
#include "learn/evidence_reader.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct ExplainOptions {
  std::string message;
  std::string packs;
  RequestFlags request;
  std::string db;  // a feedback database: explain the learned order
  bool json = false;
  bool trigger = false;
};

int Run(const ExplainOptions& o) {
  const std::string pack_dir = PackDir(o.packs);
  std::unique_ptr<Engine> engine = OpenEngine(pack_dir);
  if (!engine) return kExitUsage;
  if (!o.db.empty()) {
    // The order replyd would learn from this database right now.
    Result<Ranking::Evidence> evidence = learn::ReadEvidence(o.db);
    if (!evidence.ok()) {
      std::cerr << "error: " << evidence.status().message() << "\n";
      return kExitUsage;
    }
    engine->SetRanking(std::make_shared<const Ranking>(Ranking::Options{},
                                                       std::move(*evidence)));
  }
  std::optional<nlohmann::json> request_json =
      BuildRequest(o.message, o.request);
  if (!request_json) return kExitUsage;
  if (o.trigger) {
    request_json->erase("message");
    (*request_json)["trigger"] = true;
  }
  Result<Request> request = RequestFromJson(*request_json);
  if (request.ok()) request->shop = o.request.shop;
  Trace trace;
  Result<Response> response =
      request.ok() ? engine->Explain(*request, &trace) : request.status();
  if (!response.ok()) {
    std::cout << "error: " << response.status().ToString() << "\n";
    return kExitFailed;
  }
  const nlohmann::ordered_json explanation =
      BuildExplanation(*request, *response, trace, pack_dir);
  if (o.json) {
    std::cout << explanation.dump(2) << "\n";
  } else {
    PrintExplanation(explanation, std::cout);
  }
  return kExitOk;
}

}  // namespace

void AddExplainCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Show why a message gets the replies it gets: patterns, excludes, "
      "facts, each variant's condition, the replies");
  AddRequestOptions(cmd, &options->message, &options->request, &options->packs);
  cmd->add_flag("--json", options->json, "Print the explanation as JSON");
  cmd->add_option("--db", options->db,
                  "A feedback database (replyd's --db): rank replies as "
                  "learned from it, and show each one's prior, evidence and "
                  "rank");
  cmd->add_flag("--trigger", options->trigger,
                "Proactive: explain what the shop would tell the buyer about "
                "--order, no message");
  cmd->callback([options, exit_code] {
    if (options->message.empty() && !options->trigger) {
      throw CLI::ValidationError("message", "give a message or --trigger");
    }
    *exit_code = Run(*options);
  });
}

}  // namespace reply::ctl

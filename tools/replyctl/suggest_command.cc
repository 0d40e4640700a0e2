// replyctl suggest: the engine's answer to one message, or to a stream of
// JSON requests (--jsonl), exactly as the server computes it.
#include <CLI/CLI.hpp>
#include <iostream>

#include "engine/api/json_codec.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct SuggestOptions {
  std::string message;
  std::string packs;
  RequestFlags request;
  bool json = false;
  bool jsonl = false;
  bool trigger = false;
};

void PrintReadable(const nlohmann::json& response) {
  if (response.contains("error")) {
    std::cout << "error: " << response["error"]["code"].get<std::string>()
              << ": " << response["error"]["message"].get<std::string>()
              << "\n";
    return;
  }
  std::cout << "normalized: " << response["normalized"].get<std::string>()
            << "   script: " << response["script"].get<std::string>()
            << "   locale: " << response["locale"].get<std::string>() << "\n";
  std::cout << "intents:\n";
  if (response["intents"].empty()) std::cout << "  (none)\n";
  for (const auto& intent : response["intents"]) {
    std::cout << "  " << intent["name"].get<std::string>() << "  "
              << intent["score"].get<double>() << "  "
              << intent["pattern"].get<std::string>() << "\n";
  }
  std::cout << "suggestions:\n";
  if (response["suggestions"].empty()) std::cout << "  (none)\n";
  int n = 1;
  for (const auto& s : response["suggestions"]) {
    std::cout << "  " << n++ << ". [" << s["template"].get<std::string>() << "]"
              << (s["handoff"].get<bool>() ? " (hand off to a person)" : "")
              << "\n     " << s["text"].get<std::string>() << "\n";
  }
}

int RunJsonl(const Engine& engine, const std::string& shop) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    if (shop.empty()) {
      std::cout << engine.SuggestJson(line) << "\n";
      continue;
    }
    Result<Request> parsed = ParseRequest(line);
    if (parsed.ok()) parsed->shop = shop;
    Result<Response> answer =
        parsed.ok() ? engine.Suggest(*parsed) : parsed.status();
    std::cout << (answer.ok() ? ResponseToJson(*answer)
                              : ErrorToJson(answer.status()))
              << "\n";
  }
  std::cout.flush();
  return kExitOk;
}

int Run(const SuggestOptions& o) {
  std::unique_ptr<Engine> engine = OpenEngine(PackDir(o.packs));
  if (!engine) return kExitUsage;
  if (o.jsonl) return RunJsonl(*engine, o.request.shop);
  std::optional<nlohmann::json> request = BuildRequest(o.message, o.request);
  if (!request) return kExitUsage;
  if (o.trigger) {
    request->erase("message");
    (*request)["trigger"] = true;
  }
  // As SuggestJson does, without a round trip through JSON text (which
  // would throw on a message of invalid UTF-8 from the command line).
  Result<Request> parsed = RequestFromJson(*request);
  if (parsed.ok()) parsed->shop = o.request.shop;
  Result<Response> answer =
      parsed.ok() ? engine->Suggest(*parsed) : parsed.status();
  const std::string out =
      answer.ok() ? ResponseToJson(*answer) : ErrorToJson(answer.status());
  const nlohmann::json response = nlohmann::json::parse(out);
  if (o.json) {
    std::cout << out << "\n";
  } else {
    PrintReadable(response);
  }
  return response.contains("error") ? kExitFailed : kExitOk;
}

}  // namespace

void AddSuggestCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<SuggestOptions>();
  CLI::App* cmd = app.add_subcommand("suggest",
                                     "Suggest replies for a message (or, with "
                                     "--jsonl, for JSON requests on stdin)");
  AddRequestOptions(cmd, &options->message, &options->request, &options->packs);
  cmd->add_flag("--json", options->json, "Print the JSON response");
  cmd->add_flag(
      "--jsonl", options->jsonl,
      "Read one JSON request per line on stdin, write one response per line");
  cmd->add_flag(
      "--trigger", options->trigger,
      "Proactive: suggest what to tell the buyer about --order, no message");
  cmd->callback([options, exit_code] {
    if (!options->jsonl && options->message.empty() && !options->trigger) {
      throw CLI::ValidationError("message",
                                 "give a message, --trigger or --jsonl");
    }
    *exit_code = Run(*options);
  });
}

}  // namespace reply::ctl

#include "tools/replyctl/common.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/api/json_parse.h"
#include "engine/base/time.h"
#include "engine/pack/pack_loader.h"

namespace reply::ctl {

std::string PackDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("REPLY_PACKS"); env != nullptr && *env) {
    return env;
  }
  return ".";
}

void AddRequestOptions(CLI::App* cmd, std::string* message, RequestFlags* flags,
                       std::string* packs) {
  cmd->add_option("message", *message, "The buyer's message");
  cmd->add_option("--order", flags->order_file,
                  "Order JSON file (docs/orders.md)");
  cmd->add_option("--history", flags->history_file,
                  "The conversation before the message: a JSON file of turns, "
                  "oldest first (docs/api.md, history)");
  cmd->add_option("--now", flags->now, "Pin the clock: RFC 3339 time");
  cmd->add_option("--locale", flags->locale,
                  "zh, vi, zh-TW, zh-HK; default: from the script");
  cmd->add_option("--max", flags->max, "Suggestions wanted (1-10)")
      ->check(CLI::Range(1, 10));
  cmd->add_option("--shop", flags->shop,
                  "Answer as this shop (shops/<id>.yaml); default shop.yaml");
  cmd->add_option("--packs", *packs,
                  "Pack directory (default $REPLY_PACKS or .)");
}

std::string PackPath(const std::string& pack_dir, const std::string& file) {
  if (pack_dir.empty() || pack_dir == ".") return file;
  return (std::filesystem::path(pack_dir) / file).string();
}

std::string NotAPackDirectory(const std::string& pack_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(fs::path(pack_dir) / "shop.yaml", ec) ||
      fs::is_directory(fs::path(pack_dir) / "intents", ec)) {
    return "";
  }
  const std::string shown =
      pack_dir == "." ? fs::current_path(ec).string() : pack_dir;
  return "replyctl: " + shown +
         " is not a pack directory (it has neither shop.yaml nor intents/); "
         "run replyctl inside one, or point at one with --packs DIR or "
         "REPLY_PACKS=DIR (the repository's root is one)";
}

std::unique_ptr<Engine> OpenEngine(const std::string& pack_dir) {
  // Not a pack at all: one line that says how to point at one, instead of
  // every file the loader misses.
  if (std::string hint = NotAPackDirectory(pack_dir); !hint.empty()) {
    std::cerr << hint << "\n";
    return nullptr;
  }
  std::vector<PackIssue> issues;
  Result<std::unique_ptr<Engine>> engine =
      Engine::Open({.pack_dir = pack_dir}, &issues);
  if (engine.ok()) return std::move(*engine);
  if (issues.empty()) {
    std::cerr << engine.status().ToString() << "\n";
  } else {
    for (const PackIssue& issue : issues) {
      std::cerr << PackPath(pack_dir, issue.file)
                << (issue.line > 0 ? ":" + std::to_string(issue.line) : "")
                << ": " << issue.message << "\n";
    }
  }
  return nullptr;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot open\n";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<nlohmann::json> BuildRequest(const std::string& message,
                                           const RequestFlags& flags) {
  nlohmann::json request = {{"message", message}, {"max", flags.max}};
  if (!flags.order_file.empty()) {
    std::optional<std::string> text = ReadFile(flags.order_file);
    if (!text) return std::nullopt;
    Result<nlohmann::json> order = ParseJson(*text, "the order", "order");
    if (!order.ok()) {
      std::cerr << flags.order_file << ": " << order.status().message() << "\n";
      return std::nullopt;
    }
    request["order"] = std::move(*order);
  }
  if (!flags.history_file.empty()) {
    std::optional<std::string> text = ReadFile(flags.history_file);
    if (!text) return std::nullopt;
    Result<nlohmann::json> history = ParseJson(*text, "the history", "history");
    if (!history.ok()) {
      std::cerr << flags.history_file << ": " << history.status().message()
                << "\n";
      return std::nullopt;
    }
    request["history"] = std::move(*history);
  }
  if (!flags.now.empty()) request["now"] = flags.now;
  if (!flags.locale.empty()) request["locale"] = flags.locale;
  return request;
}

void AddFeedbackDbOption(CLI::App* cmd, std::string* db) {
  cmd->add_option("--db", *db, "The feedback database (replyd's --db)")
      ->required();
}

std::optional<int64_t> ParseWhenMs(const std::string& command,
                                   const std::string& flag,
                                   const std::string& text) {
  const std::string full =
      text.size() == 10 ? text + "T00:00:00Z" : text;  // 2026-11-01
  Result<UnixSeconds> t = ParseRfc3339(full);
  if (!t.ok()) {
    std::cerr << "replyctl " << command << ": " << flag << " " << text << ": "
              << t.status().message()
              << " (give a date, 2026-11-01, or a time, "
                 "2026-11-01T09:00:00+08:00)\n";
    return std::nullopt;
  }
  return *t * 1000;
}

}  // namespace reply::ctl

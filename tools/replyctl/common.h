// Shared plumbing of replyctl's commands: opening the packs, reading files,
// building engine requests from command-line flags, the flags of the
// commands that read replyd's feedback database.
#ifndef REPLY_TOOLS_REPLYCTL_COMMON_H_
#define REPLY_TOOLS_REPLYCTL_COMMON_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/engine.h"

namespace CLI {
class App;
}  // namespace CLI

namespace reply::ctl {

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // a check failed, a request was bad
inline constexpr int kExitUsage = 2;   // bad flags, packs that do not load

// The pack directory: --packs, else $REPLY_PACKS, else the current directory.
std::string PackDir(const std::string& flag);

// A file of a pack as an author opens it from the current directory: the
// pack-relative `file` under `pack_dir` (unchanged when that is ".").
std::string PackPath(const std::string& pack_dir, const std::string& file);

// "replyctl: /tmp is not a pack directory ...; ... --packs DIR or
// REPLY_PACKS=DIR" when `pack_dir` has neither shop.yaml nor intents/;
// "" when it looks like a pack (whose problems the loader names).
std::string NotAPackDirectory(const std::string& pack_dir);

// Opens the engine on the packs, printing every pack problem to stderr (or
// only NotAPackDirectory's hint).
std::unique_ptr<Engine> OpenEngine(const std::string& pack_dir);

// Reads a whole file; nullopt (with a message on stderr) on failure.
std::optional<std::string> ReadFile(const std::string& path);

// The options a request can take on the command line.
struct RequestFlags {
  std::string order_file;
  std::string now;
  std::string locale;
  std::string history_file;  // a JSON array of turns, as `history`
  int max = 3;
  std::string shop;  // Request::shop: shops/<id>.yaml; empty: shop.yaml
};

// Registers the message argument, the request flags (--order, --history,
// --now, --locale, --max, --shop) and --packs on a command that answers one message.
void AddRequestOptions(CLI::App* cmd, std::string* message, RequestFlags* flags,
                       std::string* packs);

// Builds the JSON request for `message` and the flags; nullopt (with a
// message on stderr) when the order or history file cannot be read or
// parsed.
std::optional<nlohmann::json> BuildRequest(const std::string& message,
                                           const RequestFlags& flags);

// Registers --db, the feedback database (replyd's --db), as required.
void AddFeedbackDbOption(CLI::App* cmd, std::string* db);

// `text` of `flag` -- a date (2026-11-01: midnight UTC) or an RFC 3339
// time -- as milliseconds since the Unix epoch; nullopt after telling
// stderr why ("replyctl <command>: <flag> <text>: ...") and what to give.
std::optional<int64_t> ParseWhenMs(const std::string& command,
                                   const std::string& flag,
                                   const std::string& text);

}  // namespace reply::ctl

#endif  // REPLY_TOOLS_REPLYCTL_COMMON_H_

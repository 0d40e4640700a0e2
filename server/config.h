// ServerConfig: every setting of replyd, with the defaults it runs with, and
// ParseFlags, which fills it from the command line and an optional config
// file (--config FILE) holding the same settings.
//
//   ServerConfig config;
//   FlagsOutcome outcome = ParseFlags(argc, argv, &config);
//   if (outcome.exit) { std::cout << outcome.output; return outcome.exit_code;
//   }
//
// The defaults are meant to be safe on the internet: small frames, a rate
// limit, timeouts, a bounded write queue. Local tools that need more (the
// load generator) raise them explicitly.
//
// Config file: the INI/TOML form CLI11 reads, one `name = value` per line
// with the flag's long name; repeatable flags take arrays:
//   listen = "0.0.0.0:8080"
//   allow-origin = ["https://shop.example", "https://admin.example"]
//   rate-limit = 20
// Flags given on the command line win over the file.
//
// Thread safety: a plain value; read-only once the server starts.
#ifndef REPLY_SERVER_CONFIG_H_
#define REPLY_SERVER_CONFIG_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace reply {
struct Pack;  // engine/pack/pack.h
}  // namespace reply

namespace reply::server {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  std::string packs = ".";                // pack directory (docs/authoring.md)
  std::string db = "replyd-feedback.db";  // SQLite feedback store
  std::string web = "web";                // static files served at /
  // Origins allowed to open /ws from a browser. Empty: only pages served by
  // replyd itself under an allowed host name (server/access.h).
  std::vector<std::string> allow_origins;
  // Host names served besides localhost, 127.0.0.1 and [::1] (and, on a
  // non-loopback address, IP literals). Checked without --token, or when
  // given (server/access.h).
  std::vector<std::string> allow_hosts;
  // Shop tokens; empty: no authentication (local use only, logged at start).
  std::vector<std::string> tokens;
  // The tokens file: `SHOP_ID TOKEN` per line (server/shop_tokens.h). Its
  // tokens make a client that shop's; --token ones the default shop's.
  std::string tokens_file;
  // Allows `reload` over the protocol; also valid wherever a shop token is.
  std::string admin_token;
  int threads = 0;  // I/O threads; 0: one per core

  // Limits.
  size_t max_frame_bytes = 64 * 1024;  // bigger frames: close 1009
  size_t max_connections = 10000;      // HTTP and WebSocket together
  double rate_limit = 50;              // frames per second per connection
  double rate_burst = 100;             // frames allowed at once
  int rate_strikes = 20;               // rate-limited frames in a row: close
  size_t max_write_queue = 256;  // queued responses; more: slow reader, close
  int64_t handshake_timeout_ms = 10'000;  // HTTP request and WS handshake
  int64_t idle_timeout_ms = 60'000;       // a ping at half, close at full
  int64_t shutdown_timeout_ms = 10'000;   // SIGTERM: drain this long at most
  // Suggestions remembered for their feedback (about 0.5 KiB each).
  size_t suggestion_capacity = 100'000;
  int64_t suggestion_ttl_s = 3600;
  // Keys of the suggestion ids' HMAC, shared by the cluster
  // (server/suggestion_signer.h); empty: a random key of this process.
  std::string suggestion_key_file;
  int64_t db_busy_timeout_ms = 5'000;    // SQLite waits this long for a lock
  size_t max_pending_feedback = 10'000;  // queued rows; more: error internal
  bool watch_packs = true;               // reload when a pack file changes
  // Order reply variants by what agents did with them (docs/learning.md),
  // recomputed from the database this often; off: the authors' order.
  bool learn = true;
  int64_t learn_interval_s = 60;
  // Feedback texts (the suggestion as sent, the agent's final text) are
  // erased this many days after they were given, the counts kept
  // (server/retention.h); 0: kept forever.
  int64_t feedback_retention_days = 30;
  std::string log_level = "info";  // debug, info, warn, error
  // `packs` already loaded, by a program rather than a flag (the tests,
  // which start many servers on the bundled packs): served instead of a
  // load at start (Engine::Options::loaded); a reload reads `packs`.
  std::shared_ptr<const Pack> loaded_packs = nullptr;
};

struct FlagsOutcome {
  bool exit = false;  // --help, or a flag error: print output, exit_code
  int exit_code = 0;
  std::string output;
};

FlagsOutcome ParseFlags(int argc, const char* const* argv,
                        ServerConfig* config);

}  // namespace reply::server

#endif  // REPLY_SERVER_CONFIG_H_

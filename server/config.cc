#include "server/config.h"

#include <CLI/CLI.hpp>
#include <sstream>

#include "server/access.h"

namespace reply::server {

FlagsOutcome ParseFlags(int argc, const char* const* argv, ServerConfig* c) {
  CLI::App app{
      "replyd: serves reply suggestions over WebSocket (docs/protocol.md)"};
  app.set_config("--config", "", "Read these settings from an INI/TOML file");
  // Given twice (a wrapper script's default, then the user's), the last
  // wins, as in most servers' flags, rather than failing the start.
  app.add_option("--listen", c->listen, "HOST:PORT to listen on")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--packs", c->packs, "Pack directory")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--db", c->db,
                 "Feedback store: a SQLite file, or a PostgreSQL URL "
                 "(postgresql://user@host:port/db)")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--web", c->web, "Directory of static files served at /")
      ->capture_default_str();
  app.add_option(
      "--allow-origin", c->allow_origins,
      "Origin allowed to open /ws (repeatable); none: pages served by replyd");
  app.add_option("--allow-host", c->allow_hosts,
                 "Host name served besides localhost, 127.0.0.1, [::1] "
                 "(repeatable; no port)")
      ->check(CLI::Validator(
          [](const std::string& name) {
            return ValidHostName(name)
                       ? std::string()
                       : "expected a host name without a port, got " + name;
          },
          "NAME"));
  app.add_option("--token", c->tokens,
                 "Shop token clients must present (repeatable); none: no auth");
  app.add_option("--tokens-file", c->tokens_file,
                 "File of `SHOP_ID TOKEN` lines: each token makes its client "
                 "that shop's (shops/<id>.yaml); read again on every reload");
  app.add_option("--admin-token", c->admin_token,
                 "Token that may also send `reload`");
  app.add_option("--threads", c->threads, "I/O threads; 0: one per core")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app.add_option("--max-frame-bytes", c->max_frame_bytes,
                 "Largest WebSocket message; bigger: close 1009")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{16} << 20));
  app.add_option("--max-connections", c->max_connections,
                 "Open connections at most (HTTP and WebSocket)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rate-limit", c->rate_limit,
                 "Frames per second per connection")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rate-burst", c->rate_burst,
                 "Frames a connection may send at once")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e9));
  app.add_option("--rate-strikes", c->rate_strikes,
                 "Rate-limited frames in a row before the connection is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--max-write-queue", c->max_write_queue,
                 "Responses queued for a connection; more: it is closed")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1} << 20));
  app.add_option("--handshake-timeout-ms", c->handshake_timeout_ms,
                 "Time to send the HTTP request / complete the handshake")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{10}, int64_t{600'000}));
  app.add_option("--idle-timeout-ms", c->idle_timeout_ms,
                 "Silent connections get a ping at half this, are closed at it")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{10}, int64_t{86'400'000}));
  app.add_option("--shutdown-timeout-ms", c->shutdown_timeout_ms,
                 "On SIGTERM, wait this long at most for connections to drain")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{600'000}));
  app.add_option("--suggestion-capacity", c->suggestion_capacity,
                 "Suggestions remembered for feedback (oldest dropped first)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{16}, size_t{100'000'000}));
  app.add_option("--suggestion-ttl-s", c->suggestion_ttl_s,
                 "Seconds a suggestion accepts feedback")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{30} * 86400));
  app.add_option("--suggestion-key-file", c->suggestion_key_file,
                 "Hex keys (one a line; the first signs) of the suggestion "
                 "ids' HMAC, shared by every server; none: a random key, "
                 "ids die with the process")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--db-busy-timeout-ms", c->db_busy_timeout_ms,
                 "How long a feedback write waits for a locked database")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{600'000}));
  app.add_option("--max-pending-feedback", c->max_pending_feedback,
                 "Feedback rows waiting to be written; more: error internal")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}));
  // Two flags rather than CLI11's "--watch-packs,!--no-watch-packs", whose
  // help reads "--watch-packs,--no-watch-packs{false}" beside a setting
  // that is on. --no-watch-packs wins when both are given.
  app.add_flag("--watch-packs", c->watch_packs,
               "Reload when a file under --packs changes (on by default)");
  app.add_flag_callback(
      "--no-watch-packs", [c] { c->watch_packs = false; },
      "Do not reload when pack files change (reload with SIGHUP or a "
      "`reload` message instead)");
  app.add_option("--learn-interval-s", c->learn_interval_s,
                 "Seconds between recomputing the learned order of replies "
                 "from the feedback database")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{86'400}));
  app.add_flag_callback(
      "--no-learn", [c] { c->learn = false; },
      "Offer replies in the authors' order; do not learn from feedback");
  app.add_option("--feedback-retention-days", c->feedback_retention_days,
                 "Days after which feedback texts (suggested and final) are "
                 "erased, the counts kept; 0: keep them")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{36'500}));
  app.add_option("--log-level", c->log_level,
                 "debug shows buyers' messages; keep it off in production")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  FlagsOutcome outcome;
  try {
    app.parse(argc, argv);
    if (c->listen.rfind(':') == std::string::npos) {
      throw CLI::ValidationError("--listen",
                                 "expected HOST:PORT, got " + c->listen);
    }
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    outcome.exit = true;
    outcome.exit_code = app.exit(e, out, err);
    outcome.output = out.str() + err.str();
  }
  return outcome;
}

}  // namespace reply::server

// PgConnection: one libpq connection to a PostgreSQL feedback database, with
// errors as values. Used by the PostgreSQL feedback store (server/) and the
// learning and report reader (learn/pg_reader.h).
//
//   Result<std::unique_ptr<PgConnection>> c =
//       PgConnection::Connect("postgresql://replyd@db/replyd");
//   Result<PgResult> r = (*c)->Exec("SELECT count(*) FROM feedback");
//   int64_t n = r->Int(0, 0);
//
// A connection the server has dropped (a restart, a network cut) stays
// broken until Reconnect(); Exec reports it. Connecting waits at most
// kConnectTimeoutS seconds (unless the URL says connect_timeout=).
//
// A statement waits at most the connection's query timeout (by default
// kQueryTimeoutMs) for its answer: a server that stops answering without
// closing the connection (hung, frozen, a network cut that TCP has not yet
// noticed) would otherwise hold the calling thread, the feedback store's
// writer, for as long as TCP retransmits (~15 minutes on Linux). Then the
// connection is closed (the server rolls back a transaction it had not
// committed; a COMMIT whose answer never came has an unknown outcome, as
// with any lost connection) and Exec fails; Reconnect() opens a new one. libpq has no such
// timeout (statement_timeout is the server's and needs it to be running),
// so Exec drives libpq's asynchronous calls and polls the socket.
//
// Thread safety: a connection is used by one thread at a time.
#ifndef REPLY_LEARN_PG_CONNECTION_H_
#define REPLY_LEARN_PG_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"

struct pg_conn;
struct pg_result;

namespace reply::learn {

// Whether `db` (a --db value) names a PostgreSQL database rather than a
// SQLite file: a postgresql:// or postgres:// URL.
bool IsPostgresUrl(std::string_view db);

// Whether libpq can read `url` (not whether the server answers): fails
// naming the (redacted) URL and libpq's reason.
Status CheckPostgresUrl(const std::string& url);

// `url` with its password, if any, replaced by "***": for logs and errors.
std::string RedactUrl(std::string_view url);

// The rows of one statement's result, owned.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  ~PgResult();

  int rows() const;
  std::optional<std::string> OptText(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;  // 0 for NULL
  // The rows an UPDATE, INSERT or DELETE changed.
  int64_t Changed() const;

 private:
  friend class PgConnection;
  pg_result* result_;
};

class PgConnection {
 public:
  static constexpr int kConnectTimeoutS = 5;
  // A store's commit takes milliseconds and a report's read well under a
  // second on a million rows; 10 s leaves room for a loaded server.
  static constexpr int kQueryTimeoutMs = 10'000;

  // Fails with the (redacted) URL and libpq's reason. `query_timeout_ms`:
  // how long a statement may wait for its answer (a test shortens it).
  static Result<std::unique_ptr<PgConnection>> Connect(
      const std::string& url, int query_timeout_ms = kQueryTimeoutMs);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement; `params` ($1, $2, ...) are text, nullopt for NULL.
  // Without parameters `sql` may be several statements.
  Result<PgResult> Exec(
      const std::string& sql,
      const std::vector<std::optional<std::string>>& params = {}) const;
  // The same with int8 parameters.
  Result<PgResult> ExecInts(const std::string& sql,
                            const std::vector<int64_t>& params) const;
  // Whether the connection is lost (its next Exec would fail).
  bool Broken() const;
  // Connects again with the same URL.
  Status Reconnect();
  const std::string& redacted_url() const { return redacted_url_; }

 private:
  PgConnection(std::string url, pg_conn* conn, int query_timeout_ms);
  Result<PgResult> ExecTyped(
      const std::string& sql,
      const std::vector<std::optional<std::string>>& params, bool int8) const;
  // Sends what libpq holds and waits until the next result can be read
  // without blocking; past `deadline`, fails with the connection closed.
  Status AwaitResult(std::chrono::steady_clock::time_point deadline) const;
  // The connection closed after a failure whose state is unknown.
  Status Abandon(const std::string& why) const;

  const std::string url_;
  const std::string redacted_url_;
  const int query_timeout_ms_;
  // Replaced by Reconnect(); Abandon() closes it (mutable: Exec is const).
  mutable pg_conn* conn_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_PG_CONNECTION_H_

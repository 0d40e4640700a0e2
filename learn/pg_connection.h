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
// Thread safety: a connection is used by one thread at a time.
#ifndef REPLY_LEARN_PG_CONNECTION_H_
#define REPLY_LEARN_PG_CONNECTION_H_

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

  // Fails with the (redacted) URL and libpq's reason.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);
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
  PgConnection(std::string url, pg_conn* conn);
  Result<PgResult> ExecTyped(
      const std::string& sql,
      const std::vector<std::optional<std::string>>& params, bool int8) const;

  const std::string url_;
  const std::string redacted_url_;
  pg_conn* conn_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_PG_CONNECTION_H_

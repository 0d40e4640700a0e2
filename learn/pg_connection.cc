#include "learn/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <utility>

namespace reply::learn {
namespace {

// The type of int8 parameters (pg_type.h's INT8OID, stable since 7.x).
constexpr Oid kInt8Oid = 20;

// libpq's messages end in a newline.
std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown error" : s;
}

// The server's notices ("relation already exists, skipping") are not
// errors: libpq would print them to stderr.
void IgnoreNotice(void*, const char*) {}

pg_conn* Open(const std::string& url) {
  // Processed in order, the later value kept: the URL may override these.
  const std::string timeout = std::to_string(PgConnection::kConnectTimeoutS);
  const char* keywords[] = {"connect_timeout", "application_name",
                            "client_encoding", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "replyd", "UTF8", url.c_str(),
                          nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn != nullptr) {
    PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
    // Sending never blocks either: AwaitAnswer flushes with the deadline.
    if (PQstatus(conn) == CONNECTION_OK) PQsetnonblocking(conn, 1);
  }
  return conn;
}

}  // namespace

bool IsPostgresUrl(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string RedactUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t at = url.find('@', scheme + 3);
  const size_t colon = url.find(':', scheme + 3);
  if (at == std::string_view::npos || colon == std::string_view::npos ||
      colon > at) {
    return std::string(url);
  }
  return std::string(url.substr(0, colon + 1)) + "***" +
         std::string(url.substr(at));
}

Status CheckPostgresUrl(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options != nullptr) {
    PQconninfoFree(options);
    return Status::Ok();
  }
  Status s = Status::BadRequest(
      "cannot read the PostgreSQL URL " + RedactUrl(url) + ": " +
      (error != nullptr ? Trimmed(error) : "no memory") +
      "; expected postgresql://user@host:port/database");
  PQfreemem(error);
  return s;
}

PgResult::PgResult(PgResult&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

PgResult::~PgResult() { PQclear(result_); }

int PgResult::rows() const { return PQntuples(result_); }

std::optional<std::string> PgResult::OptText(int row, int column) const {
  if (PQgetisnull(result_, row, column)) return std::nullopt;
  return std::string(PQgetvalue(result_, row, column),
                     PQgetlength(result_, row, column));
}

std::string PgResult::Text(int row, int column) const {
  return OptText(row, column).value_or("");
}

int64_t PgResult::Int(int row, int column) const {
  if (PQgetisnull(result_, row, column)) return 0;
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

int64_t PgResult::Changed() const {
  return std::strtoll(PQcmdTuples(result_), nullptr, 10);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& url, int query_timeout_ms) {
  pg_conn* conn = Open(url);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Status s = Status::IoError(
        "cannot connect to PostgreSQL at " + RedactUrl(url) + ": " +
        (conn ? Trimmed(PQerrorMessage(conn)) : "no memory") +
        "; is the server running, and does the URL name its host, port, "
        "user and database?");
    PQfinish(conn);
    return s;
  }
  return std::unique_ptr<PgConnection>(
      new PgConnection(url, conn, query_timeout_ms));
}

PgConnection::PgConnection(std::string url, pg_conn* conn, int query_timeout_ms)
    : url_(std::move(url)),
      redacted_url_(RedactUrl(url_)),
      query_timeout_ms_(query_timeout_ms),
      conn_(conn) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Status PgConnection::Reconnect() {
  PQfinish(conn_);
  conn_ = Open(url_);
  if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
    return Status::Ok();
  }
  return Status::IoError(
      "cannot connect to PostgreSQL at " + redacted_url_ + ": " +
      (conn_ ? Trimmed(PQerrorMessage(conn_)) : "no memory"));
}

Result<PgResult> PgConnection::Exec(
    const std::string& sql,
    const std::vector<std::optional<std::string>>& params) const {
  return ExecTyped(sql, params, /*int8=*/false);
}

Result<PgResult> PgConnection::ExecInts(
    const std::string& sql, const std::vector<int64_t>& params) const {
  std::vector<std::optional<std::string>> text;
  for (int64_t p : params) text.push_back(std::to_string(p));
  return ExecTyped(sql, text, /*int8=*/true);
}

Result<PgResult> PgConnection::ExecTyped(
    const std::string& sql,
    const std::vector<std::optional<std::string>>& params, bool int8) const {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (const auto& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
    lengths.push_back(p ? static_cast<int>(p->size()) : 0);
  }
  const std::vector<Oid> types(params.size(), kInt8Oid);
  if (Broken()) return Abandon("the connection is lost");
  // Without parameters, the simple protocol: it runs a script of several
  // statements (the schema), which the extended protocol refuses.
  const int sent =
      params.empty() ? PQsendQuery(conn_, sql.c_str())
                     : PQsendQueryParams(
                           conn_, sql.c_str(), static_cast<int>(params.size()),
                           int8 ? types.data() : nullptr, values.data(),
                           lengths.data(), nullptr, /*resultFormat=*/0);
  if (!sent) return Abandon(Trimmed(PQerrorMessage(conn_)));
  // One result per statement: the last is the answer, unless one failed
  // (then the script stopped there).
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(query_timeout_ms_);
  PgResult answer(nullptr);
  std::optional<std::string> failed;
  for (;;) {
    if (Status s = AwaitResult(deadline); !s.ok()) return s;
    pg_result* r = PQgetResult(conn_);
    if (r == nullptr) break;
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !failed) {
      failed = Trimmed(PQresultErrorMessage(r));
    }
    answer = PgResult(r);
  }
  if (failed) {
    return Status::IoError("PostgreSQL at " + redacted_url_ + ": " + *failed);
  }
  if (answer.result_ == nullptr) return Abandon("no answer");
  return answer;
}

Status PgConnection::AwaitResult(
    std::chrono::steady_clock::time_point deadline) const {
  bool flushed = false;
  for (;;) {
    if (!flushed) {
      const int f = PQflush(conn_);
      if (f < 0) return Abandon(Trimmed(PQerrorMessage(conn_)));
      flushed = f == 0;
    }
    if (flushed && !PQisBusy(conn_)) return Status::Ok();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Abandon("no answer within " + std::to_string(query_timeout_ms_) +
                     " ms (the server hung, or the network is cut); the "
                     "connection was closed");
    }
    pollfd fd{.fd = PQsocket(conn_),
              .events = static_cast<short>(POLLIN | (flushed ? 0 : POLLOUT)),
              .revents = 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return Abandon("poll failed");
    if (ready > 0 && (fd.revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
        !PQconsumeInput(conn_)) {
      return Abandon(Trimmed(PQerrorMessage(conn_)));
    }
  }
}

Status PgConnection::Abandon(const std::string& why) const {
  PQfinish(conn_);
  conn_ = nullptr;
  return Status::IoError("PostgreSQL at " + redacted_url_ + ": " + why);
}

}  // namespace reply::learn

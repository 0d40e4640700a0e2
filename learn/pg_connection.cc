#include "learn/pg_connection.h"

#include <libpq-fe.h>

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
  if (conn != nullptr) PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
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
    const std::string& url) {
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
  return std::unique_ptr<PgConnection>(new PgConnection(url, conn));
}

PgConnection::PgConnection(std::string url, pg_conn* conn)
    : url_(std::move(url)), redacted_url_(RedactUrl(url_)), conn_(conn) {}

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
  // Without parameters, PQexec: it runs a script of several statements
  // (the schema), which the extended protocol refuses.
  PgResult result(
      params.empty()
          ? PQexec(conn_, sql.c_str())
          : PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()),
                         int8 ? types.data() : nullptr, values.data(),
                         lengths.data(), nullptr, /*resultFormat=*/0));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Status::IoError("PostgreSQL at " + redacted_url_ + ": " +
                           Trimmed(PQerrorMessage(conn_)));
  }
  return result;
}

}  // namespace reply::learn

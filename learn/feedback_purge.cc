#include "learn/feedback_purge.h"

#include <sqlite3.h>

#include <memory>

#include "learn/pg_connection.h"

namespace reply::learn {
namespace {

constexpr int64_t kChunk = 10'000;  // rows by id per transaction

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Status Error(const std::string& path, sqlite3* db, const std::string& what) {
  return Status::IoError(path + ": " + what + ": " + sqlite3_errmsg(db) +
                         " (is it replyd's --db, and writable?)");
}

Result<Db> OpenWritable(const std::string& path, int64_t busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return Error(path, raw, "cannot open");
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout_ms));
  return db;
}

// Runs `sql` (parameters: id from, id to, then `text` if not empty) over
// the ids 1..max(id) in chunks; the rows changed.
Result<int64_t> Chunked(const std::string& path, sqlite3* db, const char* sql,
                        int64_t number, const std::string& text) {
  sqlite3_stmt* max_stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(id), 0) FROM feedback", -1,
                         &max_stmt, nullptr) != SQLITE_OK) {
    return Error(path, db, "not a feedback database");
  }
  int64_t max_id = 0;
  if (sqlite3_step(max_stmt) == SQLITE_ROW) {
    max_id = sqlite3_column_int64(max_stmt, 0);
  }
  sqlite3_finalize(max_stmt);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Error(path, db, "not a feedback database");
  }
  int64_t changed = 0;
  for (int64_t from = 0; from < max_id; from += kChunk) {
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, from + kChunk);
    if (text.empty()) {
      sqlite3_bind_int64(stmt, 3, number);
    } else {
      sqlite3_bind_text(stmt, 3, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT);
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      Status s = Error(path, db, "cannot erase");
      sqlite3_finalize(stmt);
      return s;
    }
    changed += sqlite3_changes(db);
  }
  sqlite3_finalize(stmt);
  return changed;
}

// The same over PostgreSQL: `sql` with $1, $2 (the id range) and $3.
Result<int64_t> PgChunked(const std::string& url, const char* sql,
                          const std::string& third) {
  Result<std::unique_ptr<PgConnection>> db = PgConnection::Connect(url);
  if (!db.ok()) return db.status();
  Result<PgResult> max =
      (*db)->Exec("SELECT COALESCE(MAX(id), 0) FROM feedback");
  if (!max.ok()) {
    return Status::IoError(max.status().message() +
                           " (is it replyd's --db, after replyd created it?)");
  }
  const int64_t max_id = max->Int(0, 0);
  int64_t changed = 0;
  for (int64_t from = 0; from < max_id; from += kChunk) {
    Result<PgResult> r = (*db)->Exec(
        sql, {std::to_string(from), std::to_string(from + kChunk), third});
    if (!r.ok()) return r.status();
    changed += r->Changed();
  }
  return changed;
}

}  // namespace

Result<int64_t> EraseTextsBefore(const std::string& db_path, int64_t before_ms,
                                 int64_t busy_timeout_ms) {
  if (IsPostgresUrl(db_path)) {
    return PgChunked(db_path, R"sql(
UPDATE feedback SET final_text = NULL, suggested_text = NULL
WHERE id > $1 AND id <= $2 AND feedback_at_ms < $3
  AND (final_text IS NOT NULL OR suggested_text IS NOT NULL))sql",
                     std::to_string(before_ms));
  }
  Result<Db> db = OpenWritable(db_path, busy_timeout_ms);
  if (!db.ok()) return db.status();
  return Chunked(db_path, db->get(), R"sql(
UPDATE feedback SET final_text = NULL, suggested_text = NULL
WHERE id > ?1 AND id <= ?2 AND feedback_at_ms < ?3
  AND (final_text IS NOT NULL OR suggested_text IS NOT NULL))sql",
                 before_ms, "");
}

Result<int64_t> PurgeConversation(const std::string& db_path,
                                  const std::string& conversation_id,
                                  int64_t busy_timeout_ms) {
  if (conversation_id.empty()) {
    return Status::BadRequest("an empty conversation id");
  }
  if (IsPostgresUrl(db_path)) {
    return PgChunked(db_path, R"sql(
UPDATE feedback
SET final_text = NULL, suggested_text = NULL, conversation_id = NULL
WHERE id > $1 AND id <= $2 AND conversation_id = $3)sql",
                     conversation_id);
  }
  Result<Db> db = OpenWritable(db_path, busy_timeout_ms);
  if (!db.ok()) return db.status();
  return Chunked(db_path, db->get(), R"sql(
UPDATE feedback
SET final_text = NULL, suggested_text = NULL, conversation_id = NULL
WHERE id > ?1 AND id <= ?2 AND conversation_id = ?3)sql",
                 0, conversation_id);
}

}  // namespace reply::learn

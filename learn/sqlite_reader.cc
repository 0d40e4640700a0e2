#include "learn/sqlite_reader.h"

#include <sqlite3.h>

namespace reply::learn {
namespace {

class SqliteRow : public FeedbackDb::Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  std::optional<std::string> OptText(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(text),
                       sqlite3_column_bytes(stmt_, column));
  }
  int64_t Int(int column) const override {
    return sqlite3_column_int64(stmt_, column);
  }

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

Result<std::unique_ptr<SqliteReader>> SqliteReader::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    Status status =
        Status::IoError(path + ": cannot open the feedback database: " +
                        (db ? sqlite3_errmsg(db) : "no memory") +
                        "; give the file replyd writes (its --db)");
    sqlite3_close(db);
    return status;
  }
  // The server's writer holds the lock only for a commit: wait that out.
  sqlite3_busy_timeout(db, 5'000);
  return std::unique_ptr<SqliteReader>(new SqliteReader(path, db));
}

SqliteReader::~SqliteReader() { sqlite3_close(db_); }

bool SqliteReader::HasColumn(const std::string& column) {
  bool found = false;
  Query("SELECT name FROM pragma_table_info('feedback')", {},
        [&](const Row& row) { found |= row.Text(0) == column; })
      .ok();
  return found;
}

Status SqliteReader::Query(const std::string& sql,
                           const std::vector<int64_t>& params,
                           const RowFn& row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    Status s = Status::IoError(path_ + ": " + sqlite3_errmsg(db_) +
                               " (is it a replyd feedback database?)");
    sqlite3_finalize(stmt);
    return s;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    sqlite3_bind_int64(stmt, static_cast<int>(i) + 1, params[i]);
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(SqliteRow(stmt));
  Status s = rc == SQLITE_DONE
                 ? Status::Ok()
                 : Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  sqlite3_finalize(stmt);
  return s;
}

}  // namespace reply::learn

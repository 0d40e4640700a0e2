// SqliteReader: a read-only connection to a feedback database, for the
// learning and report queries (the server writes through
// server/feedback_store.h; this never writes).
//
//   Result<std::unique_ptr<SqliteReader>> db = SqliteReader::Open(path);
//   Status s = (*db)->Query("SELECT ...", {param}, [](sqlite3_stmt* row) {});
//
// Thread safety: one thread per reader.
#ifndef REPLY_LEARN_SQLITE_READER_H_
#define REPLY_LEARN_SQLITE_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace reply::learn {

class SqliteReader {
 public:
  // Fails with the path and SQLite's reason (a missing file is not created).
  static Result<std::unique_ptr<SqliteReader>> Open(const std::string& path);
  ~SqliteReader();
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  // Whether table `feedback` has `column` (later schema versions add some).
  bool HasColumn(const std::string& column);
  // Runs `sql` with integer parameters bound in order; `row` sees each row.
  Status Query(const std::string& sql, const std::vector<int64_t>& params,
               const std::function<void(sqlite3_stmt*)>& row);

  // Column helpers for `row` callbacks.
  static std::string Text(sqlite3_stmt* row, int column);
  static std::optional<std::string> OptText(sqlite3_stmt* row, int column);
  static int64_t Int(sqlite3_stmt* row, int column);

 private:
  SqliteReader(std::string path, sqlite3* db) : path_(path), db_(db) {}
  std::string path_;
  sqlite3* db_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_SQLITE_READER_H_

// SqliteReader: the FeedbackDb of a SQLite feedback file (the server's
// default --db; server/sqlite_feedback_store.h writes it), opened read-only.
//
// Thread safety: one thread per reader.
#ifndef REPLY_LEARN_SQLITE_READER_H_
#define REPLY_LEARN_SQLITE_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "learn/feedback_db.h"

struct sqlite3;

namespace reply::learn {

class SqliteReader : public FeedbackDb {
 public:
  // Fails with the path and SQLite's reason (a missing file is not created).
  static Result<std::unique_ptr<SqliteReader>> Open(const std::string& path);
  ~SqliteReader() override;
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  bool HasColumn(const std::string& column) override;
  Status Query(const std::string& sql, const std::vector<int64_t>& params,
               const RowFn& row) override;

 private:
  SqliteReader(std::string path, sqlite3* db) : path_(path), db_(db) {}
  std::string path_;
  sqlite3* db_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_SQLITE_READER_H_

#include "learn/feedback_db.h"

#include "learn/pg_connection.h"
#include "learn/pg_reader.h"
#include "learn/sqlite_reader.h"

namespace reply::learn {

Result<std::unique_ptr<FeedbackDb>> FeedbackDb::Open(const std::string& db) {
  if (IsPostgresUrl(db)) {
    Result<std::unique_ptr<PgReader>> pg = PgReader::Open(db);
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<FeedbackDb>(std::move(*pg));
  }
  Result<std::unique_ptr<SqliteReader>> file = SqliteReader::Open(db);
  if (!file.ok()) return file.status();
  return std::unique_ptr<FeedbackDb>(std::move(*file));
}

std::string FeedbackDb::Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace reply::learn

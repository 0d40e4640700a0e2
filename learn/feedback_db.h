// FeedbackDb: read-only queries over a feedback database, whichever holds it:
// a SQLite file (learn/sqlite_reader.h) or PostgreSQL (learn/pg_reader.h),
// for the learning and report code (evidence_reader.h, report.h). The
// server writes through server/feedback_store.h; this never writes.
//
//   Result<std::unique_ptr<FeedbackDb>> db = FeedbackDb::Open(config.db);
//   Status s = (*db)->Query("SELECT template, COUNT(*) FROM feedback "
//                           "WHERE feedback_at_ms >= ?1 GROUP BY 1",
//                           {since}, [](const FeedbackDb::Row& row) {});
//
// Queries are written in the SQL both run: integer parameters as ?1, ?2, ...
// (PostgreSQL's $1, $2, ... are substituted), a subquery in FROM named, no
// boolean arithmetic (COUNT(CASE WHEN ... THEN 1 END), not SUM(a = b)),
// every selected column grouped or aggregated.
//
// Thread safety: one thread per FeedbackDb.
#ifndef REPLY_LEARN_FEEDBACK_DB_H_
#define REPLY_LEARN_FEEDBACK_DB_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"

namespace reply::learn {

class FeedbackDb {
 public:
  // One result row, valid during the callback.
  class Row {
   public:
    virtual ~Row() = default;
    virtual std::optional<std::string> OptText(int column) const = 0;
    virtual int64_t Int(int column) const = 0;  // 0 for NULL
    std::string Text(int column) const { return OptText(column).value_or(""); }
  };
  using RowFn = std::function<void(const Row&)>;

  // PostgreSQL for a postgresql:// or postgres:// URL, else the SQLite file
  // at `db` (not created when missing). Fails naming the file or the URL
  // (without its password) and the reason.
  static Result<std::unique_ptr<FeedbackDb>> Open(const std::string& db);
  virtual ~FeedbackDb() = default;

  // Whether table `feedback` has `column` (later schema versions add some).
  virtual bool HasColumn(const std::string& column) = 0;
  // Runs `sql` with integer parameters bound in order; `row` sees each row.
  virtual Status Query(const std::string& sql,
                       const std::vector<int64_t>& params,
                       const RowFn& row) = 0;

  // `text` as an SQL string literal ('it''s'), the same in both.
  static std::string Quote(std::string_view text);
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_FEEDBACK_DB_H_

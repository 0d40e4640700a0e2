// PgReader: the FeedbackDb of a PostgreSQL feedback database (the server's
// --db postgresql://... URL; server/pg_feedback_store.h writes it). The
// learner and /stats open a reader per read: a closed reader's connection
// is kept for the next one of the same URL (at most kMaxIdle per URL), so a
// process does not pay a connection (a PostgreSQL backend's start) per read.
// A kept connection the server has dropped meanwhile (a restart) is
// reconnected on its first failed query, which is then run again.
//
// Thread safety: one thread per reader; readers on any threads.
#ifndef REPLY_LEARN_PG_READER_H_
#define REPLY_LEARN_PG_READER_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "learn/feedback_db.h"
#include "learn/pg_connection.h"

namespace reply::learn {

class PgReader : public FeedbackDb {
 public:
  static constexpr size_t kMaxIdle = 2;

  // A kept connection to `url`, or a new one.
  static Result<std::unique_ptr<PgReader>> Open(const std::string& url);
  ~PgReader() override;  // keeps the connection for the next reader

  bool HasColumn(const std::string& column) override;
  Status Query(const std::string& sql, const std::vector<int64_t>& params,
               const RowFn& row) override;

  // `sql` with ?1, ?2, ... as $1, $2, ... (outside string literals).
  static std::string Placeholders(const std::string& sql);

 private:
  PgReader(std::string url, std::unique_ptr<PgConnection> conn)
      : url_(std::move(url)), conn_(std::move(conn)) {}
  // Exec, run again once on a new connection when the kept one was lost.
  Result<PgResult> Run(const std::string& sql,
                       const std::vector<int64_t>& params);

  const std::string url_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_PG_READER_H_

// PgReader: the FeedbackDb of a PostgreSQL feedback database (the server's
// --db postgresql://... URL; server/pg_feedback_store.h writes it). One
// connection for the reader's life: the learner and /stats open one per
// read.
//
// Thread safety: one thread per reader.
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
  static Result<std::unique_ptr<PgReader>> Open(const std::string& url);

  bool HasColumn(const std::string& column) override;
  Status Query(const std::string& sql, const std::vector<int64_t>& params,
               const RowFn& row) override;

  // `sql` with ?1, ?2, ... as $1, $2, ... (outside string literals).
  static std::string Placeholders(const std::string& sql);

 private:
  explicit PgReader(std::unique_ptr<PgConnection> conn)
      : conn_(std::move(conn)) {}
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace reply::learn

#endif  // REPLY_LEARN_PG_READER_H_

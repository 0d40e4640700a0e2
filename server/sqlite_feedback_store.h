// SqliteFeedbackStore: the FeedbackStore (feedback_store.h) in a SQLite file
// (WAL mode, synchronous=FULL), replyd's zero-setup default. The schema
// version is PRAGMA user_version. Readers (learn/sqlite_reader.h) open the
// file themselves; WAL lets them run beside the writer.
//
// A locked database is waited for `busy_timeout_ms`, then the batch fails.
//
// A database file deleted or renamed while open (rm, a careless rotation)
// would keep taking commits into a file nobody can reach. Before each batch
// and after its commit the writer asks SQLite whether the file at `path` is
// still the one it has open (SQLITE_FCNTL_HAS_MOVED); if not, it reopens the
// database at `path` (creating it), logs a warning, and commits the batch
// there. If that fails the batch fails: nothing is acknowledged.
//
// Thread safety: as FeedbackStore.
#ifndef REPLY_SERVER_SQLITE_FEEDBACK_STORE_H_
#define REPLY_SERVER_SQLITE_FEEDBACK_STORE_H_

#include <memory>
#include <vector>

#include "engine/base/status.h"
#include "server/feedback_store.h"

struct sqlite3;

namespace reply::server {

class SqliteFeedbackStore : public FeedbackStore {
 public:
  static Result<std::unique_ptr<FeedbackStore>> Open(Options options);
  ~SqliteFeedbackStore() override;

 private:
  SqliteFeedbackStore(Options options, sqlite3* writer);
  // CommitOnce into the file at options_.path, reopened if it has moved.
  Status CommitBatch(std::vector<Pending>& batch) override;
  // Checkpoints the WAL: the database is one file at rest.
  void WriterDone() override;
  Status CommitOnce(std::vector<Pending>& batch);
  // Whether the open database is no longer the file at options_.path (or
  // none is open); then ReopenAtPath opens the one at the path.
  bool Moved();
  Status ReopenAtPath();

  const Options options_;
  sqlite3* writer_;  // used only by the writer thread after Open; null after
                     // a failed reopen
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SQLITE_FEEDBACK_STORE_H_

// PgFeedbackStore: the FeedbackStore (feedback_store.h) in PostgreSQL, which
// the servers of a cluster share (--db postgresql://user@host/db). The
// writer thread holds the one connection; readers (learn/pg_reader.h) have
// their own.
//
// Schema: table `feedback` as the SQLite store's of the same version, and
// table `reply_schema` (one row: the version). Open() applies the
// migrations the database lacks in one transaction under an advisory lock,
// so servers starting together migrate once; a database from a newer replyd
// is refused. A database unreachable at Open is no error: the store starts
// without a connection (Reachable() false) and the writer connects and
// migrates as below.
//
// Servers write concurrently: each batch's transaction first takes a
// transaction-scoped advisory lock, so that "one answer per suggestion" is
// checked and inserted by one writer at a time across the cluster (the
// unique key index alone would let two servers store two final actions).
//
// A batch is a fixed number of round trips whatever its size: BEGIN with
// the lock, one statement that reads every stored row the batch's outcomes
// depend on (its keys, its suggestions' answers), one multi-row INSERT, and
// COMMIT. The rows are then checked in memory, each against what was read
// and the batch's rows before it, as a look-up per row inside the
// transaction would see them. Before, three statements a row (two look-ups
// and the insert) made PostgreSQL's ack rate about half of SQLite's under
// load (docs/benchmarks.md, "The cluster").
//
// The database unreachable (stopped, restarting, the network cut, or hung:
// no answer within PgConnection::kQueryTimeoutMs): the batch fails, its rows
// are answered with an error and nothing is acknowledged; the server keeps
// suggesting. Each later batch first reconnects, waiting at most
// PgConnection::kConnectTimeoutS, and
// goes through once the database is back; while no rows come, the idle
// writer tries every second (WhileIdle), so migrations run and Reachable()
// turns true without waiting for feedback. While it answers, the idle
// writer asks it every two seconds (`SELECT 1`), so Reachable() and
// /healthz also turn false within seconds of an outage, not at the next
// feedback. A commit whose outcome is unknown
// (the connection lost during COMMIT) is reported as failed; the client's
// resend with the same key then finds the row (kDuplicate) if it was stored.
//
// Thread safety: as FeedbackStore.
#ifndef REPLY_SERVER_PG_FEEDBACK_STORE_H_
#define REPLY_SERVER_PG_FEEDBACK_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/base/status.h"
#include "learn/pg_connection.h"
#include "server/feedback_store.h"

namespace reply::server {

class PgFeedbackStore : public FeedbackStore {
 public:
  // Advisory lock keys (any 64-bit numbers no other user of the database
  // takes), each held for one transaction: migrations, and a writer's
  // batch.
  static constexpr int64_t kMigrationsLockKey = 7240501;
  static constexpr int64_t kWritersLockKey = 7240502;

  // Connects and migrates; fails naming the URL (without its password).
  static Result<std::unique_ptr<FeedbackStore>> Open(Options options);
  ~PgFeedbackStore() override;

  bool Reachable() const override { return reachable_; }

 private:
  // `writer`: connected and migrated, or null (the database unreachable).
  PgFeedbackStore(Options options, std::unique_ptr<learn::PgConnection> writer);
  Status CommitBatch(std::vector<Pending>& batch) override;
  std::optional<std::chrono::milliseconds> WhileIdle() override;
  // The writer connected and migrated, connecting first if needed; logs
  // the change when the database goes away or comes back.
  Status WriterReady();
  Status CommitOnce(std::vector<Pending>& batch);
  // The stored rows `batch`'s outcomes depend on, read in one statement in
  // the open transaction (pg_feedback_store.cc).
  struct Earlier;
  Status ReadEarlier(const std::vector<Pending>& batch, Earlier* earlier) const;

  const Options options_;
  // The writer thread's; null until the first connect succeeds.
  std::unique_ptr<learn::PgConnection> writer_;
  bool migrated_;  // writer_'s database has the schema (writer thread)
  bool failing_;   // the last connect, migration or batch found it down
  std::atomic<bool> reachable_;
  // When the database last answered the writer (writer thread).
  std::chrono::steady_clock::time_point last_answer_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_PG_FEEDBACK_STORE_H_

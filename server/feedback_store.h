// FeedbackStore: the durable record of what agents did with suggestions. A
// row is acknowledged to the client only after the transaction holding it
// has committed, so a crash, kill -9 or power cut loses no acknowledged
// feedback. Two implementations: a SQLite file (the default;
// sqlite_feedback_store.h) and PostgreSQL, shared by the servers of a
// cluster (--db postgresql://...; pg_feedback_store.h).
//
//   auto store = FeedbackStore::Open({.path = "feedback.db"});
//   (*store)->Append(row, [](Status s) { /* on the writer thread */ });
//   (*store)->Close();  // writes what is queued, then stops
//
// The store only writes: reports and learning read the rows through
// learn/feedback_db.h.
//
// One writer thread commits queued rows in batches (group commit): under load
// one commit (one fsync) serves many rows.
//
// Idempotency: a row may carry a client-chosen key, unique in the table. A
// row whose key is already stored with the same content is not stored again
// and reports kDuplicate (once the original is committed, since the ack waits
// for the batch holding it); with other content, kKeyConflict. Rows without
// a key (older clients) are stored unless the rule below finds them.
//
// One answer per suggestion: a suggestion takes at most one final action
// (IsFinalAction: accepted, edited, rejected, ignored) and one `shown`. The
// same one again (same action and final text) is not stored and reports
// kDuplicate; another final action reports kAlreadyAnswered. own_reply rows
// (no suggestion) are stored each time, unless their key is known.
//
// Schema (table `feedback`, version 5): id, suggestion_id,
// conversation_id, intent, template, pack_version, latency_us, action,
// suggested_text, final_text, suggested_at_ms, feedback_at_ms
// (times in milliseconds since the Unix epoch, UTC), feedback_key (UNIQUE,
// NULL without a key), shop (NULL: the default shop; version 4), arm (the
// wording experiment's arm, NULL for none; version 5); the suggestion's
// columns are NULL for an own_reply. Open() migrates an older database in
// place and refuses one from a newer replyd.
//
// Limits: at most `max_pending` rows are taken and not yet answered (queued
// or being written, look-ups included); Append beyond that fails at once
// (the client is told, nothing is acknowledged).
//
// No database call runs on the caller's thread: Append and FindResend are
// answered from the writer thread, so a database that hangs never stalls a
// server's network I/O thread.
//
// Thread safety: Append, FindResend and Reachable may be called from any
// thread; Close once.
#ifndef REPLY_SERVER_FEEDBACK_STORE_H_
#define REPLY_SERVER_FEEDBACK_STORE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/base/status.h"
#include "server/suggestion_registry.h"
#include "server/vocabulary.h"

namespace reply::server {

struct FeedbackRow {
  std::string suggestion_id;  // 32 hex digits; empty for an own_reply
  SuggestionRecord suggestion;
  FeedbackAction action = FeedbackAction::kAccepted;
  // As the client sent it: none for a rejection, and for a plain `accepted`
  // (the suggestion as is; FinalTextToStore says what is stored then).
  std::optional<std::string> final_text;
  int64_t feedback_at_ms = 0;
  std::optional<std::string> key;  // idempotency key (protocol.h limits it)
};

// A stored row as far as telling a resend from other feedback needs.
struct StoredFeedback {
  std::string suggestion_id;
  FeedbackAction action = FeedbackAction::kAccepted;
  std::optional<std::string> final_text;
  std::string suggested_text;
};

// The final text a row stores: the client's, or for a plain `accepted` the
// suggestion's text when this server knows it (none on a server of the
// cluster that did not make the suggestion, or after a restart).
std::optional<std::string> FinalTextToStore(const FeedbackRow& row);

// Whether feedback (its final text as the client sent it) is the feedback
// `stored` holds: a resend rather than different feedback. A plain
// `accepted` is the same as a stored plain `accepted` whichever server
// stored it, with the suggestion's text or without (the cluster test found
// a resend to the other node refused as a conflict when only one of the two
// servers knew the text).
bool SameFeedback(const StoredFeedback& stored, std::string_view suggestion_id,
                  FeedbackAction action,
                  const std::optional<std::string>& final_text);

class FeedbackStore {
 public:
  struct Options {
    // A SQLite file, or a postgresql:// (postgres://) URL.
    std::string path;
    int64_t busy_timeout_ms = 5'000;  // SQLite: a locked file is waited for
    size_t max_pending = 10'000;
  };
  // What became of an appended row.
  enum class Outcome {
    kInserted,     // stored now
    kDuplicate,    // its key was stored before with the same content
    kKeyConflict,  // its key was stored before with other content; not stored
    // The suggestion already has another final action (accepted, edited,
    // rejected, ignored: one each); not stored.
    kAlreadyAnswered,
    kNotStored,  // FindResend: no row has the key
  };
  // Called once per row, on the writer thread; an error means nothing was
  // stored (the transaction failed, the database is unreachable, or the
  // store is full or closing).
  using Done = std::function<void(const Result<Outcome>&)>;

  // The SQLite or the PostgreSQL store, after its schema migrations.
  static Result<std::unique_ptr<FeedbackStore>> Open(Options options);
  // Implementations call Close() in their destructor, before their
  // connections go.
  virtual ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  void Append(FeedbackRow row, Done done);
  // Whether the feedback `row` describes is stored under its key (row.key
  // must be set), without storing anything: kDuplicate when it is (a
  // resend whose ack was lost), kKeyConflict when the key holds other
  // feedback, kNotStored when no row has it. For feedback on a suggestion
  // this server cannot verify (made before a restart under another key).
  // Answered like Append, from the writer thread, in queue order.
  void FindResend(FeedbackRow row, Done done);
  // Whether the database could be written when last tried (a PostgreSQL
  // server unreachable: false until a reconnect succeeds). For /healthz.
  virtual bool Reachable() const { return true; }
  // Commits everything queued and stops the writer. Later Appends fail.
  void Close();

 protected:
  struct Pending {
    FeedbackRow row;
    Done done;
    bool lookup_only = false;              // FindResend's: never inserted
    Outcome outcome = Outcome::kInserted;  // set by CommitBatch
  };
  // Earlier rows an outcome depends on, looked up in the open transaction.
  enum class Lookup {
    kByKey,    // the row with this feedback_key
    kFinalOf,  // this suggestion's final action
    kShownOf,  // this suggestion's `shown`
  };
  using LookupFn = std::function<Result<std::optional<StoredFeedback>>(
      Lookup, std::string_view)>;
  // The query for `lookup` (feedback_sql.h), its one parameter the key or
  // the suggestion id; it selects the StoredFeedback columns.
  static const char* LookupSql(Lookup lookup);

  explicit FeedbackStore(size_t max_pending);
  // Starts the writer thread; the implementation's constructor calls it last.
  void StartWriter();
  // What earlier rows make of `p`: kDuplicate, kKeyConflict or
  // kAlreadyAnswered (kNotStored for a look-up whose key is not found);
  // nothing when its row is to be inserted.
  static Result<std::optional<Outcome>> EarlierOutcome(const Pending& p,
                                                       const LookupFn& find);
  // On the writer thread while no rows are queued: work to retry when the
  // database was unreachable (reconnecting, migrating). How long until it
  // wants to run again; nullopt: not before the next rows.
  virtual std::optional<std::chrono::milliseconds> WhileIdle() {
    return std::nullopt;
  }

  // On the writer thread: commits `batch` in one transaction and sets each
  // row's outcome; an error means none is stored.
  virtual Status CommitBatch(std::vector<Pending>& batch) = 0;
  // On the writer thread, once everything queued is written at Close.
  virtual void WriterDone() {}

 private:
  void Enqueue(Pending pending);
  void WriterLoop();

  const size_t max_pending_;
  std::mutex mu_;  // guards queue_, unanswered_ and closing_
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t unanswered_ = 0;  // taken by Append, callback not yet run
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_FEEDBACK_STORE_H_

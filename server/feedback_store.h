// FeedbackStore: the durable record of what agents did with suggestions, in a
// SQLite file (WAL mode, synchronous=FULL). A row is acknowledged to the
// client only after the transaction holding it has committed, so a crash,
// kill -9 or power cut loses no acknowledged feedback.
//
//   auto store = FeedbackStore::Open({.path = "feedback.db"});
//   (*store)->Append(row, [](Status s) { /* on the writer thread */ });
//   Result<std::vector<FeedbackStats>> stats = (*store)->Stats();
//   (*store)->Close();  // writes what is queued, then stops
//
// One writer thread commits queued rows in batches (group commit): under load
// one fsync serves many rows. Stats() and FindByKey() read through a second
// connection, which WAL lets run beside the writer.
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
// Schema (table `feedback`, PRAGMA user_version = 5): id, suggestion_id,
// conversation_id, intent, template, pack_version, latency_us, action,
// suggested_text, final_text, suggested_at_ms, feedback_at_ms
// (times in milliseconds since the Unix epoch, UTC), feedback_key (UNIQUE,
// NULL without a key), shop (NULL: the default shop; version 4), arm (the
// wording experiment's arm, NULL for none; version 5); the suggestion's
// columns are NULL for an own_reply. Open() migrates an older file in place
// and refuses a file from a newer replyd.
//
// Limits: at most `max_pending` rows are taken and not yet answered (queued
// or being written); Append beyond that fails at once (the client is told,
// nothing is acknowledged). A locked database is waited for
// `busy_timeout_ms`, then the batch fails.
//
// A database file deleted or renamed while open (rm, a careless rotation)
// would keep taking commits into a file nobody can reach. Before each batch
// and after its commit the writer asks SQLite whether the file at `path` is
// still the one it has open (SQLITE_FCNTL_HAS_MOVED); if not, it reopens the
// database at `path` (creating it), logs a warning, and commits the batch
// there. If that fails the batch fails: nothing is acknowledged.
//
// Thread safety: Append and Stats may be called from any thread; Close once.
#ifndef REPLY_SERVER_FEEDBACK_STORE_H_
#define REPLY_SERVER_FEEDBACK_STORE_H_

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

struct sqlite3;

namespace reply::server {

struct FeedbackRow {
  std::string suggestion_id;  // 32 hex digits; empty for an own_reply
  SuggestionRecord suggestion;
  FeedbackAction action = FeedbackAction::kAccepted;
  std::optional<std::string> final_text;  // what was sent; none if rejected
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

// Whether feedback (as a FeedbackRow has it: a plain `accepted` carries the
// suggestion's text as its final text, or none when that is unknown) is the
// feedback `stored` holds: a resend rather than different feedback.
bool SameFeedback(const StoredFeedback& stored, std::string_view suggestion_id,
                  FeedbackAction action,
                  const std::optional<std::string>& final_text);

// Feedback counts of one reply template. own_reply rows have no template:
// they are counted under their intent with an empty template_id (and an
// empty intent when none was showing).
struct FeedbackStats {
  std::string intent;
  std::string template_id;
  int64_t shown = 0;  // suggestions displayed: with `shown` or a final action
  int64_t accepted = 0;
  int64_t edited = 0;
  int64_t rejected = 0;
  int64_t ignored = 0;
  int64_t own_replies = 0;
};

class FeedbackStore {
 public:
  struct Options {
    std::string path;
    int64_t busy_timeout_ms = 5'000;
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
  };
  // Called once per row, on the writer thread; an error means nothing was
  // stored (the transaction failed, or the store is full or closing).
  using Done = std::function<void(const Result<Outcome>&)>;

  static Result<std::unique_ptr<FeedbackStore>> Open(Options options);
  ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  void Append(FeedbackRow row, Done done);
  // Per template, ordered by intent and template.
  Result<std::vector<FeedbackStats>> Stats() const;
  // The same over one shop's rows ("": the default shop's).
  Result<std::vector<FeedbackStats>> StatsOfShop(std::string_view shop) const;
  // The committed row with this key, if any.
  Result<std::optional<StoredFeedback>> FindByKey(std::string_view key) const;
  // Commits everything queued, checkpoints the WAL and stops the writer.
  // Later Appends fail. Called by the destructor if not before.
  void Close();

 private:
  struct Pending {
    FeedbackRow row;
    Done done;
    Outcome outcome = Outcome::kInserted;  // set by CommitBatch
  };

  FeedbackStore(Options options, sqlite3* writer, sqlite3* reader);
  void WriterLoop();
  // CommitBatch into the file at options_.path, reopened if it has moved.
  Status CommitAtPath(std::vector<Pending>& batch);
  Status CommitBatch(std::vector<Pending>& batch);
  // Whether the open database is no longer the file at options_.path (or
  // none is open); then ReopenAtPath opens the one at the path.
  bool Moved();
  Status ReopenAtPath();

  const Options options_;
  sqlite3* writer_;  // used only by the writer thread after Open; null after
                     // a failed reopen
  sqlite3* reader_;  // guarded by reader_mu_; null after a failed reopen
  mutable std::mutex reader_mu_;

  std::mutex mu_;  // guards queue_, unanswered_ and closing_
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t unanswered_ = 0;  // taken by Append, callback not yet run
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_FEEDBACK_STORE_H_

#include "server/feedback_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "server/log.h"

namespace reply::server {
namespace {

// Rows committed in one transaction at most.
constexpr size_t kMaxBatch = 512;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY,
  suggestion_id TEXT NOT NULL,
  conversation_id TEXT,
  intent TEXT NOT NULL,
  template TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  latency_us INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('accepted', 'edited', 'rejected')),
  suggested_text TEXT NOT NULL,
  final_text TEXT,
  suggested_at_ms INTEGER NOT NULL,
  feedback_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_template ON feedback (template);
PRAGMA user_version = 1;
)sql";

constexpr const char* kInsert =
    "INSERT INTO feedback (suggestion_id, conversation_id, intent, template, "
    "pack_version, latency_us, action, suggested_text, final_text, "
    "suggested_at_ms, feedback_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)";

Status SqliteError(sqlite3* db, std::string_view what) {
  return Status::IoError("feedback store: " + std::string(what) + ": " +
                         sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status status = Status::IoError(std::string("feedback store: ") +
                                    (error ? error : "unknown error"));
    sqlite3_free(error);
    return status;
  }
  return Status::Ok();
}

Result<sqlite3*> OpenConnection(const std::string& path, int flags,
                                int64_t busy_timeout_ms) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Status status =
        Status::IoError("feedback store: cannot open " + path + ": " +
                        (db ? sqlite3_errmsg(db) : "no memory"));
    sqlite3_close(db);
    return status;
  }
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout_ms));
  return db;
}

// Finalizes a statement when it goes out of scope.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

void BindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_STATIC);
}

// The writer (schema created) and reader connections to the file at `path`.
Result<std::pair<sqlite3*, sqlite3*>> OpenDatabase(
    const FeedbackStore::Options& options) {
  Result<sqlite3*> writer = OpenConnection(
      options.path,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      options.busy_timeout_ms);
  if (!writer.ok()) return writer.status();
  // WAL: readers (Stats) never block the writer. synchronous=FULL: a commit
  // is on disk before it returns, which is what an ack promises.
  for (const char* sql :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", kSchema}) {
    if (Status s = Exec(*writer, sql); !s.ok()) {
      sqlite3_close(*writer);
      return Status::IoError(options.path + ": " + s.message());
    }
  }
  Result<sqlite3*> reader =
      OpenConnection(options.path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                     options.busy_timeout_ms);
  if (!reader.ok()) {
    sqlite3_close(*writer);
    return reader.status();
  }
  return std::pair(*writer, *reader);
}

}  // namespace

std::string_view FeedbackActionName(FeedbackAction action) {
  switch (action) {
    case FeedbackAction::kAccepted:
      return "accepted";
    case FeedbackAction::kEdited:
      return "edited";
    case FeedbackAction::kRejected:
      return "rejected";
  }
  return "rejected";
}

std::optional<FeedbackAction> ParseFeedbackAction(std::string_view name) {
  for (FeedbackAction a : {FeedbackAction::kAccepted, FeedbackAction::kEdited,
                           FeedbackAction::kRejected}) {
    if (FeedbackActionName(a) == name) return a;
  }
  return std::nullopt;
}

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(Options options) {
  Result<std::pair<sqlite3*, sqlite3*>> db = OpenDatabase(options);
  if (!db.ok()) return db.status();
  return std::unique_ptr<FeedbackStore>(
      new FeedbackStore(std::move(options), db->first, db->second));
}

FeedbackStore::FeedbackStore(Options options, sqlite3* writer, sqlite3* reader)
    : options_(std::move(options)), writer_(writer), reader_(reader) {
  thread_ = std::thread([this] { WriterLoop(); });
}

FeedbackStore::~FeedbackStore() {
  Close();
  sqlite3_close(reader_);
}

void FeedbackStore::Append(FeedbackRow row, Done done) {
  Status refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) {
      refused = Status::Internal("feedback store: shutting down");
    } else if (unanswered_ >= options_.max_pending) {
      refused = Status::Internal(
          "feedback store: " + std::to_string(options_.max_pending) +
          " rows already waiting; try again");
    } else {
      queue_.push_back({std::move(row), std::move(done)});
      ++unanswered_;
    }
  }
  if (!refused.ok()) {
    done(refused);
    return;
  }
  wake_.notify_one();
}

void FeedbackStore::WriterLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) break;  // closing and drained
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const Status status = CommitAtPath(batch);
    if (!status.ok()) {
      Log(LogLevel::kError, "feedback_write_failed",
          {{"rows", batch.size()}, {"error", status.message()}});
    }
    for (Pending& p : batch) {
      p.done(status.ok() ? status : Status::Internal(status.message()));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      unanswered_ -= batch.size();
    }
    batch.clear();
  }
  // Fold the WAL into the main file so the database is one file at rest.
  if (writer_ == nullptr) return;  // the last reopen failed
  if (Status s = Exec(writer_, "PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
    Log(LogLevel::kWarn, "feedback_checkpoint_failed",
        {{"error", s.message()}});
  }
  sqlite3_close(writer_);
}

Status FeedbackStore::CommitAtPath(const std::vector<Pending>& batch) {
  if (Moved()) {
    if (Status s = ReopenAtPath(); !s.ok()) return s;
  }
  if (Status s = CommitBatch(batch); !s.ok()) return s;
  if (!Moved()) return Status::Ok();
  // Moved while the batch was being committed: it went with the old file.
  if (Status s = ReopenAtPath(); !s.ok()) return s;
  return CommitBatch(batch);
}

bool FeedbackStore::Moved() {
  if (writer_ == nullptr) return true;
  int moved = 0;
  if (sqlite3_file_control(writer_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) ==
          SQLITE_OK &&
      moved != 0) {
    return true;
  }
  // HAS_MOVED looks at the main file only. The WAL exists from the first
  // transaction until close; a deleted one holds the commits not yet
  // checkpointed, which closing the old connections saves (ReopenAtPath).
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(writer_, "main"));
  struct stat st;
  return wal != nullptr && wal[0] != '\0' && ::stat(wal, &st) != 0 &&
         errno == ENOENT;
}

Status FeedbackStore::ReopenAtPath() {
  Log(LogLevel::kWarn, "feedback_db_moved",
      {{"db", options_.path},
       {"note",
        "the database file was deleted or replaced while open; "
        "reopening it at its path"}});
  std::lock_guard<std::mutex> lock(reader_mu_);
  // Both old connections close before the new ones open: the last one to
  // close checkpoints its WAL (into the old file, or into the main file
  // when only the WAL was deleted) and deletes "<path>-wal" by name, which
  // must not be the new database's.
  if (writer_ != nullptr) {
    sqlite3_close(reader_);
    if (Status s = Exec(writer_, "PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
      Log(LogLevel::kWarn, "feedback_checkpoint_failed",
          {{"error", s.message()}});
    }
    sqlite3_close(writer_);
    reader_ = writer_ = nullptr;
  }
  Result<std::pair<sqlite3*, sqlite3*>> db = OpenDatabase(options_);
  if (!db.ok()) {
    // The path and SQLite's reason go to the log, not to clients.
    Log(LogLevel::kError, "feedback_db_reopen_failed",
        {{"error", db.status().message()}});
    return Status::IoError(
        "feedback store: the database file was deleted or replaced and "
        "cannot be opened again");
  }
  writer_ = db->first;
  reader_ = db->second;
  Log(LogLevel::kWarn, "feedback_db_reopened", {{"db", options_.path}});
  return Status::Ok();
}

Status FeedbackStore::CommitBatch(const std::vector<Pending>& batch) {
  if (Status s = Exec(writer_, "BEGIN IMMEDIATE"); !s.ok()) return s;
  Statement insert;
  if (sqlite3_prepare_v2(writer_, kInsert, -1, &insert.stmt, nullptr) !=
      SQLITE_OK) {
    Status s = SqliteError(writer_, "prepare");
    Exec(writer_, "ROLLBACK");
    return s;
  }
  for (const Pending& p : batch) {
    const FeedbackRow& row = p.row;
    sqlite3_stmt* stmt = insert.stmt;
    sqlite3_reset(stmt);
    BindText(stmt, 1, row.suggestion_id);
    if (row.suggestion.conversation_id.empty()) {
      sqlite3_bind_null(stmt, 2);
    } else {
      BindText(stmt, 2, row.suggestion.conversation_id);
    }
    BindText(stmt, 3, row.suggestion.intent);
    BindText(stmt, 4, row.suggestion.template_id);
    BindText(stmt, 5, row.suggestion.pack_version);
    sqlite3_bind_int64(stmt, 6, row.suggestion.latency_us);
    BindText(stmt, 7, FeedbackActionName(row.action));
    BindText(stmt, 8, row.suggestion.text);
    if (row.final_text) {
      BindText(stmt, 9, *row.final_text);
    } else {
      sqlite3_bind_null(stmt, 9);
    }
    sqlite3_bind_int64(stmt, 10, row.suggestion.suggested_at_ms);
    sqlite3_bind_int64(stmt, 11, row.feedback_at_ms);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      Status s = SqliteError(writer_, "insert");
      Exec(writer_, "ROLLBACK");
      return s;
    }
  }
  if (sqlite3_exec(writer_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = SqliteError(writer_, "commit");
    Exec(writer_, "ROLLBACK");
    return s;
  }
  return Status::Ok();
}

Result<std::vector<FeedbackStats>> FeedbackStore::Stats() const {
  static constexpr const char* kQuery =
      "SELECT intent, template, "
      "SUM(action = 'accepted'), SUM(action = 'edited'), SUM(action = "
      "'rejected') "
      "FROM feedback GROUP BY intent, template ORDER BY intent, template";
  std::lock_guard<std::mutex> lock(reader_mu_);
  if (reader_ == nullptr) {
    return Status::IoError(
        "feedback store: the database file was deleted or replaced and "
        "cannot be opened again");
  }
  Statement query;
  if (sqlite3_prepare_v2(reader_, kQuery, -1, &query.stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(reader_, "stats");
  }
  std::vector<FeedbackStats> out;
  int rc;
  while ((rc = sqlite3_step(query.stmt)) == SQLITE_ROW) {
    FeedbackStats s;
    s.intent =
        reinterpret_cast<const char*>(sqlite3_column_text(query.stmt, 0));
    s.template_id =
        reinterpret_cast<const char*>(sqlite3_column_text(query.stmt, 1));
    s.accepted = sqlite3_column_int64(query.stmt, 2);
    s.edited = sqlite3_column_int64(query.stmt, 3);
    s.rejected = sqlite3_column_int64(query.stmt, 4);
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return SqliteError(reader_, "stats");
  return out;
}

void FeedbackStore::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) {
      // Already closing: only the first caller joins.
      return;
    }
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace reply::server

#include "server/sqlite_feedback_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "server/feedback_sql.h"
#include "server/log.h"

namespace reply::server {
namespace {

// Version 1, as replyd first wrote it. A new file starts here too and takes
// the same migrations as an old one, so that every file ends up alike.
constexpr const char* kSchemaV1 = R"sql(
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
)sql";

// Version 2: the idempotency key of feedback frames. SQLite cannot add a
// UNIQUE column to a table, so the constraint is a unique index (NULLs, the
// rows of clients without keys, never collide).
constexpr const char* kMigrateToV2 = R"sql(
ALTER TABLE feedback ADD COLUMN feedback_key TEXT;
CREATE UNIQUE INDEX feedback_by_key ON feedback (feedback_key);
)sql";

// Version 3: the actions of a workbench console. `shown` and `ignored` are
// about a suggestion; `own_reply` (the agent's own text) has none, so the
// suggestion's columns become nullable. SQLite can change neither a CHECK
// nor NOT NULL in place: the table is copied into its new form. The index by
// suggestion finds a suggestion's earlier actions (one final action each).
constexpr const char* kMigrateToV3 = R"sql(
CREATE TABLE feedback_v3 (
  id INTEGER PRIMARY KEY,
  suggestion_id TEXT,
  conversation_id TEXT,
  intent TEXT,
  template TEXT,
  pack_version TEXT,
  latency_us INTEGER,
  action TEXT NOT NULL CHECK (action IN ('accepted', 'edited', 'rejected',
                                         'ignored', 'shown', 'own_reply')),
  suggested_text TEXT,
  final_text TEXT,
  suggested_at_ms INTEGER,
  feedback_at_ms INTEGER NOT NULL,
  feedback_key TEXT
);
INSERT INTO feedback_v3 SELECT id, suggestion_id, conversation_id, intent,
  template, pack_version, latency_us, action, suggested_text, final_text,
  suggested_at_ms, feedback_at_ms, feedback_key FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v3 RENAME TO feedback;
CREATE INDEX feedback_by_template ON feedback (template);
CREATE UNIQUE INDEX feedback_by_key ON feedback (feedback_key);
CREATE INDEX feedback_by_suggestion ON feedback (suggestion_id, action);
)sql";

// Version 4: the shop a row is about (shops/<id>.yaml; NULL: the default
// shop, as every row before shops was). /stats reads one shop's rows.
constexpr const char* kMigrateToV4 = R"sql(
ALTER TABLE feedback ADD COLUMN shop TEXT;
CREATE INDEX feedback_by_shop ON feedback (shop, template);
)sql";

// Version 5: the arm of a wording experiment a suggestion was (NULL: none).
constexpr const char* kMigrateToV5 = R"sql(
ALTER TABLE feedback ADD COLUMN arm TEXT;
)sql";

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

std::optional<std::string> ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt, column));
}

// Brings the file to feedback_sql::kSchemaVersion in one transaction, so a second replyd
// opening the same file at the same time waits and then finds it done.
Status Migrate(sqlite3* db, const std::string& path) {
  if (Status s = Exec(db, "BEGIN IMMEDIATE"); !s.ok()) return s;
  Statement query;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &query.stmt, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(query.stmt) == SQLITE_ROW) {
    version = sqlite3_column_int(query.stmt, 0);
  }
  // Done with the statement: an active one would lock the table that the
  // version-3 migration drops.
  sqlite3_reset(query.stmt);
  Status status;
  if (version < 0) {
    status = SqliteError(db, "user_version");
  } else if (version > feedback_sql::kSchemaVersion) {
    status = Status::IoError(
        "feedback store: schema version " + std::to_string(version) +
        " was written by a newer replyd (this one knows up to " +
        std::to_string(feedback_sql::kSchemaVersion) +
        "); run that replyd or give --db " + "another file");
  } else {
    if (version < 1) status = Exec(db, kSchemaV1);
    if (status.ok() && version < 2) status = Exec(db, kMigrateToV2);
    if (status.ok() && version < 3) status = Exec(db, kMigrateToV3);
    if (status.ok() && version < 4) status = Exec(db, kMigrateToV4);
    if (status.ok() && version < 5) status = Exec(db, kMigrateToV5);
    if (status.ok() && version < feedback_sql::kSchemaVersion) {
      status = Exec(db, ("PRAGMA user_version = " +
                         std::to_string(feedback_sql::kSchemaVersion))
                            .c_str());
    }
    if (status.ok()) status = Exec(db, "COMMIT");
  }
  if (!status.ok()) {
    Exec(db, "ROLLBACK");
    return status;
  }
  if (version >= 1 && version < feedback_sql::kSchemaVersion) {
    Log(LogLevel::kInfo, "feedback_store_migrated",
        {{"db", path},
         {"from", version},
         {"to", feedback_sql::kSchemaVersion}});
  }
  return Status::Ok();
}

// The row `query` finds by its one parameter, through `db` (the writer sees
// its own uncommitted rows, so a resend in the same batch finds the
// original).
Result<std::optional<StoredFeedback>> ReadOne(sqlite3* db, const char* query,
                                              std::string_view param) {
  Statement find;
  if (sqlite3_prepare_v2(db, query, -1, &find.stmt, nullptr) != SQLITE_OK) {
    return SqliteError(db, "find");
  }
  BindText(find.stmt, 1, param);
  const int rc = sqlite3_step(find.stmt);
  if (rc == SQLITE_DONE) return std::optional<StoredFeedback>();
  if (rc != SQLITE_ROW) return SqliteError(db, "find");
  StoredFeedback stored;
  stored.suggestion_id = ColumnText(find.stmt, 0).value_or("");
  stored.action = ParseFeedbackAction(ColumnText(find.stmt, 1).value_or(""))
                      .value_or(FeedbackAction::kRejected);
  stored.final_text = ColumnText(find.stmt, 2);
  stored.suggested_text = ColumnText(find.stmt, 3).value_or("");
  return std::optional<StoredFeedback>(std::move(stored));
}

// Binds `text`, or NULL when it is empty (an own_reply has no suggestion).
void BindTextOrNull(sqlite3_stmt* stmt, int index, std::string_view text) {
  if (text.empty()) {
    sqlite3_bind_null(stmt, index);
  } else {
    BindText(stmt, index, text);
  }
}

// The connection to the file at `path`, its schema created or migrated.
Result<sqlite3*> OpenDatabase(const FeedbackStore::Options& options) {
  Result<sqlite3*> writer = OpenConnection(
      options.path,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      options.busy_timeout_ms);
  if (!writer.ok()) return writer.status();
  // WAL: readers (reports, learning) never block the writer.
  // synchronous=FULL: a commit is on disk before it returns, which is what
  // an ack promises.
  for (const char* sql :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"}) {
    if (Status s = Exec(*writer, sql); !s.ok()) {
      sqlite3_close(*writer);
      return Status::IoError(options.path + ": " + s.message());
    }
  }
  if (Status s = Migrate(*writer, options.path); !s.ok()) {
    sqlite3_close(*writer);
    return Status::IoError(options.path + ": " + s.message());
  }
  return *writer;
}

}  // namespace

Result<std::unique_ptr<FeedbackStore>> SqliteFeedbackStore::Open(
    Options options) {
  Result<sqlite3*> db = OpenDatabase(options);
  if (!db.ok()) return db.status();
  return std::unique_ptr<FeedbackStore>(
      new SqliteFeedbackStore(std::move(options), *db));
}

SqliteFeedbackStore::SqliteFeedbackStore(Options options, sqlite3* writer)
    : FeedbackStore(options.max_pending),
      options_(std::move(options)),
      writer_(writer) {
  StartWriter();
}

SqliteFeedbackStore::~SqliteFeedbackStore() { Close(); }

void SqliteFeedbackStore::WriterDone() {
  // Fold the WAL into the main file so the database is one file at rest.
  if (writer_ == nullptr) return;  // the last reopen failed
  if (Status s = Exec(writer_, "PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
    Log(LogLevel::kWarn, "feedback_checkpoint_failed",
        {{"error", s.message()}});
  }
  sqlite3_close(writer_);
}

Status SqliteFeedbackStore::CommitBatch(std::vector<Pending>& batch) {
  if (Moved()) {
    if (Status s = ReopenAtPath(); !s.ok()) return s;
  }
  if (Status s = CommitOnce(batch); !s.ok()) return s;
  if (!Moved()) return Status::Ok();
  // Moved while the batch was being committed: it went with the old file.
  if (Status s = ReopenAtPath(); !s.ok()) return s;
  return CommitOnce(batch);
}

bool SqliteFeedbackStore::Moved() {
  if (writer_ == nullptr) return true;
  int moved = 0;
  if (sqlite3_file_control(writer_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) ==
          SQLITE_OK &&
      moved != 0) {
    return true;
  }
  // HAS_MOVED looks at the main file only. The WAL exists from the first
  // transaction until close; a deleted one holds the commits not yet
  // checkpointed, which closing the old connection saves (ReopenAtPath).
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(writer_, "main"));
  struct stat st;
  return wal != nullptr && wal[0] != '\0' && ::stat(wal, &st) != 0 &&
         errno == ENOENT;
}

Status SqliteFeedbackStore::ReopenAtPath() {
  Log(LogLevel::kWarn, "feedback_db_moved",
      {{"db", options_.path},
       {"note",
        "the database file was deleted or replaced while open; "
        "reopening it at its path"}});
  // The old connection closes before the new one opens: closing
  // checkpoints its WAL (into the old file, or into the main file when only
  // the WAL was deleted) and deletes "<path>-wal" by name, which must not be
  // the new database's.
  if (writer_ != nullptr) {
    if (Status s = Exec(writer_, "PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
      Log(LogLevel::kWarn, "feedback_checkpoint_failed",
          {{"error", s.message()}});
    }
    sqlite3_close(writer_);
    writer_ = nullptr;
  }
  Result<sqlite3*> db = OpenDatabase(options_);
  if (!db.ok()) {
    // The path and SQLite's reason go to the log, not to clients.
    Log(LogLevel::kError, "feedback_db_reopen_failed",
        {{"error", db.status().message()}});
    return Status::IoError(
        "feedback store: the database file was deleted or replaced and "
        "cannot be opened again");
  }
  writer_ = *db;
  Log(LogLevel::kWarn, "feedback_db_reopened", {{"db", options_.path}});
  return Status::Ok();
}

Status SqliteFeedbackStore::CommitOnce(std::vector<Pending>& batch) {
  if (Status s = Exec(writer_, "BEGIN IMMEDIATE"); !s.ok()) return s;
  Statement insert;
  if (sqlite3_prepare_v2(writer_, feedback_sql::kInsert, -1, &insert.stmt,
                         nullptr) != SQLITE_OK) {
    Status s = SqliteError(writer_, "prepare");
    Exec(writer_, "ROLLBACK");
    return s;
  }
  for (Pending& p : batch) {
    const FeedbackRow& row = p.row;
    // A batch committed again into a reopened file starts over.
    p.outcome = Outcome::kInserted;
    Result<std::optional<Outcome>> earlier =
        EarlierOutcome(p, [&](Lookup lookup, std::string_view value) {
          return ReadOne(writer_, LookupSql(lookup), value);
        });
    if (!earlier.ok()) {
      Exec(writer_, "ROLLBACK");
      return earlier.status();
    }
    if (earlier->has_value()) {
      p.outcome = **earlier;
      continue;
    }
    sqlite3_stmt* stmt = insert.stmt;
    sqlite3_reset(stmt);
    const bool about_suggestion = !row.suggestion_id.empty();
    BindTextOrNull(stmt, 1, row.suggestion_id);
    BindTextOrNull(stmt, 2, row.suggestion.conversation_id);
    BindTextOrNull(stmt, 3, row.suggestion.intent);
    BindTextOrNull(stmt, 4, row.suggestion.template_id);
    BindTextOrNull(stmt, 5, row.suggestion.pack_version);
    if (about_suggestion) {
      sqlite3_bind_int64(stmt, 6, row.suggestion.latency_us);
    } else {
      sqlite3_bind_null(stmt, 6);
    }
    BindText(stmt, 7, FeedbackActionName(row.action));
    // The suggestion's text: NULL where this server did not make it.
    BindTextOrNull(stmt, 8, row.suggestion.text);
    // Bound without a copy: it lives until the step below.
    const std::optional<std::string> final_text = FinalTextToStore(row);
    if (final_text) {
      BindText(stmt, 9, *final_text);
    } else {
      sqlite3_bind_null(stmt, 9);
    }
    if (about_suggestion) {
      sqlite3_bind_int64(stmt, 10, row.suggestion.suggested_at_ms);
    } else {
      sqlite3_bind_null(stmt, 10);
    }
    sqlite3_bind_int64(stmt, 11, row.feedback_at_ms);
    if (row.key) {
      BindText(stmt, 12, *row.key);
    } else {
      sqlite3_bind_null(stmt, 12);
    }
    BindTextOrNull(stmt, 13, row.suggestion.shop);
    BindTextOrNull(stmt, 14, row.suggestion.arm);
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

}  // namespace reply::server

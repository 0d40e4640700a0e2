#include "server/pg_feedback_store.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "server/feedback_sql.h"
#include "server/log.h"

namespace reply::server {
namespace {

using learn::PgConnection;
using learn::PgResult;

// While the database is unreachable, how often the idle writer tries to
// connect (so /healthz and the log say when it is back, and migrations run
// before the first feedback). Each try waits at most
// PgConnection::kConnectTimeoutS.
constexpr std::chrono::seconds kRetryEvery{1};
// While no rows come and the database answered, how often the idle writer
// asks it again (`SELECT 1` on its connection): Reachable(), and so
// /healthz, turn "unreachable" within seconds of an outage instead of at
// the next feedback.
constexpr std::chrono::seconds kCheckEvery{2};

// The statement that takes PgFeedbackStore's advisory lock `key` until the
// transaction ends.
std::string LockSql(int64_t key) {
  return "SELECT pg_advisory_xact_lock(" + std::to_string(key) + ")";
}

// Version 5, the first of the PostgreSQL store: the SQLite store's table of
// that version. A later version adds its step to both stores.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE feedback (
  id BIGSERIAL PRIMARY KEY,
  suggestion_id TEXT,
  conversation_id TEXT,
  intent TEXT,
  template TEXT,
  pack_version TEXT,
  latency_us BIGINT,
  action TEXT NOT NULL CHECK (action IN ('accepted', 'edited', 'rejected',
                                         'ignored', 'shown', 'own_reply')),
  suggested_text TEXT,
  final_text TEXT,
  suggested_at_ms BIGINT,
  feedback_at_ms BIGINT NOT NULL,
  feedback_key TEXT UNIQUE,
  shop TEXT,
  arm TEXT
);
CREATE INDEX feedback_by_template ON feedback (template);
CREATE INDEX feedback_by_suggestion ON feedback (suggestion_id, action);
CREATE INDEX feedback_by_shop ON feedback (shop, template);
)sql";

// What clients are told; the URL and libpq's reason go to the log.
constexpr const char* kUnreachable =
    "feedback store: the database is unreachable; try again";
constexpr const char* kRefused =
    "feedback store: the database refused the rows (the server's log says "
    "why)";

// Brings the database to feedback_sql::kSchemaVersion in one transaction.
Status Migrate(const PgConnection& db) {
  auto run = [&]() -> Status {
    for (const std::string& sql :
         {LockSql(PgFeedbackStore::kMigrationsLockKey),
          std::string("CREATE TABLE IF NOT EXISTS reply_schema (version "
                      "INTEGER NOT NULL)")}) {
      if (Result<PgResult> r = db.Exec(sql); !r.ok()) return r.status();
    }
    Result<PgResult> version = db.Exec("SELECT max(version) FROM reply_schema");
    if (!version.ok()) return version.status();
    const int64_t v = version->Int(0, 0);
    if (v > feedback_sql::kSchemaVersion) {
      return Status::IoError(
          "feedback store: " + db.redacted_url() + ": schema version " +
          std::to_string(v) + " was written by a newer replyd (this one " +
          "knows up to " + std::to_string(feedback_sql::kSchemaVersion) +
          "); run that replyd or give --db another database");
    }
    if (v < 5) {
      if (Result<PgResult> r = db.Exec(kSchemaV5); !r.ok()) return r.status();
    }
    if (v < feedback_sql::kSchemaVersion) {
      for (const std::string& sql :
           {std::string("DELETE FROM reply_schema"),
            "INSERT INTO reply_schema VALUES (" +
                std::to_string(feedback_sql::kSchemaVersion) + ")"}) {
        if (Result<PgResult> r = db.Exec(sql); !r.ok()) return r.status();
      }
      Log(LogLevel::kInfo, "feedback_schema_migrated",
          {{"db", db.redacted_url()},
           {"from", v},
           {"to", feedback_sql::kSchemaVersion}});
    }
    return Status::Ok();
  };
  if (Result<PgResult> r = db.Exec("BEGIN"); !r.ok()) return r.status();
  Status s = run();
  if (s.ok()) {
    if (Result<PgResult> r = db.Exec("COMMIT"); !r.ok()) s = r.status();
  }
  if (!s.ok()) db.Exec("ROLLBACK").ok();
  return s;
}

std::optional<std::string> NullIfEmpty(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

// The columns a look-up reads of a stored row, from `column` on:
// suggestion_id, action, final_text, suggested_text.
StoredFeedback StoredAt(const PgResult& r, int row, int column) {
  StoredFeedback stored;
  stored.suggestion_id = r.Text(row, column);
  stored.action = ParseFeedbackAction(r.Text(row, column + 1))
                      .value_or(FeedbackAction::kRejected);
  stored.final_text = r.OptText(row, column + 2);
  stored.suggested_text = r.Text(row, column + 3);
  return stored;
}

// "$first,$first+1,...": `count` numbered parameters.
std::string Placeholders(size_t first, size_t count) {
  std::string list;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) list += ',';
    list += '$' + std::to_string(first + i);
  }
  return list;
}

// A row's parameters for feedback_sql::kInsert, in its order.
std::vector<std::optional<std::string>> InsertParams(const FeedbackRow& row) {
  const bool about_suggestion = !row.suggestion_id.empty();
  const auto if_suggestion =
      [&](std::string value) -> std::optional<std::string> {
    if (!about_suggestion) return std::nullopt;
    return value;
  };
  return {NullIfEmpty(row.suggestion_id),
          NullIfEmpty(row.suggestion.conversation_id),
          NullIfEmpty(row.suggestion.intent),
          NullIfEmpty(row.suggestion.template_id),
          NullIfEmpty(row.suggestion.pack_version),
          if_suggestion(std::to_string(row.suggestion.latency_us)),
          std::string(FeedbackActionName(row.action)),
          NullIfEmpty(row.suggestion.text),
          FinalTextToStore(row),
          if_suggestion(std::to_string(row.suggestion.suggested_at_ms)),
          std::to_string(row.feedback_at_ms),
          row.key,
          NullIfEmpty(row.suggestion.shop),
          NullIfEmpty(row.suggestion.arm)};
}

// feedback_sql::kInsert for `rows` rows: its head, then a tuple of
// placeholders per row. A batch is at most 512 rows (feedback_store.cc's
// kMaxBatch): 7,168 parameters, under the protocol's 65,535.
std::string MultiRowInsert(size_t rows, size_t params_per_row) {
  const std::string_view insert = feedback_sql::kInsert;
  std::string sql(insert.substr(0, insert.find("VALUES ") + 7));
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ',';
    sql += '(' + Placeholders(1 + i * params_per_row, params_per_row) + ')';
  }
  return sql;
}

}  // namespace

Result<std::unique_ptr<FeedbackStore>> PgFeedbackStore::Open(Options options) {
  // A URL libpq cannot read is the operator's mistake: the start fails.
  if (Status s = learn::CheckPostgresUrl(options.path); !s.ok()) {
    return Status::BadRequest("feedback store: " + s.message());
  }
  std::unique_ptr<PgConnection> writer;
  Result<std::unique_ptr<PgConnection>> connected =
      PgConnection::Connect(options.path);
  if (connected.ok()) {
    // Reachable: a database this replyd cannot write fails the start.
    if (Status s = Migrate(**connected); !s.ok()) return s;
    writer = std::move(*connected);
  } else {
    // A node restarted during an outage still serves suggestions; the
    // writer connects and migrates once the database is back.
    Log(LogLevel::kError, "feedback_db_unreachable",
        {{"error", connected.status().message()},
         {"note",
          "starting without the feedback database: suggestions are served, "
          "feedback is refused until it is reachable"}});
  }
  return std::unique_ptr<FeedbackStore>(
      new PgFeedbackStore(std::move(options), std::move(writer)));
}

PgFeedbackStore::PgFeedbackStore(Options options,
                                 std::unique_ptr<PgConnection> writer)
    : FeedbackStore(options.max_pending),
      options_(std::move(options)),
      writer_(std::move(writer)),
      migrated_(writer_ != nullptr),
      failing_(writer_ == nullptr),
      reachable_(writer_ != nullptr),
      last_answer_(std::chrono::steady_clock::now()) {
  StartWriter();
}

PgFeedbackStore::~PgFeedbackStore() { Close(); }

Status PgFeedbackStore::WriterReady() {
  if (writer_ != nullptr && !writer_->Broken() && migrated_)
    return Status::Ok();
  Status s;
  if (writer_ == nullptr) {
    Result<std::unique_ptr<PgConnection>> c =
        PgConnection::Connect(options_.path);
    if (c.ok()) {
      writer_ = std::move(*c);
    } else {
      s = c.status();
    }
  } else if (writer_->Broken()) {
    s = writer_->Reconnect();
  }
  // Connected again: the database may be a new one (restored, recreated).
  migrated_ = false;
  if (s.ok()) s = Migrate(*writer_);
  if (!s.ok()) {
    const bool down = writer_ == nullptr || writer_->Broken();
    if (!failing_) {
      Log(LogLevel::kError,
          down ? "feedback_db_unreachable" : "feedback_db_error",
          {{"error", s.message()},
           {"note", "feedback is refused until the database is back"}});
    }
    failing_ = true;
    reachable_ = false;
    return Status::IoError(down ? kUnreachable : kRefused);
  }
  migrated_ = true;
  reachable_ = true;
  if (failing_) {
    Log(LogLevel::kWarn, "feedback_db_reconnected",
        {{"db", writer_->redacted_url()}});
  }
  failing_ = false;
  return Status::Ok();
}

std::optional<std::chrono::milliseconds> PgFeedbackStore::WhileIdle() {
  using std::chrono::steady_clock;
  if (failing_) {
    if (!WriterReady().ok()) return kRetryEvery;
    last_answer_ = steady_clock::now();
    return kCheckEvery;
  }
  const steady_clock::duration quiet = steady_clock::now() - last_answer_;
  if (quiet < kCheckEvery) {
    return std::chrono::ceil<std::chrono::milliseconds>(kCheckEvery - quiet);
  }
  Result<PgResult> r = writer_->Exec("SELECT 1");
  // An error that keeps the connection is an answer.
  if (r.ok() || !writer_->Broken()) {
    last_answer_ = steady_clock::now();
    return kCheckEvery;
  }
  Log(LogLevel::kError, "feedback_db_unreachable",
      {{"error", r.status().message()},
       {"note", "feedback is refused until the database is back"}});
  failing_ = true;
  reachable_ = false;
  return kRetryEvery;
}

Status PgFeedbackStore::CommitBatch(std::vector<Pending>& batch) {
  if (Status s = WriterReady(); !s.ok()) return s;
  Status s = CommitOnce(batch);
  if (s.ok()) {
    last_answer_ = std::chrono::steady_clock::now();
    return s;
  }
  if (!writer_->Broken()) writer_->Exec("ROLLBACK").ok();
  Log(LogLevel::kError, "feedback_db_error", {{"error", s.message()}});
  if (!writer_->Broken()) return Status::IoError(kRefused);
  // Lost: reconnected before the next batch, and meanwhile while idle.
  failing_ = true;
  reachable_ = false;
  return Status::IoError(kUnreachable);
}

// The batch's look-ups answered from memory: the rows read before the
// batch, then each of its rows to be inserted as it is taken.
struct PgFeedbackStore::Earlier {
  std::unordered_map<std::string, StoredFeedback> by_key, final_of, shown_of;

  Result<std::optional<StoredFeedback>> Find(Lookup lookup,
                                             std::string_view value) const {
    const auto& map = lookup == Lookup::kByKey     ? by_key
                      : lookup == Lookup::kFinalOf ? final_of
                                                   : shown_of;
    auto it = map.find(std::string(value));
    if (it == map.end()) return std::optional<StoredFeedback>();
    return std::optional<StoredFeedback>(it->second);
  }
  // What a look-up finds of `stored` once it is in the table (the first row
  // of a kind is kept, as LIMIT 1 on the id order would).
  void Add(const std::optional<std::string>& key, StoredFeedback stored) {
    if (key) by_key.emplace(*key, stored);
    if (stored.suggestion_id.empty()) return;
    if (stored.action == FeedbackAction::kShown) {
      shown_of.emplace(stored.suggestion_id, std::move(stored));
    } else if (IsFinalAction(stored.action)) {
      final_of.emplace(stored.suggestion_id, std::move(stored));
    }
  }
};

Status PgFeedbackStore::ReadEarlier(const std::vector<Pending>& batch,
                                    Earlier* earlier) const {
  // The values EarlierOutcome may look up: every key, and the suggestion of
  // every row that could be inserted.
  std::unordered_set<std::string> keys, suggestions;
  for (const Pending& p : batch) {
    if (p.row.key) keys.insert(*p.row.key);
    if (!p.lookup_only && !p.row.suggestion_id.empty()) {
      suggestions.insert(p.row.suggestion_id);
    }
  }
  // Every row of those keys and suggestions: Earlier::Add keeps of a
  // suggestion's rows the kinds the look-ups find (its final answer, its
  // `shown`), so the action filter of feedback_sql's look-ups is not
  // written again here.
  std::vector<std::optional<std::string>> params;
  std::vector<std::string> where;
  for (const auto& [column, values] :
       {std::pair{"feedback_key", &keys},
        std::pair{"suggestion_id", &suggestions}}) {
    if (values->empty()) continue;
    where.push_back(std::string(column) + " IN (" +
                    Placeholders(params.size() + 1, values->size()) + ")");
    params.insert(params.end(), values->begin(), values->end());
  }
  if (where.empty()) return Status::Ok();
  std::string sql =
      "SELECT id, feedback_key, suggestion_id, action, final_text, "
      "suggested_text FROM feedback WHERE " +
      where[0];
  if (where.size() > 1) sql += " OR " + where[1];
  Result<PgResult> r = writer_->Exec(sql + " ORDER BY id", params);
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    earlier->Add(r->OptText(i, 1), StoredAt(*r, i, 2));
  }
  return Status::Ok();
}

Status PgFeedbackStore::CommitOnce(std::vector<Pending>& batch) {
  const PgConnection& db = *writer_;
  // One round trip: a script of several statements, without parameters.
  if (Result<PgResult> r = db.Exec("BEGIN; " + LockSql(kWritersLockKey));
      !r.ok()) {
    return r.status();
  }
  Earlier earlier;
  if (Status s = ReadEarlier(batch, &earlier); !s.ok()) return s;
  std::vector<std::optional<std::string>> params;
  size_t inserts = 0;
  for (Pending& p : batch) {
    p.outcome = Outcome::kInserted;
    Result<std::optional<Outcome>> outcome =
        EarlierOutcome(p, [&](Lookup lookup, std::string_view value) {
          return earlier.Find(lookup, value);
        });
    if (!outcome.ok()) return outcome.status();
    if (outcome->has_value()) {
      p.outcome = **outcome;
      continue;
    }
    const FeedbackRow& row = p.row;
    earlier.Add(row.key, {.suggestion_id = row.suggestion_id,
                          .action = row.action,
                          .final_text = FinalTextToStore(row),
                          .suggested_text = row.suggestion.text});
    std::vector<std::optional<std::string>> row_params = InsertParams(row);
    params.insert(params.end(), std::make_move_iterator(row_params.begin()),
                  std::make_move_iterator(row_params.end()));
    ++inserts;
  }
  if (inserts > 0) {
    Result<PgResult> r =
        db.Exec(MultiRowInsert(inserts, params.size() / inserts), params);
    if (!r.ok()) return r.status();
  }
  // The ack waits for this: the rows are durable once COMMIT returns.
  if (Result<PgResult> r = db.Exec("COMMIT"); !r.ok()) return r.status();
  return Status::Ok();
}

}  // namespace reply::server

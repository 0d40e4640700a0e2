// The statements both feedback stores (sqlite_feedback_store.cc,
// pg_feedback_store.cc) run on table `feedback`, written once so that the
// two cannot drift apart. Parameters are $1, $2, ... in order of first use:
// PostgreSQL's numbered parameters, and to SQLite named parameters, which
// it numbers in the order they first appear -- the same numbers.
#ifndef REPLY_SERVER_FEEDBACK_SQL_H_
#define REPLY_SERVER_FEEDBACK_SQL_H_

namespace reply::server::feedback_sql {

// The version of table `feedback` both stores bring their database to (a
// replyd refuses a database of a later version: another replyd's).
inline constexpr int kSchemaVersion = 5;

// A row; CommitBatch looks its key up first (in the same transaction), so
// the unique index on feedback_key only guards against a bug.
inline constexpr const char* kInsert =
    "INSERT INTO feedback (suggestion_id, conversation_id, intent, template, "
    "pack_version, latency_us, action, suggested_text, final_text, "
    "suggested_at_ms, feedback_at_ms, feedback_key, shop, arm) "
    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)";

// The earlier rows an outcome depends on (FeedbackStore::Lookup), each as
// the StoredFeedback columns: suggestion_id, action, final_text,
// suggested_text.
inline constexpr const char* kFindFinal =
    "SELECT suggestion_id, action, final_text, suggested_text FROM feedback "
    "WHERE suggestion_id = $1 AND action IN ('accepted', 'edited', "
    "'rejected', 'ignored') LIMIT 1";
inline constexpr const char* kFindShown =
    "SELECT suggestion_id, action, final_text, suggested_text FROM feedback "
    "WHERE suggestion_id = $1 AND action = 'shown' LIMIT 1";
inline constexpr const char* kFindByKey =
    "SELECT suggestion_id, action, final_text, suggested_text FROM feedback "
    "WHERE feedback_key = $1";

}  // namespace reply::server::feedback_sql

#endif  // REPLY_SERVER_FEEDBACK_SQL_H_

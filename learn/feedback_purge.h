// Erasing what a buyer or an agent wrote from a feedback database
// (server/feedback_store.h), keeping the counts: issue 14's privacy rules.
// A feedback row keeps its action, intent, template, shop, arm and times,
// so /stats, the report's counts and the learned order do not change; its
// texts (the suggestion as sent, which holds the order's details, and the
// agent's final text) become NULL. Edit mining no longer sees an erased
// row.
//
//   EraseTextsBefore("feedback.db", cutoff_ms)   // retention
//   PurgeConversation("feedback.db", "c-42")     // one buyer's request
//
// `db_path` is a SQLite file or a postgresql:// URL (replyd's --db). Each
// opens its own read-write connection for the length of the call and
// writes in short transactions (10,000 rows by id at a time), so replyd's
// writer waits at most one of them (SQLite: WAL, both sides wait out a lock
// for `busy_timeout_ms`; PostgreSQL locks the rows changed only, which the
// writer never updates).
//
// Thread safety: pure functions; the database serializes writers.
#ifndef REPLY_LEARN_FEEDBACK_PURGE_H_
#define REPLY_LEARN_FEEDBACK_PURGE_H_

#include <cstdint>
#include <string>

#include "engine/base/status.h"

namespace reply::learn {

// Erases the texts of the rows given before `before_ms` (milliseconds since
// the epoch, feedback_at_ms). The number of rows erased.
Result<int64_t> EraseTextsBefore(const std::string& db_path, int64_t before_ms,
                                 int64_t busy_timeout_ms = 5000);

// Erases the texts and the conversation id of every row of the
// conversation, so nothing links the counts to the buyer. The number of
// rows erased.
Result<int64_t> PurgeConversation(const std::string& db_path,
                                  const std::string& conversation_id,
                                  int64_t busy_timeout_ms = 5000);

}  // namespace reply::learn

#endif  // REPLY_LEARN_FEEDBACK_PURGE_H_

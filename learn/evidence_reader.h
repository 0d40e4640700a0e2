// ReadEvidence: what agents did with each reply template, read from a
// feedback database (server/feedback_store.h) into the counts a Ranking
// (engine/select/ranking.h) is built from.
//
//   Result<Ranking::Evidence> evidence = ReadEvidence("feedback.db");
//   auto ranking = std::make_shared<const Ranking>(Ranking::Options{},
//                                                  std::move(*evidence));
//
// Counts are per shop when the file has a `shop` column (schema v4 and
// later; rows without one count as shop ""), and pooled over every shop
// under "". `shown` counts each displayed suggestion once (a `shown` row or
// a final action), as /stats does.
//
// The file is opened read-only, for the length of one call: the server's
// writer is never blocked (WAL) and nothing here runs on a request.
//
// Thread safety: a pure function; calls may run at once.
#ifndef REPLY_LEARN_EVIDENCE_READER_H_
#define REPLY_LEARN_EVIDENCE_READER_H_

#include <string>

#include "engine/base/status.h"
#include "engine/select/ranking.h"

namespace reply::learn {

Result<Ranking::Evidence> ReadEvidence(const std::string& db_path);

}  // namespace reply::learn

#endif  // REPLY_LEARN_EVIDENCE_READER_H_

// Retention: erases the texts of feedback rows older than
// --feedback-retention-days (learn/feedback_purge.h: the suggested and
// final texts become NULL, the counts stay), at start and then every hour,
// on its own thread through its own connection (to the SQLite file or the
// PostgreSQL database of --db); requests never wait for it. A failure (the
// file locked past the busy timeout, the database unreachable) is logged
// once and tried again at the next hour.
//
// Thread safety: Stop from the thread that made the retention; the work
// runs on its own thread (periodic_worker.h).
#ifndef REPLY_SERVER_RETENTION_H_
#define REPLY_SERVER_RETENTION_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "server/periodic_worker.h"

namespace reply::server {

class Retention {
 public:
  static constexpr std::chrono::hours kEvery{1};

  Retention(std::string db_path, int64_t days, int64_t busy_timeout_ms);
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // Waits for an erase in progress to finish, then ends the thread.
  void Stop() { worker_.Stop(); }

 private:
  void Erase();

  const std::string db_path_;
  const int64_t days_;
  const int64_t busy_timeout_ms_;
  bool failing_ = false;   // logs a failure once until it recovers (worker)
  PeriodicWorker worker_;  // last: starts once the fields above are set
};

}  // namespace reply::server

#endif  // REPLY_SERVER_RETENTION_H_

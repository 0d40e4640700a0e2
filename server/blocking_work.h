// BlockingWork: a thread of its own for requests that may block, so the I/O
// threads never wait on them. /stats builds its report from the feedback
// database: a few ms usually, but seconds over a large table, and up to
// the connect and query timeouts (learn/pg_connection.h) when PostgreSQL
// does not answer. On an I/O thread that wait stalled every connection the
// thread serves, suggestions included (PgStoreTest.
// FrozenDatabaseStallsNoSuggestionBehindAStatsRequest).
//
//   BlockingWork work;
//   if (!work.Post([self] { ...; net::post(executor, answer); })) Refuse();
//   work.Stop();  // or the destructor
//
// Limits: at most kMaxQueued tasks wait (one runs at a time); Post refuses
// the next, so a flood of slow requests is answered 503 at once instead of
// queueing without bound.
//
// Thread safety: Post from any thread; Stop from the owner. A task that
// throws is logged and dropped; the exception never leaves the thread.
#ifndef REPLY_SERVER_BLOCKING_WORK_H_
#define REPLY_SERVER_BLOCKING_WORK_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace reply::server {

class BlockingWork {
 public:
  static constexpr size_t kMaxQueued = 16;

  BlockingWork();
  ~BlockingWork();  // Stop()
  BlockingWork(const BlockingWork&) = delete;
  BlockingWork& operator=(const BlockingWork&) = delete;

  // Queues `task`; false (and `task` dropped) when kMaxQueued wait already
  // or after Stop.
  bool Post(std::function<void()> task);

  // Waits for the task in progress, then ends the thread; the queued tasks
  // are dropped (what they hold is destroyed on the caller's thread).
  void Stop();

 private:
  void Loop();

  std::mutex mu_;  // guards queue_, stopping_
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_BLOCKING_WORK_H_

// PeriodicWorker: runs a piece of work on a thread of its own, once at
// start and then every `every`, until stopped. The background jobs of a
// server (learner.h, retention.h) are one each; requests never wait for
// them.
//
//   PeriodicWorker worker(std::chrono::hours(1), [this] { Erase(); });
//   worker.Stop();  // or the destructor
//
// Thread safety: Stop from one thread (the one that owns the worker); the
// work runs on the worker's thread only, one run at a time.
#ifndef REPLY_SERVER_PERIODIC_WORKER_H_
#define REPLY_SERVER_PERIODIC_WORKER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace reply::server {

class PeriodicWorker {
 public:
  // Starts the thread; the first run begins at once.
  PeriodicWorker(std::chrono::milliseconds every, std::function<void()> work);
  ~PeriodicWorker();  // Stop()
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Waits for a run in progress to finish, then ends the thread.
  void Stop();

 private:
  void Loop();

  const std::chrono::milliseconds every_;
  const std::function<void()> work_;
  std::mutex mu_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_PERIODIC_WORKER_H_

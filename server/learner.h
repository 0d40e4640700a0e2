// Learner: recomputes the learned order of reply variants from the feedback
// database in the background and swaps it into the engine
// (Engine::SetRanking), every `interval` and once at start. Requests read
// the ranking snapshot current when they start; none waits for this.
//
// A failed read (the file locked longer than the busy timeout, a broken
// file) is logged and the last ranking keeps serving.
//
// Thread safety: Start and Stop from one thread; the work runs on the
// learner's own thread.
#ifndef REPLY_SERVER_LEARNER_H_
#define REPLY_SERVER_LEARNER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "engine/select/ranking.h"

namespace reply::server {

class Learner {
 public:
  Learner(Engine* engine, std::string db_path, std::chrono::seconds interval,
          Ranking::Options options = {});
  ~Learner();  // Stop()
  Learner(const Learner&) = delete;
  Learner& operator=(const Learner&) = delete;

  // Waits for a recompute in progress to finish, then ends the thread.
  void Stop();

 private:
  void Loop();
  void Recompute();

  Engine* engine_;
  const std::string db_path_;
  const std::chrono::seconds interval_;
  const Ranking::Options options_;
  std::mutex mu_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  bool failing_ = false;  // logs a failure once until it recovers
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_LEARNER_H_

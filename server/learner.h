// Learner: recomputes the learned order of reply variants from the feedback
// database in the background and swaps it into the engine
// (Engine::SetRanking), every `interval` and once at start. Requests read
// the ranking snapshot current when they start; none waits for this.
//
// A failed read (the file locked longer than the busy timeout, a broken
// file) is logged and the last ranking keeps serving.
//
// Thread safety: Stop from the thread that made the learner; the work runs
// on its own thread (periodic_worker.h).
#ifndef REPLY_SERVER_LEARNER_H_
#define REPLY_SERVER_LEARNER_H_

#include <chrono>
#include <string>

#include "engine/engine.h"
#include "engine/select/ranking.h"
#include "server/periodic_worker.h"

namespace reply::server {

class Learner {
 public:
  Learner(Engine* engine, std::string db_path, std::chrono::seconds interval,
          Ranking::Options options = {});
  Learner(const Learner&) = delete;
  Learner& operator=(const Learner&) = delete;

  // Waits for a recompute in progress to finish, then ends the thread.
  void Stop() { worker_.Stop(); }

 private:
  void Recompute();

  Engine* engine_;
  const std::string db_path_;
  const Ranking::Options options_;
  bool failing_ = false;   // logs a failure once until it recovers (worker)
  PeriodicWorker worker_;  // last: starts once the fields above are set
};

}  // namespace reply::server

#endif  // REPLY_SERVER_LEARNER_H_

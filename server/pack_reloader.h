// PackReloader: reloads the engine's packs on its own thread, one load at a
// time, and remembers how the last one went for /healthz.
//
//   PackReloader reloader(&engine, &metrics, reload_tokens);
//   reloader.Request("sighup", [](const Status& s) { ... });  // on the
//   reloader thread PackReloader::Health h = reloader.health();  // version,
//   last error
//
// Requests that arrive while a load waits to start share it: a burst of file
// changes costs one load. Loading takes long enough (patterns compile) that
// it must not run on an I/O thread. While it runs, requests keep being served
// from the old snapshot; a failed load keeps the old snapshot (Engine::Reload).
//
// Thread safety: Request and health may be called from any thread. The
// destructor waits for a running load and drops requests not yet started.
#ifndef REPLY_SERVER_PACK_RELOADER_H_
#define REPLY_SERVER_PACK_RELOADER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "server/metrics.h"

namespace reply::server {

class PackReloader {
 public:
  using Done = std::function<void(const Status&)>;

  struct Health {
    std::string pack_version;
    std::string last_error;  // empty: the last load succeeded (or none ran)
    uint64_t reloads = 0;    // loads finished, good or bad
  };

  // `also` runs after each successful pack load (the server reads its
  // tokens file again, against the new packs' shops); its error fails the
  // reload (the new packs stay: they loaded).
  using Also = std::function<Status()>;
  PackReloader(Engine* engine, Metrics* metrics, Also also = nullptr);
  ~PackReloader();
  PackReloader(const PackReloader&) = delete;
  PackReloader& operator=(const PackReloader&) = delete;

  // `cause` is logged: "sighup", "request", "watch".
  void Request(std::string cause, Done done = nullptr);
  Health health() const;

 private:
  void Loop();
  Status ReloadCatchingAll(std::vector<PackIssue>* issues);

  Engine* const engine_;
  Metrics* const metrics_;
  const Also also_;
  mutable std::mutex mu_;  // guards everything below
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::string> causes_;
  std::vector<Done> waiting_;
  // The version is copied here with the count so that /healthz never pairs
  // a new version with the count from before its load.
  std::string pack_version_;
  std::string last_error_;
  uint64_t reloads_ = 0;
  std::thread thread_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_PACK_RELOADER_H_

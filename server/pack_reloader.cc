#include "server/pack_reloader.h"

#include <chrono>

#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "server/log.h"

namespace reply::server {

PackReloader::PackReloader(Engine* engine, Metrics* metrics, Also also)
    : engine_(engine),
      metrics_(metrics),
      also_(std::move(also)),
      pack_version_(engine->pack()->version),
      thread_([this] { Loop(); }) {}

PackReloader::~PackReloader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void PackReloader::Request(std::string cause, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    causes_.push_back(std::move(cause));
    if (done) waiting_.push_back(std::move(done));
  }
  wake_.notify_one();
}

PackReloader::Health PackReloader::health() const {
  Health h;
  std::lock_guard<std::mutex> lock(mu_);
  h.pack_version = pack_version_;
  h.last_error = last_error_;
  h.reloads = reloads_;
  return h;
}

// The loader reports every problem as a value; this is the last line of
// defence for what it cannot foresee (bad_alloc on a huge pack), so that no
// exception ends the reloader thread and with it the process.
Status PackReloader::ReloadCatchingAll(std::vector<PackIssue>* issues) {
  try {
    return engine_->Reload(issues);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("reload failed: ") + e.what());
  } catch (...) {
    return Status::Internal("reload failed: unknown exception");
  }
}

void PackReloader::Loop() {
  for (;;) {
    std::vector<std::string> causes;
    std::vector<Done> waiting;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !causes_.empty(); });
      if (stopping_) return;
      causes.swap(causes_);
      waiting.swap(waiting_);
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<PackIssue> issues;
    Status status = ReloadCatchingAll(&issues);
    if (status.ok() && also_) status = also_();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    metrics_->CountReload(status.ok());
    {
      std::lock_guard<std::mutex> lock(mu_);
      pack_version_ = engine_->pack()->version;
      last_error_ = status.ok() ? "" : status.message();
      ++reloads_;
    }
    if (status.ok()) {
      Log(LogLevel::kInfo, "reload",
          {{"ok", true},
           {"causes", causes},
           {"pack_version", engine_->pack()->version},
           {"ms", ms}});
    } else {
      nlohmann::ordered_json problems = nlohmann::ordered_json::array();
      for (const PackIssue& issue : issues)
        problems.push_back(issue.ToString());
      Log(LogLevel::kError, "reload",
          {{"ok", false},
           {"causes", causes},
           {"error", status.message()},
           {"issues", problems},
           {"serving", engine_->pack()->version},
           {"ms", ms}});
    }
    for (Done& done : waiting) done(status);
  }
}

}  // namespace reply::server

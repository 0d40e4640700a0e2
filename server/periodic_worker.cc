#include "server/periodic_worker.h"

#include <utility>

namespace reply::server {

PeriodicWorker::PeriodicWorker(std::chrono::milliseconds every,
                               std::function<void()> work)
    : every_(every), work_(std::move(work)) {
  thread_ = std::thread([this] { Loop(); });
}

PeriodicWorker::~PeriodicWorker() { Stop(); }

void PeriodicWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void PeriodicWorker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    work_();
    lock.lock();
    wake_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace reply::server

#include "server/blocking_work.h"

#include <exception>
#include <utility>

#include "server/log.h"

namespace reply::server {

BlockingWork::BlockingWork() : thread_([this] { Loop(); }) {}

BlockingWork::~BlockingWork() { Stop(); }

bool BlockingWork::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= kMaxQueued) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void BlockingWork::Stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  dropped.swap(queue_);
}

void BlockingWork::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "blocking_task_failed", {{"error", e.what()}});
    } catch (...) {
      Log(LogLevel::kError, "blocking_task_failed", {{"error", "unknown"}});
    }
  }
}

}  // namespace reply::server

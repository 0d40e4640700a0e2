#include "server/connection_registry.h"

#include <utility>
#include <vector>

namespace reply::server {

ConnectionRegistry::Slot::Slot(Slot&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

ConnectionRegistry::Slot::~Slot() {
  if (registry_ != nullptr) registry_->Release(id_);
}

void ConnectionRegistry::Slot::Attach(std::weak_ptr<Connection> connection) {
  registry_->Attach(id_, std::move(connection));
}

std::optional<ConnectionRegistry::Slot> ConnectionRegistry::Admit(
    Refusal* refusal) {
  std::lock_guard<std::mutex> lock(mu_);
  if (phase_ != Phase::kServing || live_.size() >= max_connections_) {
    if (refusal != nullptr) {
      *refusal =
          phase_ == Phase::kServing ? Refusal::kFull : Refusal::kShuttingDown;
    }
    return std::nullopt;
  }
  const uint64_t id = next_id_++;
  live_.emplace(id, std::weak_ptr<Connection>());
  return Slot(this, id);
}

size_t ConnectionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.size();
}

void ConnectionRegistry::Attach(uint64_t id,
                                std::weak_ptr<Connection> connection) {
  Phase phase;
  Connection::Clock::time_point close_by;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live_[id] = connection;
    phase = phase_;
    close_by = close_by_;
  }
  // Came in while the server winds down: catch up with the others.
  if (phase == Phase::kServing) return;
  if (std::shared_ptr<Connection> c = connection.lock()) {
    if (phase == Phase::kShuttingDown) {
      c->Shutdown(close_by);
    } else {
      c->Abort();
    }
  }
}

void ConnectionRegistry::Release(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.erase(id);
  // Notified under the lock: once the waiter sees zero it may destroy the
  // registry, which must not happen while this call still touches it.
  if (live_.empty()) emptied_.notify_all();
}

void ConnectionRegistry::ShutdownAll(Connection::Clock::time_point close_by) {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (phase_ == Phase::kServing) {
      phase_ = Phase::kShuttingDown;
      close_by_ = close_by;
    }
    for (auto& [id, weak] : live_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) c->Shutdown(close_by);
}

void ConnectionRegistry::AbortAll() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = Phase::kAborting;
    for (auto& [id, weak] : live_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) c->Abort();
}

bool ConnectionRegistry::WaitUntilEmpty(
    Connection::Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return emptied_.wait_until(lock, deadline, [this] { return live_.empty(); });
}

}  // namespace reply::server

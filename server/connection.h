// Connection bookkeeping shared by the listener and the sessions.
//
// ConnectionSlot: one accepted TCP connection, counted in the metrics (and
// so against --max-connections) from accept until the last session that
// owns it ends. Moves from the HTTP session to the WebSocket session on
// upgrade, so the count is per socket.
//
// ConnectionSet: the live sessions, so that shutdown can ask each to wind
// down. A session joins when it starts and leaves in its destructor.
//
//   auto slot = ConnectionSlot(&metrics);
//   if (!connections.Add(this, weak_from_this())) { /* shutting down */ }
//   connections.ShutdownAll();
//
// Thread safety: ConnectionSet may be used from any thread; a slot is a
// value owned by one session.
#ifndef REPLY_SERVER_CONNECTION_H_
#define REPLY_SERVER_CONNECTION_H_

#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "server/metrics.h"

namespace reply::server {

// A session the server can ask to finish what it is doing and close.
class Connection {
 public:
  virtual ~Connection() = default;
  // Called from any thread; the session finishes on its own strand.
  virtual void Shutdown() = 0;
};

class ConnectionSlot {
 public:
  explicit ConnectionSlot(Metrics* metrics) : metrics_(metrics) {
    metrics_->ConnectionOpened();
  }
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : metrics_(std::exchange(other.metrics_, nullptr)) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (metrics_ != nullptr) metrics_->ConnectionClosed();
  }

 private:
  Metrics* metrics_;
};

class ConnectionSet {
 public:
  // False once ShutdownAll ran: the caller should close at once.
  bool Add(const Connection* key, std::weak_ptr<Connection> connection) {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutting_down_) return false;
    live_.emplace(key, std::move(connection));
    return true;
  }

  void Remove(const Connection* key) {
    std::lock_guard<std::mutex> lock(mu_);
    live_.erase(key);
  }

  void ShutdownAll() {
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutting_down_ = true;
      for (auto& [key, weak] : live_) {
        if (auto c = weak.lock()) live.push_back(std::move(c));
      }
    }
    for (auto& c : live) c->Shutdown();
  }

 private:
  std::mutex mu_;  // guards everything below
  bool shutting_down_ = false;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_CONNECTION_H_

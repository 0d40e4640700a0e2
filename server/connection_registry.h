// ConnectionRegistry: the server's open connections. It owns their count
// (what --max-connections limits and /metrics and /healthz report) and the
// session serving each one, so that shutdown can ask every session to wind
// down and then wait, on a condition variable rather than by polling, until
// the last connection is gone or a deadline passes.
//
// A connection is counted from accept (Admit) until its Slot is destroyed.
// The slot moves with the socket, from the HTTP session to the WebSocket
// session it upgrades to; each session attaches itself in turn, so the
// registry always reaches whichever session serves the socket now.
//
//   ConnectionRegistry::Refusal why;
//   std::optional<ConnectionRegistry::Slot> slot = registry.Admit(&why);
//   if (!slot) socket.close();                 // full, or shutting down
//   slot->Attach(session->weak_from_this());   // when the session starts
//
//   registry.ShutdownAll(close_by);            // Server::Shutdown
//   if (!registry.WaitUntilEmpty(deadline)) registry.AbortAll();
//
// A session attached after ShutdownAll (an upgrade that was under way) is
// told to shut down at once; after AbortAll, to abort.
//
// Thread safety: every method may be called from any thread. A Slot is a
// value owned by one session at a time. Connection::Shutdown and Abort are
// called without the registry's lock held.
#ifndef REPLY_SERVER_CONNECTION_REGISTRY_H_
#define REPLY_SERVER_CONNECTION_REGISTRY_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace reply::server {

// A session the server can ask to wind down.
class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  // During shutdown, how long a peer gets to answer a close frame before
  // its socket is closed without one. A peer that reads answers within a
  // round trip; one that does not would otherwise hold the shutdown until
  // its deadline.
  static constexpr std::chrono::milliseconds kCloseGrace{1000};

  virtual ~Connection() = default;
  // Answer everything received, then close; start the close by `close_by`
  // at the latest, answered or not. Called from any thread; the session
  // does the work on its own strand.
  virtual void Shutdown(Clock::time_point close_by) = 0;
  // Close the socket now, without a closing handshake (the shutdown
  // deadline passed). Called from any thread.
  virtual void Abort() = 0;
};

class ConnectionRegistry {
 public:
  enum class Refusal { kFull, kShuttingDown };

  // One admitted connection, counted until the slot is destroyed.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

    // `connection` now serves this socket (it replaces the session that
    // served it before). During shutdown it is told at once.
    void Attach(std::weak_ptr<Connection> connection);

   private:
    friend class ConnectionRegistry;
    Slot(ConnectionRegistry* registry, uint64_t id)
        : registry_(registry), id_(id) {}

    ConnectionRegistry* registry_;  // null once moved from
    uint64_t id_;
  };

  explicit ConnectionRegistry(size_t max_connections)
      : max_connections_(max_connections) {}
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  // A slot for a connection just accepted; nullopt when max_connections are
  // open or shutdown has begun (`refusal`, if given, says which).
  std::optional<Slot> Admit(Refusal* refusal = nullptr);

  // Connections open now.
  size_t size() const;

  // Refuses new connections from now on and asks every live one to shut
  // down by `close_by`.
  void ShutdownAll(Connection::Clock::time_point close_by);
  // Asks every live connection to close its socket now.
  void AbortAll();
  // Blocks until no connection is open (true) or `deadline` passes (false).
  bool WaitUntilEmpty(Connection::Clock::time_point deadline);

 private:
  enum class Phase { kServing, kShuttingDown, kAborting };

  void Attach(uint64_t id, std::weak_ptr<Connection> connection);
  void Release(uint64_t id);

  const size_t max_connections_;
  mutable std::mutex mu_;  // guards everything below
  std::condition_variable emptied_;
  Phase phase_ = Phase::kServing;
  Connection::Clock::time_point close_by_{};
  uint64_t next_id_ = 0;
  // Every admitted connection; the pointer is empty until a session attaches.
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> live_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_CONNECTION_REGISTRY_H_

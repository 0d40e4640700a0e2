// Server: replyd as a library. Opens the engine and the feedback store,
// listens, runs the I/O threads, reloads packs on request or file change,
// and shuts down gracefully. main.cc adds flags and signals; tests run it
// in-process on an ephemeral port.
//
//   ServerConfig config;
//   config.listen = "127.0.0.1:0";
//   Result<std::unique_ptr<Server>> server = Server::Start(config);
//   uint16_t port = (*server)->endpoint().port();
//   (*server)->RequestReload("sighup");
//   (*server)->Shutdown();  // drains: answers, 1001, store flushed
//
// Thread safety: RequestReload may be called from any thread. Shutdown is
// called once, from a thread that is not one of the server's own.
#ifndef REPLY_SERVER_SERVER_H_
#define REPLY_SERVER_SERVER_H_

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "server/blocking_work.h"
#include "server/config.h"
#include "server/connection_registry.h"
#include "server/feedback_store.h"
#include "server/learner.h"
#include "server/metrics.h"
#include "server/pack_reloader.h"
#include "server/retention.h"
#include "server/server_state.h"
#include "server/shop_tokens.h"
#include "server/suggestion_registry.h"
#include "server/suggestion_signer.h"

namespace reply::server {

class Listener;
class PackWatcher;

class Server {
 public:
  static Result<std::unique_ptr<Server>> Start(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }
  void RequestReload(std::string cause);
  // Stops accepting; lets each WebSocket session answer every request it
  // has received, wait for its feedback commits and close with 1001;
  // closes hard whatever is still open after config.shutdown_timeout_ms;
  // stops the threads and flushes the feedback store. The destructor calls
  // it if needed.
  //
  // The timeout is split: sessions start their close by the deadline minus
  // Connection::kCloseGrace (at most a quarter of the timeout), leaving the
  // peer that long to answer the close; at the deadline every socket still
  // open is closed without a handshake.
  void Shutdown();

 private:
  explicit Server(ServerConfig config);
  Status Init();
  // The tokens file again (checked against the serving packs' shops) and
  // the suggestion key file.
  Status ReloadFiles();

  const ServerConfig config_;
  const int io_threads_;
  Metrics metrics_;
  // Before ioc_: sessions destroyed with ioc_'s handlers release their slots.
  ConnectionRegistry connections_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ShopTokens> tokens_;
  std::unique_ptr<SuggestionSigner> signer_;
  std::unique_ptr<FeedbackStore> store_;
  std::unique_ptr<SuggestionRegistry> registry_;
  std::unique_ptr<PackReloader> reloader_;
  std::unique_ptr<Learner> learner_;      // null with --no-learn
  std::unique_ptr<Retention> retention_;  // null: texts kept forever
  // Before ioc_ too: a task it drops may hold a session.
  BlockingWork blocking_;
  std::unique_ptr<ServerState> state_;
  boost::asio::io_context ioc_;
  std::optional<
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<PackWatcher> watcher_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::vector<std::thread> threads_;
  bool shut_down_ = false;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SERVER_H_

// Listener: accepts TCP connections and starts an HttpSession on each, on a
// strand of its own. Each connection must first be admitted by the
// ConnectionRegistry: beyond config.max_connections (or once shutdown began)
// it is closed at once (the first counted in
// replyd_connections_rejected_total).
//
//   auto listener = std::make_shared<Listener>(ioc, state);
//   Status s = listener->Open(endpoint);  // binds; port 0 picks one
//   listener->Run();
//   listener->Stop();  // from any thread
//
// Thread safety: runs on its own strand; Stop may be called from any thread.
#ifndef REPLY_SERVER_LISTENER_H_
#define REPLY_SERVER_LISTENER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "engine/base/status.h"
#include "server/server_state.h"

namespace reply::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, ServerState& state);

  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void Run();
  void Stop();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec,
                 boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  ServerState& state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // after running out of descriptors
};

}  // namespace reply::server

#endif  // REPLY_SERVER_LISTENER_H_

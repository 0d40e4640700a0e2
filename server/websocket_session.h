// WebsocketSession: one client on /ws speaking the suggestion protocol
// (docs/protocol.md). It reads frames one after another and answers each:
// suggestions at once, feedback once its row is committed, so several
// requests may be in flight and answers may overtake each other (the `id`
// says which is which).
//
//   std::make_shared<WebsocketSession>(std::move(stream), state, slot, role)
//       ->Run(std::move(upgrade_request));
//
// Limits (ServerConfig): frames up to max_frame_bytes (bigger: close 1009),
// text must be UTF-8 (else close 1007), rate_limit/rate_burst frames per
// second (over: error rate_limited; rate_strikes of those in a row: close
// 1008), at most max_write_queue answers waiting for a slow reader (more:
// the socket is closed; memory never grows), handshake and idle timeouts
// with keep-alive pings.
//
// Shutdown (SIGTERM): the session answers everything it has read, waits for
// pending feedback commits, then closes with 1001 (going away).
//
// Thread safety: all work runs on the socket's strand; Shutdown may be
// called from any thread.
#ifndef REPLY_SERVER_WEBSOCKET_SESSION_H_
#define REPLY_SERVER_WEBSOCKET_SESSION_H_

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "server/access.h"
#include "server/connection.h"
#include "server/http_routes.h"
#include "server/rate_limiter.h"
#include "server/request_handler.h"
#include "server/server_state.h"

namespace reply::server {

class WebsocketSession : public Connection,
                         public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::beast::tcp_stream&& stream, ServerState& state,
                   ConnectionSlot slot, Role role);
  ~WebsocketSession() override;

  void Run(HttpRequest upgrade);
  void Shutdown() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void HandleFrame();
  // Queues an answer; on the strand.
  void Send(std::string text);
  void do_write();
  void on_write(boost::beast::error_code ec, size_t bytes);
  // Closes once every answer is written and none is pending.
  void CloseWhenFlushed(boost::beast::websocket::close_code code);
  void MaybeClose();
  void do_close(boost::beast::websocket::close_code code);
  void on_close(boost::beast::error_code ec);
  void CloseSlowReader();
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  ServerState& state_;
  ConnectionSlot slot_;
  const Role role_;
  RequestHandler handler_;
  RateLimiter limiter_;
  int strikes_ = 0;  // rate-limited frames in a row
  int pending_ = 0;  // requests whose answer comes later
  std::deque<std::string>
      queue_;  // answers not yet written; front is in flight
  bool accepted_ = false;
  bool refusing_ = false;  // struck out by the rate limit: frames are dropped
  // Set when the session should close (shutdown, rate limit) as soon as
  // everything is answered.
  std::optional<boost::beast::websocket::close_code> close_when_flushed_;
  bool closing_ = false;  // a close was started; nothing more is sent
};

}  // namespace reply::server

#endif  // REPLY_SERVER_WEBSOCKET_SESSION_H_

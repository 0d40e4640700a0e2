// WebsocketSession: one client on /ws speaking the suggestion protocol
// (docs/protocol.md). It reads frames one after another and answers each:
// suggestions at once, feedback once its row is committed, so several
// requests may be in flight and answers may overtake each other (the `id`
// says which is which).
//
//   std::make_shared<WebsocketSession>(std::move(stream), state,
//                                      std::move(slot), role)
//       ->Run(std::move(upgrade_request));
//
// Limits (ServerConfig): frames up to max_frame_bytes (bigger: close 1009),
// text must be UTF-8 (else close 1007), rate_limit/rate_burst frames per
// second (over: error rate_limited; rate_strikes of those in a row: close
// 1008), at most max_write_queue answers waiting for a slow reader (more:
// the socket is closed; memory never grows), handshake and idle timeouts
// with keep-alive pings.
//
// Shutdown (SIGTERM) must answer every request the session has received,
// and nothing can be answered once the close frame is out (Beast's
// async_close reads and discards whatever the peer sent until its close
// frame). So the session goes on reading until it knows nothing more is on
// its way:
//   1. it sends a `going_away` notice, then keeps reading and answering;
//   2. the peer has sent everything when it says so (`done_sending`: every
//      frame before it has been read), or, for a client that does not know
//      the notice, after kDrainQuiet without a frame and with nothing left
//      in the socket's receive buffer;
//   3. then, once every answer is written (feedback after its commit), it
//      closes with 1001; a peer that does not answer the close within
//      kCloseGrace is cut off;
//   4. at `close_by` it stops waiting for 2 and for commits, and closes
//      with 1001 as soon as the answers already queued are written; a
//      feedback still stuck in its commit is then never acknowledged (its
//      client resends it with the same key, and the store keeps one row);
//   5. a peer that never reads or never answers the close is cut off by the
//      server at its deadline (Abort).
// A client that sends `done_sending` outside a shutdown gets the same
// orderly end, with 1000.
//
// Thread safety: all work runs on the socket's strand; Shutdown and Abort
// may be called from any thread.
#ifndef REPLY_SERVER_WEBSOCKET_SESSION_H_
#define REPLY_SERVER_WEBSOCKET_SESSION_H_

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "server/access.h"
#include "server/connection_registry.h"
#include "server/http_routes.h"
#include "server/rate_limiter.h"
#include "server/request_handler.h"
#include "server/server_state.h"

namespace reply::server {

class WebsocketSession : public Connection,
                         public std::enable_shared_from_this<WebsocketSession> {
 public:
  // How long a draining session waits, after the notice or the last frame
  // read since, before it takes a peer that never said done_sending to have
  // sent everything. Frames the peer sent before the notice reached it
  // arrive within a round trip; this is several, and short enough not to
  // slow a restart (sessions drain side by side).
  static constexpr std::chrono::milliseconds kDrainQuiet{500};

  WebsocketSession(boost::beast::tcp_stream&& stream, ServerState& state,
                   ConnectionRegistry::Slot slot, Client client);

  void Run(HttpRequest upgrade);
  void Shutdown(Clock::time_point close_by) override;
  void Abort() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void HandleFrame();
  // Queues an answer; on the strand.
  void Send(std::string text);
  void do_write();
  void on_write(boost::beast::error_code ec, size_t bytes);
  // The peer said done_sending.
  void PeerDone();
  // Shutdown, on the strand once the handshake is done: the notice, then
  // the drain timer.
  void BeginDrain();
  void ArmDrainTimer();
  void on_drain_timer(boost::beast::error_code ec);
  // Whether a draining peer has sent everything it is going to send.
  bool PeerFinished();
  // Closes once the reason to close holds and every answer is written.
  void MaybeClose();
  void do_close(const boost::beast::websocket::close_reason& reason);
  void on_close(boost::beast::error_code ec);
  void CloseSlowReader();
  void fail(boost::beast::error_code ec, const char* what);

  // First, so it is released last: the connection counts until the socket
  // is gone.
  ConnectionRegistry::Slot slot_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer drain_timer_;
  ServerState& state_;
  const Client client_;
  RequestHandler handler_;
  RateLimiter limiter_;
  int strikes_ = 0;  // rate-limited frames in a row
  int pending_ = 0;  // requests whose answer comes later
  std::deque<std::string>
      queue_;  // answers not yet written; front is in flight
  bool accepted_ = false;
  bool refusing_ = false;  // struck out by the rate limit: frames are dropped
  // Set when the session should close (rate limit, done_sending) as soon as
  // everything is answered.
  std::optional<boost::beast::websocket::close_reason> close_when_flushed_;
  bool closing_ = false;  // a close was started; nothing more is sent

  // Shutdown.
  bool shutdown_requested_ = false;  // Shutdown came (maybe before accept)
  bool draining_ = false;            // the notice is sent
  bool peer_done_ = false;           // done_sending was read
  bool drain_expired_ = false;       // close_by_ passed
  Clock::time_point close_by_{};
  Clock::time_point last_frame_at_{};  // while draining; the notice counts
};

}  // namespace reply::server

#endif  // REPLY_SERVER_WEBSOCKET_SESSION_H_

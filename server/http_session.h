// HttpSession: one accepted TCP connection while it speaks HTTP/1.1. It
// checks every request's Host (server/access.h), answers the plain endpoints
// (server/http_routes.h) with keep-alive, and hands a WebSocket upgrade of
// /ws — once its Origin and token pass — to a WebsocketSession. A request
// it cannot parse gets 400 (431 for an oversized header, 413 for an
// oversized body) and the connection is closed.
//
//   std::make_shared<HttpSession>(std::move(socket), state,
//   std::move(slot))->Run();
//
// Limits: the request must arrive within config.handshake_timeout_ms;
// headers up to kMaxHeaderBytes, bodies up to kMaxBodyBytes. After refusing
// a malformed request it reads and drops what the client still sends (up to
// kMaxLingerBytes, for kLingerTime) before closing: closing with unread
// bytes makes the kernel send a reset, which can destroy the response
// before the client has read it.
//
// Thread safety: all work runs on the socket's strand; Shutdown may be
// called from any thread.
#ifndef REPLY_SERVER_HTTP_SESSION_H_
#define REPLY_SERVER_HTTP_SESSION_H_

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "server/connection_registry.h"
#include "server/http_routes.h"
#include "server/server_state.h"

namespace reply::server {

class HttpSession : public Connection,
                    public std::enable_shared_from_this<HttpSession> {
 public:
  static constexpr uint32_t kMaxHeaderBytes = 8 * 1024;
  static constexpr uint64_t kMaxBodyBytes = 8 * 1024;
  static constexpr size_t kMaxLingerBytes = 256 * 1024;
  static constexpr std::chrono::milliseconds kLingerTime{2000};

  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerState& state,
              ConnectionRegistry::Slot slot);

  void Run();
  void Shutdown(Clock::time_point close_by) override;
  void Abort() override;

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  // Refuses a request whose Host is missing or not served; true if it did.
  bool RefuseHost(const HttpRequest& req);
  void RefuseMalformed(boost::beast::error_code ec);
  void Upgrade();
  // Routes the request on state_.blocking (ReadsTheDatabase), then writes
  // its response from the socket's strand; 503 when too many wait.
  void do_route_blocking(Client client);
  void do_write(HttpResponse response);
  void on_write(bool keep_alive, boost::beast::error_code ec, size_t bytes);
  void do_linger();
  void on_linger(boost::beast::error_code ec, size_t bytes);
  void do_close();
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::tcp_stream stream_;
  const boost::asio::ip::tcp::endpoint local_;  // the server's end
  boost::beast::flat_buffer buffer_;
  ServerState& state_;
  // Counts the socket; moves to the WebSocket session on upgrade.
  std::optional<ConnectionRegistry::Slot> slot_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  std::shared_ptr<const HttpResponse> response_;  // alive while it is written
  bool reading_ = false;
  bool shutting_down_ = false;
  bool linger_ = false;  // drain the client before closing
  size_t lingered_bytes_ = 0;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_HTTP_SESSION_H_

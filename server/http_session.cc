#include "server/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server/access.h"
#include "server/log.h"
#include "server/websocket_session.h"

namespace reply::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerState& state,
                         ConnectionRegistry::Slot slot)
    : stream_(std::move(socket)), state_(state), slot_(std::move(slot)) {}

void HttpSession::Run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    // During shutdown this posts our Shutdown, which ends the read below.
    self->slot_->Attach(self->weak_from_this());
    self->do_read();
  });
}

// An HTTP request is answered at once, so there is nothing to wait for.
void HttpSession::Shutdown(Clock::time_point) {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    // Waiting for a request that has not come: stop waiting. A response
    // being written finishes first (on_write closes).
    if (self->reading_) self->stream_.cancel();
  });
}

void HttpSession::Abort() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // After an upgrade the socket belongs to the WebSocket session.
    if (self->slot_) self->do_close();
  });
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(kMaxHeaderBytes);
  parser_->body_limit(kMaxBodyBytes);
  stream_.expires_after(
      std::chrono::milliseconds(state_.config.handshake_timeout_ms));
  reading_ = true;
  http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, size_t) {
  reading_ = false;
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) return fail(ec, "http_read");
  const HttpRequest& req = parser_->get();
  if (beast::websocket::is_upgrade(req)) return Upgrade();
  do_write(RouteHttp(req, state_, Authenticate(req, state_.config)));
}

void HttpSession::Upgrade() {
  const HttpRequest& req = parser_->get();
  const ServerConfig& config = state_.config;
  if (TargetPath(req.target()) != "/ws") {
    return do_write(
        TextResponse(req, http::status::not_found, "WebSocket is at /ws"));
  }
  const std::string_view origin = req[http::field::origin];
  if (!OriginAllowed(origin, req[http::field::host], config.allow_origins)) {
    state_.metrics.CountRejected(RejectReason::kForbiddenOrigin);
    Log(LogLevel::kWarn, "forbidden_origin", {{"origin", std::string(origin)}});
    HttpResponse res =
        TextResponse(req, http::status::forbidden, "origin not allowed");
    res.keep_alive(false);
    return do_write(std::move(res));
  }
  const Role role = Authenticate(req, config);
  if (role == Role::kDenied) {
    state_.metrics.CountRejected(RejectReason::kUnauthorized);
    HttpResponse res =
        TextResponse(req, http::status::unauthorized,
                     "a valid token is required (Authorization: Bearer "
                     "TOKEN, or ?token=TOKEN)");
    res.set(http::field::www_authenticate, "Bearer");
    res.keep_alive(false);
    return do_write(std::move(res));
  }
  // The WebSocket session owns the socket and its own timeouts from here.
  stream_.expires_never();
  std::make_shared<WebsocketSession>(std::move(stream_), state_,
                                     std::move(*slot_), role)
      ->Run(parser_->release());
  slot_.reset();
}

void HttpSession::do_write(HttpResponse response) {
  const bool keep_alive = response.keep_alive() && !shutting_down_;
  response.keep_alive(keep_alive);
  response_ = std::make_shared<const HttpResponse>(std::move(response));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::on_write,
                                              shared_from_this(), keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, size_t) {
  response_.reset();
  if (ec) return fail(ec, "http_write");
  if (!keep_alive || shutting_down_) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

void HttpSession::fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == beast::error::timeout ||
      ec == net::error::connection_reset || ec == net::error::eof) {
    if (LogEnabled(LogLevel::kDebug)) {
      Log(LogLevel::kDebug, what, {{"error", ec.message()}});
    }
  } else {
    Log(LogLevel::kInfo, what, {{"error", ec.message()}});
  }
  do_close();
}

}  // namespace reply::server

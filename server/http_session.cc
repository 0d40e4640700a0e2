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

namespace {

net::ip::tcp::endpoint LocalEndpoint(const net::ip::tcp::socket& socket) {
  beast::error_code ignored;
  return socket.local_endpoint(ignored);
}

// The parser refused what the client sent (as opposed to the client going
// away in the middle of it, or a timeout): it deserves a 4xx.
bool IsMalformedRequest(beast::error_code ec) {
  return ec.category() ==
             http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerState& state,
                         ConnectionRegistry::Slot slot)
    : stream_(std::move(socket)),
      local_(LocalEndpoint(stream_.socket())),
      state_(state),
      slot_(std::move(slot)) {}

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
  if (IsMalformedRequest(ec)) return RefuseMalformed(ec);
  if (ec) return fail(ec, "http_read");
  const HttpRequest& req = parser_->get();
  if (RefuseHost(req)) return;
  if (beast::websocket::is_upgrade(req)) return Upgrade();
  Client client = Identify(req, state_.config, state_.tokens);
  if (ReadsTheDatabase(req)) return do_route_blocking(std::move(client));
  do_write(RouteHttp(req, state_, client));
}

void HttpSession::do_route_blocking(Client client) {
  const bool queued =
      state_.blocking.Post([self = shared_from_this(), req = parser_->get(),
                            client = std::move(client)] {
        HttpResponse res;
        try {
          res = RouteHttp(req, self->state_, client);
        } catch (const std::exception& e) {
          Log(LogLevel::kError, "http_route_failed", {{"error", e.what()}});
          res = TextResponse(req, http::status::internal_server_error,
                             "internal error");
        }
        net::post(self->stream_.get_executor(),
                  [self, res = std::move(res)]() mutable {
                    self->do_write(std::move(res));
                  });
      });
  if (!queued) {
    do_write(TextResponse(parser_->get(), http::status::service_unavailable,
                          "too many requests are waiting for the feedback "
                          "database; try again shortly"));
  }
}

bool HttpSession::RefuseHost(const HttpRequest& req) {
  const ServerConfig& config = state_.config;
  const size_t hosts = req.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && req.version() >= 11)) {
    HttpResponse res = TextResponse(req, http::status::bad_request,
                                    "exactly one Host header is required");
    res.keep_alive(false);
    do_write(std::move(res));
    return true;
  }
  if (!HostCheckRequired(config) ||
      HostAllowed(req[http::field::host], config, local_)) {
    return false;
  }
  state_.metrics.CountRejected(RejectReason::kForbiddenHost);
  Log(LogLevel::kWarn, "forbidden_host",
      {{"host", std::string(req[http::field::host].substr(0, 256))}});
  HttpResponse res =
      TextResponse(req, http::status::forbidden,
                   "this Host is not served here: replyd answers to localhost, "
                   "127.0.0.1, [::1] and the names given with --allow-host "
                   "(docs/protocol.md#host-and-origin)");
  res.keep_alive(false);
  do_write(std::move(res));
  return true;
}

void HttpSession::RefuseMalformed(beast::error_code ec) {
  state_.metrics.CountRejected(RejectReason::kMalformedRequest);
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "http_malformed", {{"error", ec.message()}});
  }
  http::status status = http::status::bad_request;
  std::string reason = "malformed HTTP request: " + ec.message();
  if (ec == http::error::header_limit) {
    status = http::status::request_header_fields_too_large;
    reason =
        "request header over " + std::to_string(kMaxHeaderBytes) + " bytes";
  } else if (ec == http::error::body_limit) {
    status = http::status::payload_too_large;
    reason = "request body over " + std::to_string(kMaxBodyBytes) + " bytes";
  }
  HttpResponse res = TextResponse(HttpRequest{}, status, reason);
  res.keep_alive(false);
  linger_ = true;
  do_write(std::move(res));
}

void HttpSession::Upgrade() {
  const HttpRequest& req = parser_->get();
  const ServerConfig& config = state_.config;
  if (TargetPath(req.target()) != "/ws") {
    return do_write(
        TextResponse(req, http::status::not_found, "WebSocket is at /ws"));
  }
  const std::string_view origin = req[http::field::origin];
  if (!OriginAllowed(origin, config, local_)) {
    state_.metrics.CountRejected(RejectReason::kForbiddenOrigin);
    Log(LogLevel::kWarn, "forbidden_origin",
        {{"origin", std::string(origin.substr(0, 256))}});
    HttpResponse res =
        TextResponse(req, http::status::forbidden, "origin not allowed");
    res.keep_alive(false);
    return do_write(std::move(res));
  }
  Client client = Identify(req, config, state_.tokens);
  if (client.role == Role::kDenied) {
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
                                     std::move(*slot_), std::move(client))
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
  if (linger_ && !shutting_down_) {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    return do_linger();
  }
  if (!keep_alive || shutting_down_) return do_close();
  do_read();
}

void HttpSession::do_linger() {
  reading_ = true;  // Shutdown cuts the wait short
  stream_.async_read_some(
      buffer_.prepare(16 * 1024),
      beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_linger(beast::error_code ec, size_t bytes) {
  reading_ = false;
  lingered_bytes_ += bytes;
  if (ec || shutting_down_ || lingered_bytes_ > kMaxLingerBytes) {
    return do_close();
  }
  do_linger();
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

#include "server/websocket_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket/error.hpp>

#include "server/log.h"

namespace reply::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

WebsocketSession::WebsocketSession(beast::tcp_stream&& stream,
                                   ServerState& state, ConnectionSlot slot,
                                   Role role)
    : ws_(std::move(stream)),
      state_(state),
      slot_(std::move(slot)),
      role_(role),
      handler_(state),
      limiter_(state.config.rate_limit, state.config.rate_burst) {}

WebsocketSession::~WebsocketSession() { state_.connections.Remove(this); }

void WebsocketSession::Run(HttpRequest upgrade) {
  const ServerConfig& config = state_.config;
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout =
      std::chrono::milliseconds(config.handshake_timeout_ms);
  timeout.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.set_option(
      websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(beast::http::field::server, "replyd");
      }));
  ws_.read_message_max(config.max_frame_bytes);
  net::dispatch(ws_.get_executor(), [self = shared_from_this(),
                                     upgrade = std::move(upgrade)]() mutable {
    if (!self->state_.connections.Add(self.get(), self->weak_from_this())) {
      // The server is stopping: accept, then say so.
      self->close_when_flushed_ = websocket::close_code::going_away;
    }
    // The request must outlive the handshake, so it moves into a shared_ptr
    // the handler holds.
    auto req = std::make_shared<HttpRequest>(std::move(upgrade));
    self->ws_.async_accept(
        *req, [self, req](beast::error_code ec) { self->on_accept(ec); });
  });
}

void WebsocketSession::Shutdown() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->CloseWhenFlushed(websocket::close_code::going_away);
  });
}

void WebsocketSession::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "ws_accept");
  accepted_ = true;
  do_read();
  MaybeClose();
}

void WebsocketSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WebsocketSession::on_read,
                                                    shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, size_t) {
  if (ec == websocket::error::message_too_big) {
    // Beast has sent close 1009.
    state_.metrics.CountClosed(CloseReason::kTooBig);
    Log(LogLevel::kInfo, "ws_closed",
        {{"reason", "frame_too_big"},
         {"limit", state_.config.max_frame_bytes}});
    return;
  }
  if (ec == websocket::error::bad_frame_payload) {
    // Beast has sent close 1007.
    state_.metrics.CountClosed(CloseReason::kBadUtf8);
    Log(LogLevel::kInfo, "ws_closed", {{"reason", "invalid_utf8"}});
    return;
  }
  if (ec) return fail(ec, "ws_read");
  HandleFrame();
  buffer_.consume(buffer_.size());
  do_read();
}

void WebsocketSession::HandleFrame() {
  // Struck out, or a close is under way: what the peer sends now is dropped.
  if (refusing_ || closing_) return;
  const std::string_view frame(static_cast<const char*>(buffer_.data().data()),
                               buffer_.size());
  if (!ws_.got_text()) {
    state_.metrics.CountRequest(std::nullopt, ErrorCode::kBadRequest);
    return Send(EncodeError("", {ErrorCode::kBadRequest,
                                 "frame: expected a text frame holding JSON"}));
  }
  if (!limiter_.Allow(RateLimiter::Clock::now())) {
    if (++strikes_ >= state_.config.rate_strikes) {
      state_.metrics.CountClosed(CloseReason::kRateLimited);
      Log(LogLevel::kWarn, "ws_closed",
          {{"reason", "rate_limited"}, {"strikes", strikes_}});
      refusing_ = true;
      return CloseWhenFlushed(websocket::close_code::policy_error);
    }
    return Send(handler_.RateLimited(frame));
  }
  strikes_ = 0;
  ++pending_;
  std::optional<std::string> answer = handler_.Handle(
      frame, role_, [self = shared_from_this()](std::string later) {
        net::post(self->ws_.get_executor(),
                  [self, later = std::move(later)]() mutable {
                    --self->pending_;
                    self->Send(std::move(later));
                    self->MaybeClose();
                  });
      });
  if (answer) {
    --pending_;
    Send(std::move(*answer));
  }
}

void WebsocketSession::Send(std::string text) {
  if (closing_) return;
  queue_.push_back(std::move(text));
  if (queue_.size() > state_.config.max_write_queue) return CloseSlowReader();
  if (queue_.size() == 1) do_write();
}

void WebsocketSession::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(queue_.front()),
                  beast::bind_front_handler(&WebsocketSession::on_write,
                                            shared_from_this()));
}

void WebsocketSession::on_write(beast::error_code ec, size_t) {
  if (ec) return fail(ec, "ws_write");
  queue_.pop_front();
  if (!queue_.empty() && !closing_) return do_write();
  MaybeClose();
}

void WebsocketSession::CloseWhenFlushed(websocket::close_code code) {
  if (!close_when_flushed_) close_when_flushed_ = code;
  MaybeClose();
}

void WebsocketSession::MaybeClose() {
  if (close_when_flushed_ && accepted_ && !closing_ && pending_ == 0 &&
      queue_.empty()) {
    do_close(*close_when_flushed_);
  }
}

void WebsocketSession::do_close(websocket::close_code code) {
  closing_ = true;
  ws_.async_close(code, beast::bind_front_handler(&WebsocketSession::on_close,
                                                  shared_from_this()));
}

void WebsocketSession::on_close(beast::error_code ec) {
  if (ec) fail(ec, "ws_close");
}

// A reader too slow for its answers cannot take a close frame either: drop
// the TCP connection. The answer being written stays alive until its
// handler runs; the rest is freed now.
void WebsocketSession::CloseSlowReader() {
  state_.metrics.CountClosed(CloseReason::kSlowReader);
  Log(LogLevel::kWarn, "ws_closed",
      {{"reason", "slow_reader"}, {"queued", queue_.size()}});
  closing_ = true;
  if (queue_.size() > 1) queue_.erase(queue_.begin() + 1, queue_.end());
  beast::get_lowest_layer(ws_).close();
}

void WebsocketSession::fail(beast::error_code ec, const char* what) {
  const bool ordinary =
      ec == websocket::error::closed || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::broken_pipe ||
      ec == net::error::bad_descriptor;
  if (!ordinary) {
    Log(LogLevel::kInfo, what, {{"error", ec.message()}});
  } else if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, what, {{"error", ec.message()}});
  }
}

}  // namespace reply::server

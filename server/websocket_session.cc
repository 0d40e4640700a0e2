#include "server/websocket_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket/error.hpp>

#include "server/log.h"

namespace reply::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {

const websocket::close_reason kShuttingDown{websocket::close_code::going_away,
                                            "server shutting down"};

}  // namespace

WebsocketSession::WebsocketSession(beast::tcp_stream&& stream,
                                   ServerState& state,
                                   ConnectionRegistry::Slot slot, Client client)
    : slot_(std::move(slot)),
      ws_(std::move(stream)),
      drain_timer_(ws_.get_executor()),
      state_(state),
      client_(std::move(client)),
      handler_(state),
      limiter_(state.config.rate_limit, state.config.rate_burst) {}

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
  // The frame limit is ours, not Beast's: Beast closes an oversized
  // message with a bare 1009 and no reason text, so the session counts the
  // bytes itself (do_read) and closes with one that names the limit.
  ws_.read_message_max(0);
  net::dispatch(ws_.get_executor(), [self = shared_from_this(),
                                     upgrade = std::move(upgrade)]() mutable {
    // While the server stops, this posts our Shutdown: the client is
    // accepted, then told.
    self->slot_.Attach(self->weak_from_this());
    // The request must outlive the handshake, so it moves into a shared_ptr
    // the handler holds.
    auto req = std::make_shared<HttpRequest>(std::move(upgrade));
    self->ws_.async_accept(
        *req, [self, req](beast::error_code ec) { self->on_accept(ec); });
  });
}

void WebsocketSession::Shutdown(Clock::time_point close_by) {
  net::post(ws_.get_executor(), [self = shared_from_this(), close_by] {
    if (self->shutdown_requested_) return;
    self->shutdown_requested_ = true;
    self->close_by_ = close_by;
    if (self->accepted_) self->BeginDrain();
  });
}

void WebsocketSession::Abort() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    // Every operation on the socket ends with an error, and with them the
    // session.
    self->closing_ = true;
    self->drain_timer_.cancel();
    beast::get_lowest_layer(self->ws_).close();
  });
}

void WebsocketSession::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "ws_accept");
  accepted_ = true;
  do_read();
  if (shutdown_requested_) BeginDrain();
}

void WebsocketSession::do_read() {
  // At most one byte over the limit is ever buffered: enough to know.
  const size_t room = state_.config.max_frame_bytes + 1 - buffer_.size();
  ws_.async_read_some(buffer_, room,
                      beast::bind_front_handler(&WebsocketSession::on_read,
                                                shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, size_t) {
  if (ec) {
    // Nothing more will be read: nothing is left to wait for.
    drain_timer_.cancel();
  }
  if (!ec && buffer_.size() > state_.config.max_frame_bytes) {
    // Nothing more is read; the close waits for the answers still due.
    state_.metrics.CountClosed(CloseReason::kTooBig);
    Log(LogLevel::kInfo, "ws_closed",
        {{"reason", "frame_too_big"},
         {"limit", state_.config.max_frame_bytes}});
    buffer_.consume(buffer_.size());
    refusing_ = true;
    if (!close_when_flushed_) {
      // At most 123 bytes of reason (RFC 6455 5.5.1): this is under 80.
      close_when_flushed_.emplace(
          websocket::close_code::too_big,
          "message over " + std::to_string(state_.config.max_frame_bytes) +
              " bytes (--max-frame-bytes); nothing more is read");
    }
    return MaybeClose();
  }
  if (ec == websocket::error::bad_frame_payload) {
    // Beast has sent close 1007 itself, and no reason text with it: its
    // read fails the connection with the bare code (close_reason built from
    // close_code alone), and its UTF-8 check of text frames has no switch
    // to leave that to us.
    state_.metrics.CountClosed(CloseReason::kBadUtf8);
    Log(LogLevel::kInfo, "ws_closed", {{"reason", "invalid_utf8"}});
    return;
  }
  if (ec) return fail(ec, "ws_read");
  // A message arrives in pieces; it is handled once whole.
  if (!ws_.is_message_done()) return do_read();
  HandleFrame();
  buffer_.consume(buffer_.size());
  do_read();
}

void WebsocketSession::HandleFrame() {
  // Struck out, or a close is under way: what the peer sends now is dropped.
  if (refusing_ || closing_) return;
  if (draining_) {
    // Still sending: the quiet period starts over.
    last_frame_at_ = Clock::now();
    ArmDrainTimer();
  }
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
      if (!close_when_flushed_) {
        close_when_flushed_.emplace(websocket::close_code::policy_error);
      }
      return MaybeClose();
    }
    return Send(handler_.RateLimited(frame));
  }
  strikes_ = 0;
  ++pending_;
  // The answer may come after the session is gone (its peer left while a
  // commit was on its way): then there is no one to send it to.
  RequestHandler::Handled handled = handler_.Handle(
      frame, client_,
      [weak = weak_from_this(),
       executor = ws_.get_executor()](std::string later) {
        net::post(executor, [weak, later = std::move(later)]() mutable {
          std::shared_ptr<WebsocketSession> self = weak.lock();
          if (!self) return;
          --self->pending_;
          self->Send(std::move(later));
          self->MaybeClose();
        });
      });
  if (handled.done_sending) {
    --pending_;
    return PeerDone();
  }
  if (handled.answer) {
    --pending_;
    Send(std::move(*handled.answer));
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

void WebsocketSession::PeerDone() {
  peer_done_ = true;
  if (!draining_ && !close_when_flushed_) {
    close_when_flushed_.emplace(websocket::close_code::normal, "done_sending");
  }
  MaybeClose();
}

void WebsocketSession::BeginDrain() {
  if (draining_ || closing_) return;
  draining_ = true;
  // Beast's handshake timeout also bounds the closing handshake.
  websocket::stream_base::timeout timeout{};
  ws_.get_option(timeout);
  timeout.handshake_timeout = kCloseGrace;
  ws_.set_option(timeout);
  const Clock::time_point now = Clock::now();
  last_frame_at_ = now;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(close_by_ - now);
  Send(EncodeGoingAway(std::max<int64_t>(0, left.count())));
  ArmDrainTimer();
  MaybeClose();
}

// Wakes at the end of the quiet period, or at close_by_ once the period has
// passed (the session then waits for its answers, and each one that comes
// checks again).
void WebsocketSession::ArmDrainTimer() {
  if (closing_ || drain_expired_) return;
  Clock::time_point at = close_by_;
  const Clock::time_point quiet_end = last_frame_at_ + kDrainQuiet;
  if (!peer_done_ && quiet_end > Clock::now()) at = std::min(at, quiet_end);
  drain_timer_.expires_at(at);
  drain_timer_.async_wait(beast::bind_front_handler(
      &WebsocketSession::on_drain_timer, shared_from_this()));
}

void WebsocketSession::on_drain_timer(beast::error_code ec) {
  if (ec || closing_) return;  // re-armed, or done
  if (Clock::now() >= close_by_) {
    drain_expired_ = true;
    if (pending_ > 0) {
      Log(LogLevel::kWarn, "drain_timeout",
          {{"unanswered", pending_},
           {"note",
            "closing before these were answered (feedback still committing "
            "is stored but not acknowledged; a client with keys resends it)"}});
    }
  }
  MaybeClose();
  ArmDrainTimer();
}

bool WebsocketSession::PeerFinished() {
  if (peer_done_) return true;
  if (Clock::now() - last_frame_at_ < kDrainQuiet) return false;
  // Bytes already received but not yet read as a frame: not quiet.
  beast::error_code ec;
  const size_t unread = beast::get_lowest_layer(ws_).socket().available(ec);
  return !ec && unread == 0;
}

void WebsocketSession::MaybeClose() {
  if (!accepted_ || closing_ || !queue_.empty()) return;
  if (close_when_flushed_ && pending_ == 0) {
    return do_close(*close_when_flushed_);
  }
  if (draining_ && (drain_expired_ || (pending_ == 0 && PeerFinished()))) {
    do_close(kShuttingDown);
  }
}

void WebsocketSession::do_close(const websocket::close_reason& reason) {
  closing_ = true;
  drain_timer_.cancel();
  ws_.async_close(reason, beast::bind_front_handler(&WebsocketSession::on_close,
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
  drain_timer_.cancel();
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

#include "server/listener.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "server/http_session.h"
#include "server/log.h"

namespace reply::server {

namespace net = boost::asio;
using net::ip::tcp;

Listener::Listener(net::io_context& ioc, ServerState& state)
    : ioc_(ioc),
      state_(state),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()) {}

Status Listener::Open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  const auto failed = [&](const char* what) {
    return Status::IoError(
        std::string(what) + " " + endpoint.address().to_string() + ":" +
        std::to_string(endpoint.port()) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return failed("open");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return failed("reuse_address");
  acceptor_.bind(endpoint, ec);
  if (ec) return failed("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen");
  return Status::Ok();
}

tcp::endpoint Listener::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::Run() {
  net::dispatch(acceptor_.get_executor(),
                [self = shared_from_this()] { self->do_accept(); });
}

void Listener::Stop() {
  net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept,
                                                          shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    Log(LogLevel::kError, "accept", {{"error", ec.message()}});
    // Out of descriptors (or similar): accepting again at once would spin.
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait(
        [self = shared_from_this()](boost::system::error_code ec) {
          if (!ec) self->do_accept();
        });
    return;
  }
  ConnectionRegistry::Refusal refusal;
  std::optional<ConnectionRegistry::Slot> slot =
      state_.connections.Admit(&refusal);
  if (!slot) {
    if (refusal == ConnectionRegistry::Refusal::kFull) {
      state_.metrics.CountRejected(RejectReason::kTooManyConnections);
    }
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    state_.metrics.CountAccepted();
    // Answers are small and latency matters: no Nagle delay behind an ACK.
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), state_, std::move(*slot))
        ->Run();
  }
  do_accept();
}

}  // namespace reply::server

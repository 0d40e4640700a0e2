#include "tests/server/ws_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>

namespace reply::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

// Runs one async operation on `ioc` for at most `timeout`; on timeout the
// stream is closed so the operation ends. The operation's error is returned.
template <typename Stream, typename Start>
beast::error_code RunFor(net::io_context& ioc, Stream& lowest,
                         std::chrono::milliseconds timeout, Start start) {
  beast::error_code result = net::error::timed_out;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  ioc.run_for(timeout);
  if (!done) {
    beast::error_code ignored;
    lowest.close(ignored);
    ioc.restart();
    ioc.run();
    return net::error::timed_out;
  }
  return result;
}

}  // namespace

HttpResult HttpGet(uint16_t port, const std::string& target,
                   const std::map<std::string, std::string>& headers) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  HttpResult out;
  beast::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return out;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.set(k, v);
  req.keep_alive(false);
  if (RunFor(ioc, socket, 5000ms,
             [&](auto handler) { http::async_write(socket, req, handler); })) {
    return out;
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (RunFor(ioc, socket, 5000ms, [&](auto handler) {
        http::async_read(socket, buffer, res, handler);
      })) {
    return out;
  }
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& field : res) {
    out.headers[std::string(field.name_string())] = std::string(field.value());
  }
  return out;
}

int RawResult::status() const {
  return bytes.rfind("HTTP/1.", 0) == 0 && bytes.size() >= 12
             ? std::atoi(bytes.substr(9, 3).c_str())
             : 0;
}

std::string RawResult::body() const {
  const size_t end = bytes.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : bytes.substr(end + 4);
}

std::string RawGetRequest(const std::string& target, const std::string& host,
                          const std::string& extra_headers) {
  return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" +
         extra_headers + "Connection: close\r\n\r\n";
}

RawResult RawExchange(uint16_t port, const std::string& bytes,
                      const std::string& address,
                      std::chrono::milliseconds timeout) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  RawResult out;
  beast::error_code ec;
  socket.connect({net::ip::make_address(address), port}, ec);
  if (ec) return out;
  // Written and read at once: the server may answer before it has read all.
  bool done = false;
  net::async_write(socket, net::buffer(bytes),
                   [](beast::error_code, size_t) {});
  net::async_read(socket, net::dynamic_buffer(out.bytes),
                  [&](beast::error_code ec, size_t) {
                    out.closed = ec == net::error::eof ||
                                 ec == net::error::connection_reset;
                    done = true;
                  });
  ioc.run_for(timeout);
  if (!done) {
    socket.close(ec);
    ioc.restart();
    ioc.run();
  }
  return out;
}

struct WsClient::Impl {
  Impl() : ws(ioc) {}
  tcp::socket& socket() { return beast::get_lowest_layer(ws).socket(); }

  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() = default;

int WsClient::Connect(uint16_t port, const std::string& target,
                      const std::map<std::string, std::string>& headers,
                      int receive_buffer_bytes) {
  tcp::socket& socket = impl_->socket();
  beast::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return 0;
  if (receive_buffer_bytes > 0) {
    socket.set_option(
        net::socket_base::receive_buffer_size(receive_buffer_bytes));
  }
  impl_->ws.set_option(websocket::stream_base::decorator(
      [headers](websocket::request_type& req) {
        for (const auto& [k, v] : headers) req.set(k, v);
      }));
  impl_->ws.read_message_max(64 << 20);
  websocket::response_type res;
  ec = RunFor(impl_->ioc, socket, 5000ms, [&](auto handler) {
    impl_->ws.async_handshake(res, "127.0.0.1:" + std::to_string(port), target,
                              handler);
  });
  if (!ec) return 101;
  return ec == websocket::error::upgrade_declined ? res.result_int() : 0;
}

boost::system::error_code WsClient::Send(const std::string& text, bool binary) {
  impl_->ws.binary(binary);
  return RunFor(impl_->ioc, impl_->socket(), 5000ms, [&](auto handler) {
    impl_->ws.async_write(net::buffer(text), handler);
  });
}

std::optional<nlohmann::json> WsClient::Read(
    std::chrono::milliseconds timeout) {
  impl_->buffer.clear();
  last_error_ = RunFor(impl_->ioc, impl_->socket(), timeout, [&](auto handler) {
    impl_->ws.async_read(impl_->buffer, handler);
  });
  if (last_error_) return std::nullopt;
  return nlohmann::json::parse(beast::buffers_to_string(impl_->buffer.data()));
}

int WsClient::ReadUntilClosed(std::chrono::milliseconds timeout) {
  while (Read(timeout)) {
  }
  return close_code() != 0 ? close_code() : -1;
}

boost::system::error_code WsClient::Close() {
  return RunFor(impl_->ioc, impl_->socket(), 5000ms, [&](auto handler) {
    impl_->ws.async_close(websocket::close_code::normal, handler);
  });
}

int WsClient::close_code() const { return impl_->ws.reason().code; }

std::string WsClient::close_reason() const {
  const auto& reason = impl_->ws.reason().reason;
  return std::string(reason.data(), reason.size());
}

bool WsClient::timed_out() const {
  return last_error_ == net::error::timed_out;
}

bool WsClient::closed_by_server() const {
  return last_error_ == websocket::error::closed;
}

size_t WsClient::BytesAvailable() { return impl_->socket().available(); }

}  // namespace reply::testing

// A real Beast WebSocket/HTTP client for the server tests. Every blocking
// call has a deadline, so a server bug fails a test instead of hanging it.
//
//   WsClient client;
//   ASSERT_EQ(client.Connect(port), 101);
//   client.Send(R"({"type":"suggest","id":"r1","message":"在吗"})");
//   std::optional<nlohmann::json> answer = client.Read();
//
// Thread safety: one client per thread.
#ifndef REPLY_TESTS_SERVER_WS_CLIENT_H_
#define REPLY_TESTS_SERVER_WS_CLIENT_H_

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace reply::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

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

struct HttpResult {
  int status = 0;  // 0: no response
  std::string body;
  std::map<std::string, std::string> headers;
};

inline HttpResult HttpGet(
    uint16_t port, const std::string& target,
    const std::map<std::string, std::string>& headers = {}) {
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

// What a server sent back to RawExchange.
struct RawResult {
  std::string bytes;    // everything received
  bool closed = false;  // the server closed the connection (not a timeout)
  int status() const {  // the status code of the first response, or 0
    return bytes.rfind("HTTP/1.", 0) == 0 && bytes.size() >= 12
               ? std::atoi(bytes.substr(9, 3).c_str())
               : 0;
  }
  // The status line and header of the first response: safe to print when
  // the body may hold what a test must not leak.
  std::string head() const { return bytes.substr(0, bytes.find("\r\n\r\n")); }
  std::string body() const {  // after the first response's header
    const size_t end = bytes.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : bytes.substr(end + 4);
  }
};

// The bytes of a GET of `target` with this Host (sent as is, even empty),
// `extra_headers` ("Name: value\r\n" each) and Connection: close.
inline std::string RawGetRequest(const std::string& target,
                                 const std::string& host,
                                 const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" +
         extra_headers + "Connection: close\r\n\r\n";
}

// Sends `bytes` as they are to `address`:`port` and reads until the server
// closes the connection or `timeout` passes: for requests no HTTP client
// library would write.
inline RawResult RawExchange(uint16_t port, const std::string& bytes,
                             const std::string& address = "127.0.0.1",
                             std::chrono::milliseconds timeout = 5000ms) {
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

class WsClient {
 public:
  WsClient() : ws_(ioc_) {}

  // 101 when the upgrade succeeded; otherwise the HTTP status the server
  // answered with (403, 401, ...), or 0 when there was no answer.
  int Connect(uint16_t port, const std::string& target = "/ws",
              const std::map<std::string, std::string>& headers = {},
              int receive_buffer_bytes = 0) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return 0;
    if (receive_buffer_bytes > 0) {
      socket.set_option(
          net::socket_base::receive_buffer_size(receive_buffer_bytes));
    }
    ws_.set_option(websocket::stream_base::decorator(
        [headers](websocket::request_type& req) {
          for (const auto& [k, v] : headers) req.set(k, v);
        }));
    ws_.read_message_max(64 << 20);
    websocket::response_type res;
    ec = RunFor(ioc_, socket, 5000ms, [&](auto handler) {
      ws_.async_handshake(res, "127.0.0.1:" + std::to_string(port), target,
                          handler);
    });
    if (!ec) return 101;
    return ec == websocket::error::upgrade_declined ? res.result_int() : 0;
  }

  beast::error_code Send(const std::string& text, bool binary = false) {
    ws_.binary(binary);
    return RunFor(
        ioc_, beast::get_lowest_layer(ws_).socket(), 5000ms,
        [&](auto handler) { ws_.async_write(net::buffer(text), handler); });
  }

  // The next message as JSON; nullopt on close, error or timeout (see
  // last_error() and close_code()).
  std::optional<nlohmann::json> Read(
      std::chrono::milliseconds timeout = 5000ms) {
    buffer_.clear();
    last_error_ =
        RunFor(ioc_, beast::get_lowest_layer(ws_).socket(), timeout,
               [&](auto handler) { ws_.async_read(buffer_, handler); });
    if (last_error_) return std::nullopt;
    return nlohmann::json::parse(beast::buffers_to_string(buffer_.data()));
  }

  // Reads until the connection ends; the close code the server sent, or
  // -1 when it ended without a close frame. (The close frame counts even
  // if the TCP teardown after it reports an error.)
  int ReadUntilClosed(std::chrono::milliseconds timeout = 5000ms) {
    while (Read(timeout)) {
    }
    return ws_.reason().code != websocket::close_code::none ? close_code() : -1;
  }

  beast::error_code Close() {
    return RunFor(ioc_, beast::get_lowest_layer(ws_).socket(), 5000ms,
                  [&](auto handler) {
                    ws_.async_close(websocket::close_code::normal, handler);
                  });
  }

  int close_code() const { return ws_.reason().code; }
  beast::error_code last_error() const { return last_error_; }
  websocket::stream<beast::tcp_stream>& stream() { return ws_; }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  beast::error_code last_error_;
};

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_WS_CLIENT_H_

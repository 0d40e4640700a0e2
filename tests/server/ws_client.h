// A real Beast WebSocket/HTTP client for the server tests. Every blocking
// call has a deadline, so a server bug fails a test instead of hanging it.
//
//   WsClient client;
//   ASSERT_EQ(client.Connect(port), 101);
//   client.Send(R"({"type":"suggest","id":"r1","message":"在吗"})");
//   std::optional<nlohmann::json> answer = client.Read();
//
// Beast stays in ws_client.cc: its templates, instantiated once per test
// file, were most of each server test's compile time (40-60 s a file on
// 2 cores in the clean build, twice with the ThreadSanitizer build).
//
// Thread safety: one client per thread.
#ifndef REPLY_TESTS_SERVER_WS_CLIENT_H_
#define REPLY_TESTS_SERVER_WS_CLIENT_H_

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace reply::testing {

using namespace std::chrono_literals;

struct HttpResult {
  int status = 0;  // 0: no response
  std::string body;
  std::map<std::string, std::string> headers;
};

// A GET of `target` from 127.0.0.1:`port` with these extra headers.
HttpResult HttpGet(uint16_t port, const std::string& target,
                   const std::map<std::string, std::string>& headers = {});

// What a server sent back to RawExchange.
struct RawResult {
  std::string bytes;    // everything received
  bool closed = false;  // the server closed the connection (not a timeout)
  int status() const;   // the status code of the first response, or 0
  // The status line and header of the first response: safe to print when
  // the body may hold what a test must not leak.
  std::string head() const { return bytes.substr(0, bytes.find("\r\n\r\n")); }
  std::string body() const;  // after the first response's header
};

// The bytes of a GET of `target` with this Host (sent as is, even empty),
// `extra_headers` ("Name: value\r\n" each) and Connection: close.
std::string RawGetRequest(const std::string& target, const std::string& host,
                          const std::string& extra_headers = "");

// Sends `bytes` as they are to `address`:`port` and reads until the server
// closes the connection or `timeout` passes: for requests no HTTP client
// library would write (empty `bytes`: a peer that connects and says nothing).
RawResult RawExchange(uint16_t port, const std::string& bytes,
                      const std::string& address = "127.0.0.1",
                      std::chrono::milliseconds timeout = 5000ms);

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // 101 when the upgrade succeeded; otherwise the HTTP status the server
  // answered with (403, 401, ...), or 0 when there was no answer.
  int Connect(uint16_t port, const std::string& target = "/ws",
              const std::map<std::string, std::string>& headers = {},
              int receive_buffer_bytes = 0);

  boost::system::error_code Send(const std::string& text, bool binary = false);

  // The next message as JSON; nullopt on close, error or timeout (see
  // last_error(), timed_out(), closed_by_server() and close_code()).
  std::optional<nlohmann::json> Read(
      std::chrono::milliseconds timeout = 5000ms);

  // Reads until the connection ends; the close code the server sent, or
  // -1 when it ended without a close frame. (The close frame counts even
  // if the TCP teardown after it reports an error.)
  int ReadUntilClosed(std::chrono::milliseconds timeout = 5000ms);

  boost::system::error_code Close();

  // The close code the server sent, 0 when none came.
  int close_code() const;
  // The reason text of the server's close frame ("" without one).
  std::string close_reason() const;
  boost::system::error_code last_error() const { return last_error_; }
  // The last Read ended by its own deadline, not by the server.
  bool timed_out() const;
  // The last Read ended because the server closed the WebSocket cleanly.
  bool closed_by_server() const;
  // Bytes the server sent that no Read has taken yet.
  size_t BytesAvailable();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  boost::system::error_code last_error_;
};

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_WS_CLIENT_H_

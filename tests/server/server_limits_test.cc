// The server's limits and access rules, each broken on purpose by a real
// client: frame size, UTF-8, rate, slow readers, connections, timeouts,
// Origin and tokens. After each, the server still serves.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class LimitsTest : public ServerTestBase {
 protected:
  // The server still answers a fresh client.
  void ExpectServing() {
    auto client = Connect();
    EXPECT_EQ(Ask(*client, SuggestFrame("alive"))["type"], "suggestions");
  }

  std::string Metric(const std::string& line_prefix) {
    const HttpResult res = HttpGet(port_, "/metrics");
    const size_t at = res.body.find(line_prefix + " ");
    if (at == std::string::npos) return "";
    const size_t start = at + line_prefix.size() + 1;
    return res.body.substr(start, res.body.find('\n', start) - start);
  }

  // The metric once it reaches `value`, or its last value after 3 s. For
  // counts the server updates after the client already saw the close.
  std::string AwaitMetric(const std::string& line_prefix,
                          const std::string& value) {
    std::string current;
    for (int i = 0; i < 300 && (current = Metric(line_prefix)) != value; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    return current;
  }
};

TEST_F(LimitsTest, AFrameOverTheLimitClosesWith1009) {
  auto config = Config();
  config.max_frame_bytes = 2048;
  Start(config);
  auto client = Connect();
  // Just under the limit is served.
  json small = SuggestFrame("r1");
  small["pad"] = std::string(1500, 'x');
  EXPECT_EQ(Ask(*client, small)["type"], "suggestions");
  json big = SuggestFrame("r2");
  big["pad"] = std::string(3000, 'x');
  ASSERT_FALSE(client->Send(big.dump()));
  EXPECT_EQ(client->ReadUntilClosed(), 1009) << client->last_error().message();
  // The close says which limit, and where it is set.
  EXPECT_EQ(client->close_reason(),
            "message over 2048 bytes (--max-frame-bytes); nothing more is "
            "read");
  EXPECT_EQ(
      AwaitMetric("replyd_connections_closed_total{reason=\"too_big\"}", "1"),
      "1");
  ExpectServing();
}

TEST_F(LimitsTest, InvalidUtf8ClosesWith1007) {
  Start(Config());
  auto client = Connect();
  // A valid frame around an overlong encoding of '/'.
  ASSERT_FALSE(client->Send(
      "{\"type\":\"suggest\",\"id\":\"r1\",\"message\":\"\xC0\xAF\"}"));
  EXPECT_EQ(client->ReadUntilClosed(), 1007) << client->last_error().message();
  // Beast fails the connection itself, with no reason text
  // (websocket_session.cc says why it cannot be ours).
  EXPECT_EQ(client->close_reason(), "");
  EXPECT_EQ(
      AwaitMetric("replyd_connections_closed_total{reason=\"bad_utf8\"}", "1"),
      "1");
  ExpectServing();
}

TEST_F(LimitsTest, AFloodIsRateLimitedThenClosedWith1008) {
  auto config = Config();
  config.rate_limit = 0.1;  // one frame per 10 s: no refill during the test
  config.rate_burst = 5;
  config.rate_strikes = 10;
  Start(config);
  auto client = Connect();
  for (int i = 0; i < 30; ++i) {
    if (client->Send(SuggestFrame(NumberedId("r", i)).dump())) break;
  }
  int suggestions = 0, limited = 0;
  while (std::optional<json> answer = client->Read()) {
    if ((*answer)["type"] == "suggestions") {
      ++suggestions;
    } else {
      EXPECT_EQ((*answer)["code"], "rate_limited");
      EXPECT_EQ((*answer)["id"], "r" + std::to_string(suggestions + limited));
      ++limited;
    }
  }
  EXPECT_EQ(suggestions, 5);
  EXPECT_EQ(limited, 9);
  EXPECT_EQ(client->close_code(), 1008);
  EXPECT_EQ(Metric("replyd_connections_closed_total{reason=\"rate_limited\"}"),
            "1");
  ExpectServing();
}

TEST_F(LimitsTest, ASlowReaderIsClosedInsteadOfBuffered) {
  auto config = Config();
  config.rate_limit = 1e6;
  config.rate_burst = 1e6;
  config.max_write_queue = 8;
  Start(config);
  WsClient slow;
  ASSERT_EQ(slow.Connect(port_, "/ws", {}, /*receive_buffer_bytes=*/4096), 101);
  // Ask and never read: the answers pile up until the server gives up.
  const std::string frame = SuggestFrame("r").dump();
  int sent = 0;
  while (sent < 50000 && !slow.Send(frame)) ++sent;
  EXPECT_LT(sent, 50000) << "the server never closed the slow reader";
  EXPECT_EQ(Metric("replyd_connections_closed_total{reason=\"slow_reader\"}"),
            "1");
  ExpectServing();
}

TEST_F(LimitsTest, ConnectionsBeyondTheLimitAreRefused) {
  auto config = Config();
  config.max_connections = 3;
  Start(config);
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(Connect());
  WsClient extra;
  EXPECT_EQ(extra.Connect(port_), 0) << "a fourth connection was served";
  clients.pop_back();  // closes at destruction without a handshake
  // The server notices the drop; then a new connection fits again.
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 101; ++attempt) {
    WsClient again;
    status = again.Connect(port_);
    if (status != 101) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 101);
}

TEST_F(LimitsTest, ASilentPeerIsClosedAndAReadingOneIsKeptAliveByPings) {
  auto config = Config();
  config.idle_timeout_ms = 1000;  // a ping at 500 ms: room for a loaded machine
  Start(config);
  auto silent = Connect();
  auto reading = Connect();
  // `reading` reads, so its Beast stream answers the server's pings: still
  // open after 2.5 idle timeouts (the read ends by our own deadline).
  EXPECT_FALSE(reading->Read(2500ms));
  EXPECT_TRUE(reading->timed_out()) << reading->last_error().message();
  // `silent` read nothing meanwhile, so answered no ping: the server closed it.
  EXPECT_FALSE(silent->Read(2000ms));
  EXPECT_FALSE(silent->timed_out());
}

TEST_F(LimitsTest, APeerThatNeverSendsItsRequestIsDisconnected) {
  auto config = Config();
  config.handshake_timeout_ms = 200;
  Start(config);
  // Connects and says nothing: the server closes before our deadline.
  const RawResult silent = RawExchange(port_, "", "127.0.0.1", 3000ms);
  EXPECT_TRUE(silent.closed);
  EXPECT_EQ(silent.bytes, "");
}

TEST_F(LimitsTest, ABrowserPageFromAnotherOriginIsForbidden) {
  Start(Config());
  WsClient evil;
  EXPECT_EQ(evil.Connect(port_, "/ws", {{"Origin", "http://evil.example"}}),
            403);
  WsClient same_host;
  EXPECT_EQ(same_host.Connect(
                port_, "/ws",
                {{"Origin", "http://127.0.0.1:" + std::to_string(port_)}}),
            101);
  WsClient no_browser;  // agent consoles and tools send no Origin
  EXPECT_EQ(no_browser.Connect(port_), 101);
  EXPECT_EQ(
      Metric("replyd_connections_rejected_total{reason=\"forbidden_origin\"}"),
      "1");
}

TEST_F(LimitsTest, AnAllowListAdmitsOnlyItsOrigins) {
  auto config = Config();
  config.allow_origins = {"https://shop.example"};
  Start(config);
  WsClient listed;
  EXPECT_EQ(listed.Connect(port_, "/ws", {{"Origin", "https://shop.example"}}),
            101);
  WsClient same_host;  // not listed: the list replaces the same-host rule
  EXPECT_EQ(same_host.Connect(
                port_, "/ws",
                {{"Origin", "http://127.0.0.1:" + std::to_string(port_)}}),
            403);
}

TEST_F(LimitsTest, AMissingOrWrongTokenIsUnauthorized) {
  auto config = Config();
  config.tokens = {"shop-a", "shop-b"};
  Start(config);
  WsClient none;
  EXPECT_EQ(none.Connect(port_), 401);
  WsClient wrong;
  EXPECT_EQ(wrong.Connect(port_, "/ws", {{"Authorization", "Bearer shop-c"}}),
            401);
  WsClient header;
  EXPECT_EQ(header.Connect(port_, "/ws", {{"Authorization", "Bearer shop-b"}}),
            101);
  WsClient query;  // browsers cannot set headers on a WebSocket
  EXPECT_EQ(query.Connect(port_, "/ws?token=shop-a"), 101);
  EXPECT_EQ(Ask(query, SuggestFrame("r1"))["type"], "suggestions");

  EXPECT_EQ(HttpGet(port_, "/metrics").status, 401);
  EXPECT_EQ(HttpGet(port_, "/stats").status, 401);
  EXPECT_EQ(
      HttpGet(port_, "/metrics", {{"Authorization", "Bearer shop-a"}}).status,
      200);
  EXPECT_EQ(HttpGet(port_, "/healthz").status, 200) << "probes need no token";
}

}  // namespace
}  // namespace reply::testing

// Shutdown of a server in this process (so the ThreadSanitizer build runs
// it too): every request a client sent before the shutdown is answered
// before the 1001, with or without the client's done_sending; feedback is
// in the file; a client that never answers the close, or never reads, does
// not hold the shutdown. replyd_process_test.cc does the same to the real
// binary with SIGTERM.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class ShutdownTest : public ServerTestBase {
 protected:
  server::ServerConfig Unlimited() const {
    server::ServerConfig config = Config();
    config.rate_limit = 1e6;
    config.rate_burst = 1e6;
    return config;
  }

  std::set<std::string> StoredKeys() const {
    std::set<std::string> keys;
    for (const auto& row :
         QueryDb(dir_ / "feedback.db",
                 "SELECT feedback_key FROM feedback WHERE feedback_key IS NOT "
                 "NULL")) {
      keys.insert(row[0]);
    }
    return keys;
  }
};

TEST_F(ShutdownTest, EveryRequestInFlightIsAnsweredBeforeThe1001) {
  auto config = Unlimited();
  config.shutdown_timeout_ms = 10'000;
  Start(config);
  constexpr int kConnections = 4;
  constexpr int kPerConnection = 150;
  std::thread stop;
  const AcrossShutdown run = SendAcrossShutdown(
      port_, kConnections, kPerConnection,
      [&] { stop = std::thread([this] { server_->Shutdown(); }); });
  stop.join();

  std::set<std::string> sent_keys;
  for (int c = 0; c < kConnections; ++c) {
    SCOPED_TRACE("connection " + std::to_string(c));
    EXPECT_TRUE(run.drained[c].notice);
    EXPECT_EQ(run.drained[c].close_code, 1001);
    EXPECT_EQ(CountUnanswered(run.batches[c], run.drained[c]), 0);
    EXPECT_EQ(run.drained[c].duplicates, 0);
    sent_keys.insert(run.batches[c].keys.begin(), run.batches[c].keys.end());
  }
  EXPECT_EQ(StoredKeys(), sent_keys) << "every acknowledged row is stored";
}

TEST_F(ShutdownTest, AClientThatNeverAnswersTheCloseIsCutOffAfterTheGrace) {
  auto config = Config();
  config.shutdown_timeout_ms = 20'000;
  config.handshake_timeout_ms = 30'000;  // Beast alone would wait this long
  config.idle_timeout_ms = 60'000;
  Start(config);
  auto silent = Connect();  // never reads, never closes
  auto polite = Connect();
  const auto start = Clock::now();
  std::thread stop([this] { server_->Shutdown(); });
  const Drained drained = ReadUntilClosed(*polite, /*answer_notice=*/true);
  stop.join();
  const auto took = Clock::now() - start;
  EXPECT_EQ(drained.close_code, 1001);
  // Quiet period, then the close grace: far from the 20 s timeout.
  EXPECT_LT(took, 8s) << "the silent client held the shutdown";
  // What it would have read: the notice, then the close.
  const Drained late = ReadUntilClosed(*silent, false);
  EXPECT_TRUE(late.notice);
  EXPECT_EQ(late.close_code, 1001);
}

TEST_F(ShutdownTest, AClientThatNeverReadsIsClosedHardAtTheTimeout) {
  auto config = Unlimited();
  config.shutdown_timeout_ms = 1500;
  config.max_write_queue = 1'000'000;  // not cut off as a slow reader
  config.idle_timeout_ms = 60'000;
  Start(config);
  WsClient stuck;
  ASSERT_EQ(stuck.Connect(port_, "/ws", {}, /*receive_buffer_bytes=*/4096),
            101);
  // Far more answers than the socket buffers hold: the server's writes
  // stop, and neither the notice nor a close can go out.
  const std::string frame = SuggestFrame("r").dump();
  for (int i = 0; i < 10'000; ++i) ASSERT_FALSE(stuck.Send(frame));
  const auto start = Clock::now();
  server_->Shutdown();
  EXPECT_LT(Clock::now() - start, 1500ms + 3s);
}

}  // namespace
}  // namespace reply::testing

// A feedback storm through the real server (issue 14): 100,000 feedback
// events sent on a schedule of 10,000 a second over eight connections, with the learner
// recomputing every second, while a fifth connection keeps asking for
// suggestions. Nothing acknowledged is lost (every acknowledged key is a
// row once the server has shut down), and suggestions are not blocked
// behind the feedback: each is answered, and its latency is reported
// (docs/learning.md records the numbers). Not in the ThreadSanitizer build:
// 100,000 events there take minutes, and the storm is about capacity, not
// races (server_messages_test.cc pipelines feedback under TSan).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kSenders = 8;
constexpr int kRatePerSender = 1250;  // events a second: 10,000 in all
// Frames in flight on one connection at most: under the server's
// --max-write-queue (256), which closes a client that reads too slowly.
constexpr int kMaxBatch = 200;
constexpr auto kStorm = std::chrono::seconds(10);
constexpr auto kSlice = std::chrono::milliseconds(10);

class StormTest : public ServerTestBase {};

// What one sender saw: the keys acknowledged, and the refusals.
struct Sent {
  std::vector<std::string> acked;
  int refused = 0;  // `internal` (queue full), answered but not stored
  int frames = 0;
  bool broken = false;
};

TEST_F(StormTest, FeedbackAtTenThousandASecondLosesNothingAcknowledged) {
  server::ServerConfig config = Config();
  config.learn = true;
  config.learn_interval_s = 1;
  config.rate_limit = 1e6;  // the storm is the point, not one console's pace
  config.rate_burst = 1e6;
  config.idle_timeout_ms = 120'000;
  Start(config);

  // Suggestions before the storm, for comparison: the same client, pace
  // and message.
  const auto quantiles = [](std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double q) {
      return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
    };
    char text[96];
    std::snprintf(text, sizeof text,
                  "%zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms", ms.size(),
                  at(0.5), at(0.99), ms.back());
    return std::string(text);
  };
  std::vector<double> calm_ms;
  {
    auto client = Connect();
    for (int i = 0; i < 200; ++i) {
      const Clock::time_point asked = Clock::now();
      const json answer = Ask(*client, SuggestFrame(NumberedId("c", i)));
      ASSERT_EQ(answer["type"], "suggestions") << answer;
      calm_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - asked)
              .count());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::vector<Sent> sent(kSenders);
  std::vector<std::vector<std::string>> keys(kSenders);  // by frame number
  std::atomic<int> storming{kSenders};  // senders still sending
  std::vector<std::thread> senders;
  const Clock::time_point start = Clock::now();
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      WsClient client;
      if (client.Connect(port_) != 101) {
        sent[s].broken = true;
        --storming;
        return;
      }
      // Every slice, the frames the schedule owes by then, then their
      // answers: the senders keep the rate unless the server falls behind.
      const int64_t total = kRatePerSender * kStorm.count();
      int64_t n = 0;
      while (n < total) {
        const int64_t due = std::min<int64_t>(
            total,
            static_cast<int64_t>(
                std::chrono::duration<double>(Clock::now() - start).count() *
                kRatePerSender));
        int batch = 0;
        for (; n < due && batch < kMaxBatch; ++n, ++batch) {
          json frame = {{"type", "feedback"},
                        {"id", "f" + std::to_string(n)},
                        {"action", "own_reply"},
                        {"final_text", "亲，今天发出"},
                        {"key", RandomHex()}};
          if (client.Send(frame.dump())) {
            sent[s].broken = true;
            --storming;
            return;
          }
          ++sent[s].frames;
          keys[s].push_back(frame["key"]);
        }
        for (int i = 0; i < batch; ++i) {
          std::optional<json> answer = client.Read(std::chrono::seconds(60));
          if (!answer) {
            sent[s].broken = true;
            --storming;
            return;
          }
          const size_t at =
              std::stoul((*answer)["id"].get<std::string>().substr(1));
          if ((*answer)["type"] == "ack") {
            sent[s].acked.push_back(keys[s][at]);
          } else {
            ++sent[s].refused;
          }
        }
        std::this_thread::sleep_for(kSlice);
      }
      --storming;
    });
  }

  // Meanwhile, suggestions: each must be answered, and how long it took is
  // reported.
  std::vector<double> latency_ms;
  {
    auto client = Connect();
    int i = 0;
    while (storming > 0) {
      const Clock::time_point asked = Clock::now();
      const json answer = Ask(*client, SuggestFrame(NumberedId("q", i++)));
      if (answer.value("type", "") != "suggestions") {
        ADD_FAILURE() << "a suggestion not answered: " << answer;
        break;  // the senders' threads still end on their schedule
      }
      latency_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - asked)
              .count());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  for (std::thread& t : senders) t.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();

  int frames = 0, acked = 0, refused = 0;
  for (const Sent& s : sent) {
    EXPECT_FALSE(s.broken) << "a sender's connection broke";
    frames += s.frames;
    acked += static_cast<int>(s.acked.size());
    refused += s.refused;
  }
  EXPECT_EQ(acked + refused, frames) << "every frame answered";

  // Shut the server down (it drains its queue), then read the file.
  server_.reset();
  const auto rows =
      QueryDb(dir_ / "feedback.db", "SELECT feedback_key FROM feedback");
  std::set<std::string> stored;
  for (const auto& row : rows) stored.insert(row[0]);
  int lost = 0;
  for (const Sent& s : sent) {
    for (const std::string& key : s.acked) lost += stored.count(key) == 0;
  }
  EXPECT_EQ(lost, 0) << "acknowledged rows missing from the file";

  ASSERT_FALSE(latency_ms.empty());
  // The numbers for docs/learning.md. The storm is 100,000 events sent on
  // a 10,000-a-second schedule; a slower machine takes longer and the rate
  // printed says so. Budgets on time would make the test flaky on a shared
  // machine, so the assertions are that suggestions were answered all along
  // and every acknowledged row is in the file.
  std::printf(
      "storm: %d frames in %.1f s (%.0f/s), %d acknowledged, %d refused, "
      "%zu rows\nsuggestions before: %s\nsuggestions during: %s\n",
      frames, seconds, frames / seconds, acked, refused, rows.size(),
      quantiles(calm_ms).c_str(), quantiles(latency_ms).c_str());
  EXPECT_EQ(frames, kSenders * kRatePerSender * kStorm.count());
  EXPECT_GE(latency_ms.size(), 100u);
}

}  // namespace
}  // namespace reply::testing

// Ranking that learns, through the real server: feedback sent over the
// WebSocket is committed to the SQLite store, the background learner reads
// it (--learn-interval-s 1), and later suggestions come in the learned
// order. A handful of events moves nothing; shops with enough feedback of
// their own get their own order, the others the pooled one. Waits are on /healthz's
// `learned` counts, with deadlines, never on time alone.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class LearnTest : public ServerTestBase {
 protected:
  server::ServerConfig LearningConfig() const {
    server::ServerConfig c = Config();
    c.learn = true;
    c.learn_interval_s = 1;
    return c;
  }

  std::vector<std::string> Templates(WsClient& client, const std::string& id) {
    const json answer = Ask(client, SuggestFrame(id));
    std::vector<std::string> out;
    for (const json& s : answer["suggestions"]) out.push_back(s["template"]);
    return out;
  }

  // One round: a suggestion, then `action` (empty: none) on the reply of
  // template `a` and `b_action` on that of `b`.
  void Round(WsClient& client, const std::string& id, const std::string& a,
             const std::string& a_action, const std::string& b,
             const std::string& b_action) {
    const json answer = Ask(client, SuggestFrame(id));
    int sent = 0;
    for (const json& s : answer["suggestions"]) {
      std::string action;
      if (s["template"] == a) action = a_action;
      if (s["template"] == b) action = b_action;
      if (action.empty()) continue;
      const json ack = Ask(client, {{"type", "feedback"},
                                    {"id", id + "-" + action},
                                    {"suggestion_id", s["suggestion_id"]},
                                    {"action", action}});
      ASSERT_EQ(ack["type"], "ack") << ack;
      ++sent;
    }
    ASSERT_EQ(sent, (a_action.empty() ? 0 : 1) + (b_action.empty() ? 0 : 1))
        << answer;
  }

  // Waits until the learned ranking counts `shown` displayed suggestions:
  // it was recomputed after the last feedback committed.
  void WaitForLearned(int64_t shown) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    json health;
    while (std::chrono::steady_clock::now() < deadline) {
      health = json::parse(HttpGet(port_, "/healthz").body);
      if (health["learned"].is_object() && health["learned"]["shown"] == shown)
        return;
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "the learned ranking never counted " << shown
           << " shown: " << health;
  }
};

TEST_F(LearnTest, AgentsPreferenceMovesAReplyFirstAndAHandfulDoesNot) {
  Start(LearningConfig());
  auto client = Connect();
  const std::vector<std::string> authors = Templates(*client, "r0");
  ASSERT_GE(authors.size(), 2u);
  const std::string first = authors[0], preferred = authors[1];

  // Five accepts of the second reply: the authors' order stands.
  for (int i = 0; i < 5; ++i) {
    Round(*client, NumberedId("few", i), preferred, "accepted", first, "");
  }
  WaitForLearned(5);
  EXPECT_EQ(Templates(*client, "r1"), authors);

  // A population that accepts the second reply 70% of the time and the
  // first 20%: twenty rounds move the second first.
  for (int i = 0; i < 20; ++i) {
    Round(*client, NumberedId("many", i), preferred,
          i % 10 < 7 ? "accepted" : "rejected", first,
          i % 10 < 2 ? "accepted" : "rejected");
  }
  WaitForLearned(5 + 40);
  const std::vector<std::string> learned = Templates(*client, "r2");
  ASSERT_GE(learned.size(), 2u);
  EXPECT_EQ(learned[0], preferred);
  EXPECT_EQ(learned[1], first);

  // explain shows the prior, the evidence and the ranks.
  json frame = SuggestFrame("x1");
  frame["type"] = "explain";
  const json answer = Ask(*client, frame);
  const json& replies = answer["explanation"]["replies"][0];
  EXPECT_EQ(replies["order"], "learned");
  json top;
  for (const json& v : replies["variants"]) {
    if (v["template"] == preferred) top = v;
  }
  ASSERT_TRUE(top.is_object()) << replies;
  EXPECT_EQ(top["position"], 1);  // the first suggestion
  EXPECT_LT(top["learned"]["rank"], top["learned"]["author_rank"]);
  EXPECT_EQ(top["learned"]["evidence"]["from"], "pooled");
  EXPECT_EQ(top["learned"]["evidence"]["shown"], 25);
  EXPECT_EQ(top["learned"]["evidence"]["accepted"], 5 + 14);
  EXPECT_EQ(top["learned"]["evidence"]["rejected"], 6);
  EXPECT_GT(top["learned"]["prior"].get<double>(), 0);
}

// Per shop: shops/<id>.yaml and a tokens file (as in server_shops_test.cc).
// Two shops with enough evidence of their own each get their own order for
// the same message; a shop below Ranking::Options::min_shop_shown (200
// shown per intent) gets the pooled order, neither its own nor the authors'.
class ShopLearnTest : public LearnTest {
 protected:
  static void Write(const std::filesystem::path& path,
                    const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  server::ServerConfig ShopConfig() {
    const std::filesystem::path packs = dir_ / "packs";
    std::filesystem::create_directories(packs / "shops");
    CopyBundledPacks(packs);
    std::string tokens;
    for (const char* shop : {"lin", "ma", "wu"}) {
      Write(packs / "shops" / (std::string(shop) + ".yaml"),
            "policy:\n  promise_ship_hours: 48\n");
      tokens += std::string(shop) + " " + shop + "-token-0123456789abcdef\n";
    }
    Write(dir_ / "tokens", tokens);
    server::ServerConfig c = LearningConfig();
    c.packs = packs.string();
    c.tokens_file = (dir_ / "tokens").string();
    c.admin_token = "admin-token-0123456789abcdef";
    // Hundreds of rounds as fast as the server answers, not a console's
    // pace.
    c.rate_limit = 100000;
    c.rate_burst = 100000;
    // The shops' connections wait while the others send their rounds.
    c.idle_timeout_ms = 120'000;
    return c;
  }

  std::unique_ptr<WsClient> ConnectAs(const std::string& shop) {
    return Connect(
        {{"Authorization", "Bearer " + shop + "-token-0123456789abcdef"}});
  }
};

TEST_F(ShopLearnTest, EachShopWithEnoughEvidenceGetsItsOwnOrder) {
  Start(ShopConfig());
  auto lin = ConnectAs("lin");
  auto ma = ConnectAs("ma");
  auto wu = ConnectAs("wu");
  const std::vector<std::string> authors = Templates(*lin, "r0");
  ASSERT_GE(authors.size(), 2u);
  const std::string a = authors[0], b = authors[1];
  ASSERT_EQ(Templates(*ma, "r0"), authors);
  ASSERT_EQ(Templates(*wu, "r0"), authors);

  // lin's agents send b and reject a; ma's the other way round; both show
  // the intent's replies over 200 times. Pooled, b leads (150 to 110).
  for (int i = 0; i < 150; ++i) {
    Round(*lin, NumberedId("lin", i), b, "accepted", a, "rejected");
  }
  for (int i = 0; i < 100; ++i) {
    Round(*ma, NumberedId("ma", i), a, "accepted", b, "rejected");
  }
  // wu's agents prefer a too, but only ten times: on its own counts a would
  // stay first; wu is ranked on the pooled counts, where b leads.
  for (int i = 0; i < 10; ++i) {
    Round(*wu, NumberedId("wu", i), a, "accepted", b, "rejected");
  }
  WaitForLearned(2 * (150 + 100 + 10));

  // The first suggestion of each; the one its agents reject falls below
  // the replies nobody answered.
  const auto first = [&](WsClient& client) {
    const std::vector<std::string> order = Templates(client, "r1");
    return order.empty() ? std::string() : order[0];
  };
  EXPECT_EQ(first(*lin), b);
  EXPECT_EQ(first(*ma), a);
  EXPECT_EQ(first(*wu), b) << "the pooled order, not wu's own";

  // explain says whose evidence ranked each.
  const auto from = [&](WsClient& client) {
    json frame = SuggestFrame("x");
    frame["type"] = "explain";
    const json answer = Ask(client, frame);
    for (const json& v : answer["explanation"]["replies"][0]["variants"]) {
      if (v["template"] == a) return v["learned"]["evidence"];
    }
    return json();
  };
  const json lin_a = from(*lin);
  EXPECT_EQ(lin_a["from"], "shop") << lin_a;
  EXPECT_EQ(lin_a["shown"], 150);
  EXPECT_EQ(lin_a["accepted"], 0);
  const json ma_a = from(*ma);
  EXPECT_EQ(ma_a["from"], "shop") << ma_a;
  EXPECT_EQ(ma_a["accepted"], 100);
  const json wu_a = from(*wu);
  EXPECT_EQ(wu_a["from"], "pooled") << wu_a;
  EXPECT_EQ(wu_a["shown"], 260);
  EXPECT_EQ(wu_a["accepted"], 110);
}

TEST_F(LearnTest, OffKeepsTheAuthorsOrder) {
  Start(Config());  // learn = false
  auto client = Connect();
  const std::vector<std::string> authors = Templates(*client, "r0");
  ASSERT_GE(authors.size(), 2u);
  Round(*client, "f", authors[1], "accepted", authors[0], "rejected");
  const json health = json::parse(HttpGet(port_, "/healthz").body);
  EXPECT_TRUE(health["learned"].is_null()) << health;
  json frame = SuggestFrame("x1");
  frame["type"] = "explain";
  EXPECT_FALSE(
      Ask(*client, frame)["explanation"]["replies"][0].contains("order"))
      << "the authors' order";
}

}  // namespace
}  // namespace reply::testing

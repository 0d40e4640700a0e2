// Shops as tenants: a tokens file maps tokens to shops (shops/<id>.yaml),
// each answered with its own policy and texts, each reading only its own
// feedback.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

constexpr const char* kLinToken = "lin-token-0123456789abcdef";
constexpr const char* kLinToken2 = "lin-token-rotated-0123456789";
constexpr const char* kMaToken = "ma-token-0123456789abcdef";
constexpr const char* kAdminToken = "admin-token-0123456789abcdef";

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

class ShopsTest : public ServerTestBase {
 protected:
  void SetUp() override {
    ServerTestBase::SetUp();
    packs_ = dir_ / "packs";
    std::filesystem::create_directories(packs_ / "shops");
    CopyBundledPacks(packs_);
    Write(packs_ / "shops" / "lin.yaml",
          "policy:\n  name: 林记\n  promise_ship_hours: 24\n"
          "replies:\n  zh:\n    - id: greeting.hello\n"
          "      text: 林记欢迎您！\n");
    Write(packs_ / "shops" / "ma.yaml", "policy:\n  promise_ship_hours: 72\n");
    tokens_ = dir_ / "tokens";
    Write(tokens_, std::string("# shop token\nlin ") + kLinToken + "\nlin " +
                       kLinToken2 + "\n\nma " + kMaToken + "\n");
  }

  server::ServerConfig ShopConfig() const {
    server::ServerConfig c = Config();
    c.packs = packs_.string();
    c.tokens_file = tokens_.string();
    c.admin_token = kAdminToken;
    return c;
  }

  // The first suggestion's text for `message` without an order.
  std::string FirstText(WsClient& client, const std::string& message) {
    const json answer =
        Ask(client, {{"type", "suggest"}, {"id", "q"}, {"message", message}});
    EXPECT_EQ(answer["type"], "suggestions") << answer.dump();
    if (answer["suggestions"].empty()) return "";
    return answer["suggestions"][0]["text"];
  }

  std::filesystem::path packs_;
  std::filesystem::path tokens_;
};

TEST_F(ShopsTest, EachShopsTokenGetsItsShopsPolicyAndTexts) {
  Start(ShopConfig());
  auto lin = Connect(Bearer(kLinToken));
  auto lin2 = Connect(Bearer(kLinToken2));
  auto ma = Connect(Bearer(kMaToken));
  auto admin = Connect(Bearer(kAdminToken));
  EXPECT_NE(FirstText(*lin, "什么时候发货").find("24小时"), std::string::npos);
  EXPECT_NE(FirstText(*lin2, "什么时候发货").find("24小时"), std::string::npos);
  EXPECT_NE(FirstText(*ma, "什么时候发货").find("72小时"), std::string::npos);
  // The admin (no shop) is answered with shop.yaml's 48 hours.
  EXPECT_NE(FirstText(*admin, "什么时候发货").find("48小时"),
            std::string::npos);
  // lin words the greeting its own way; ma keeps the pack's.
  EXPECT_EQ(FirstText(*lin, "你好"), "林记欢迎您！");
  EXPECT_NE(FirstText(*ma, "你好"), "林记欢迎您！");

  // Without a token, or with a wrong one: refused.
  WsClient anonymous;
  EXPECT_EQ(anonymous.Connect(port_, "/ws"), 401);
  WsClient wrong;
  EXPECT_EQ(wrong.Connect(port_, "/ws", Bearer("not-a-token-0123456789")), 401);
}

TEST_F(ShopsTest, AShopNeverReadsOrAnswersAnotherShopsFeedback) {
  Start(ShopConfig());
  auto lin = Connect(Bearer(kLinToken));
  auto ma = Connect(Bearer(kMaToken));
  const json suggested = Ask(*lin, SuggestFrame("s1"));
  const std::string sid = suggested["suggestions"][0]["suggestion_id"];
  const std::string template_id = suggested["suggestions"][0]["template"];

  // ma cannot answer lin's suggestion.
  const json refused = Ask(*ma, {{"type", "feedback"},
                                 {"id", "f1"},
                                 {"suggestion_id", sid},
                                 {"action", "accepted"}});
  EXPECT_EQ(refused["type"], "error") << refused.dump();
  EXPECT_EQ(refused["code"], "bad_request");
  EXPECT_NE(refused["message"].get<std::string>().find("another shop"),
            std::string::npos)
      << refused.dump();
  const json taken = Ask(*lin, {{"type", "feedback"},
                                {"id", "f2"},
                                {"suggestion_id", sid},
                                {"action", "accepted"}});
  EXPECT_EQ(taken["type"], "ack") << taken.dump();
  EXPECT_EQ(Ask(*ma, {{"type", "feedback"},
                      {"id", "f3"},
                      {"action", "own_reply"},
                      {"final_text", "马记自己的回复"}})["type"],
            "ack");

  // The rows carry their shop.
  const auto rows = QueryDb(dir_ / "feedback.db",
                            "SELECT shop, action FROM feedback ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"lin", "accepted"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"ma", "own_reply"}));

  // Each shop's /stats holds its own rows only.
  const json lin_stats =
      json::parse(HttpGet(port_, "/stats", Bearer(kLinToken)).body);
  ASSERT_EQ(lin_stats["templates"].size(), 1u) << lin_stats.dump();
  EXPECT_EQ(lin_stats["templates"][0]["template"], template_id);
  EXPECT_EQ(lin_stats["templates"][0]["accepted"], 1);
  const json ma_stats =
      json::parse(HttpGet(port_, "/stats", Bearer(kMaToken)).body);
  EXPECT_TRUE(ma_stats["templates"].empty()) << ma_stats.dump();
  ASSERT_EQ(ma_stats["intents"].size(), 1u);
  EXPECT_EQ(ma_stats["intents"][0]["own_replies"], 1);
  // Asking for another shop's changes nothing for a shop's token.
  EXPECT_EQ(
      json::parse(HttpGet(port_, "/stats?shop=lin", Bearer(kMaToken)).body),
      ma_stats);
  // The admin reads every shop's, or one's.
  EXPECT_EQ(
      json::parse(HttpGet(port_, "/stats?shop=lin", Bearer(kAdminToken)).body),
      lin_stats);
  const json all =
      json::parse(HttpGet(port_, "/stats", Bearer(kAdminToken)).body);
  EXPECT_EQ(all["intents"].size(), 2u) << all.dump();

  // /metrics counts every shop: not for a shop's token.
  EXPECT_EQ(HttpGet(port_, "/metrics", Bearer(kLinToken)).status, 403);
  const HttpResult metrics = HttpGet(port_, "/metrics", Bearer(kAdminToken));
  EXPECT_NE(
      metrics.body.find("replyd_shop_suggest_requests_total{shop=\"lin\"} 1"),
      std::string::npos);
  EXPECT_NE(metrics.body.find("replyd_shop_feedback_total{shop=\"ma\","
                              "action=\"own_reply\"} 1"),
            std::string::npos);
}

TEST_F(ShopsTest, ABadTokensFileStopsTheStartWithFileAndLine) {
  Write(tokens_, std::string("lin ") + kLinToken + "\nnobody " + kMaToken +
                     "\nlin short\n");
  Result<std::unique_ptr<server::Server>> s =
      server::Server::Start(ShopConfig());
  ASSERT_FALSE(s.ok());
  const std::string message = s.status().message();
  EXPECT_NE(message.find(tokens_.string() + ":2: shop 'nobody' has no "
                                            "shops/nobody.yaml"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(tokens_.string() + ":3: the token must be"),
            std::string::npos)
      << message;
  // The token is a secret: never repeated in an error.
  EXPECT_EQ(message.find("short"), std::string::npos);
}

TEST_F(ShopsTest, AReloadPicksUpANewShopAndItsToken) {
  Start(ShopConfig());
  const std::string kNewToken = "new-shop-token-0123456789";
  WsClient before;
  EXPECT_EQ(before.Connect(port_, "/ws", Bearer(kNewToken)), 401);
  Write(packs_ / "shops" / "zhou.yaml", "policy:\n  promise_ship_hours: 36\n");
  Write(tokens_,
        std::string("lin ") + kLinToken + "\nzhou " + kNewToken + "\n");
  auto admin = Connect(Bearer(kAdminToken));
  ASSERT_EQ(Ask(*admin, {{"type", "reload"}, {"id", "r"}})["type"], "ack");
  auto zhou = Connect(Bearer(kNewToken));
  EXPECT_NE(FirstText(*zhou, "什么时候发货").find("36小时"), std::string::npos);
  // ma's token was removed from the file.
  WsClient ma;
  EXPECT_EQ(ma.Connect(port_, "/ws", Bearer(kMaToken)), 401);

  // A tokens file naming an unknown shop fails the reload and keeps the
  // tokens in force.
  Write(tokens_,
        std::string("lin ") + kLinToken + "\nghost " + kNewToken + "\n");
  const json failed = Ask(*admin, {{"type", "reload"}, {"id", "r2"}});
  EXPECT_EQ(failed["type"], "error");
  EXPECT_NE(failed["message"].get<std::string>().find(
                "shop 'ghost' has no shops/ghost.yaml"),
            std::string::npos)
      << failed.dump();
  auto still = Connect(Bearer(kNewToken));
  EXPECT_NE(FirstText(*still, "什么时候发货").find("36小时"),
            std::string::npos);
}

}  // namespace
}  // namespace reply::testing

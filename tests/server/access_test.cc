// Flags and config file, Origin and token rules, the rate limiter.
#include "server/access.h"

#include <gtest/gtest.h>

#include "server/config.h"
#include "server/rate_limiter.h"
#include "tests/test_util.h"

namespace reply::server {
namespace {

namespace http = boost::beast::http;

FlagsOutcome Parse(std::vector<std::string> args, ServerConfig* config) {
  args.insert(args.begin(), "replyd");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  return ParseFlags(static_cast<int>(argv.size()), argv.data(), config);
}

TEST(ConfigTest, FlagsSetEverySetting) {
  ServerConfig c;
  const FlagsOutcome out = Parse({"--listen",
                                  "0.0.0.0:9000",
                                  "--packs",
                                  "p",
                                  "--db",
                                  "f.db",
                                  "--allow-origin",
                                  "https://a",
                                  "--allow-origin",
                                  "https://b",
                                  "--token",
                                  "t1",
                                  "--token",
                                  "t2",
                                  "--admin-token",
                                  "adm",
                                  "--rate-limit",
                                  "5",
                                  "--max-frame-bytes",
                                  "4096",
                                  "--no-watch-packs",
                                  "--web",
                                  "www"},
                                 &c);
  ASSERT_FALSE(out.exit) << out.output;
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.packs, "p");
  EXPECT_EQ(c.db, "f.db");
  EXPECT_EQ(c.allow_origins,
            (std::vector<std::string>{"https://a", "https://b"}));
  EXPECT_EQ(c.tokens, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(c.admin_token, "adm");
  EXPECT_EQ(c.rate_limit, 5);
  EXPECT_EQ(c.max_frame_bytes, 4096u);
  EXPECT_FALSE(c.watch_packs);
  EXPECT_EQ(c.web, "www");
}

TEST(ConfigTest, AConfigFileHoldsTheSameSettingsAndFlagsWin) {
  const auto dir = reply::testing::MakeTempDir("config");
  reply::testing::WriteFile(dir / "replyd.toml", R"(# replyd settings
listen = "127.0.0.1:7000"
packs = "/srv/packs"
allow-origin = ["https://shop.example", "https://admin.example"]
token = ["t1"]
rate-limit = 7
idle-timeout-ms = 30000
)");
  ServerConfig c;
  const FlagsOutcome out = Parse(
      {"--config", (dir / "replyd.toml").string(), "--packs", "/override"}, &c);
  ASSERT_FALSE(out.exit) << out.output;
  EXPECT_EQ(c.listen, "127.0.0.1:7000");
  EXPECT_EQ(c.packs, "/override");
  EXPECT_EQ(c.allow_origins,
            (std::vector<std::string>{"https://shop.example",
                                      "https://admin.example"}));
  EXPECT_EQ(c.tokens, std::vector<std::string>{"t1"});
  EXPECT_EQ(c.rate_limit, 7);
  EXPECT_EQ(c.idle_timeout_ms, 30000);
  std::filesystem::remove_all(dir);
}

TEST(ConfigTest, BadFlagsAndHelpExitWithText) {
  ServerConfig c;
  FlagsOutcome help = Parse({"--help"}, &c);
  EXPECT_TRUE(help.exit);
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag :
       {"--listen", "--packs", "--db", "--allow-origin", "--token",
        "--admin-token", "--web", "--config", "--max-frame-bytes",
        "--rate-limit", "--max-connections", "--idle-timeout-ms"}) {
    EXPECT_NE(help.output.find(flag), std::string::npos) << flag;
  }
  FlagsOutcome bad = Parse({"--listen", "8080"}, &c);
  EXPECT_TRUE(bad.exit);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("HOST:PORT"), std::string::npos) << bad.output;
  FlagsOutcome range = Parse({"--rate-limit", "-3"}, &c);
  EXPECT_TRUE(range.exit);
  EXPECT_NE(range.exit_code, 0);
}

TEST(AccessTest, OriginRules) {
  const std::vector<std::string> none;
  EXPECT_TRUE(OriginAllowed("", "h:1", none)) << "not a browser";
  EXPECT_TRUE(OriginAllowed("http://h:1", "h:1", none));
  EXPECT_TRUE(OriginAllowed("https://h:1", "h:1", none));
  EXPECT_FALSE(OriginAllowed("http://h:2", "h:1", none));
  EXPECT_FALSE(OriginAllowed("null", "h:1", none));
  const std::vector<std::string> list = {"https://shop.example"};
  EXPECT_TRUE(OriginAllowed("https://shop.example", "h:1", list));
  EXPECT_FALSE(OriginAllowed("https://shop.example.evil", "h:1", list));
  EXPECT_FALSE(OriginAllowed("http://h:1", "h:1", list));
}

TEST(AccessTest, TokensFromHeaderOrQuery) {
  ServerConfig c;
  http::request<http::string_body> req{http::verb::get, "/ws", 11};
  EXPECT_EQ(Authenticate(req, c), Role::kShop) << "no tokens: open";
  c.tokens = {"shop"};
  c.admin_token = "root";
  EXPECT_EQ(Authenticate(req, c), Role::kDenied);
  req.set(http::field::authorization, "Bearer shop");
  EXPECT_EQ(Authenticate(req, c), Role::kShop);
  req.set(http::field::authorization, "Bearer root");
  EXPECT_EQ(Authenticate(req, c), Role::kAdmin);
  req.set(http::field::authorization, "Bearer shopx");
  EXPECT_EQ(Authenticate(req, c), Role::kDenied);
  req.erase(http::field::authorization);
  req.target("/ws?x=1&token=shop");
  EXPECT_EQ(Authenticate(req, c), Role::kShop);
  req.target("/ws?token=nope");
  EXPECT_EQ(Authenticate(req, c), Role::kDenied);
}

TEST(AccessTest, QueryAndPath) {
  EXPECT_EQ(QueryParam("/ws?a=1&token=abc&b=2", "token"), "abc");
  EXPECT_EQ(QueryParam("/ws?tokenx=abc", "token"), "");
  EXPECT_EQ(QueryParam("/ws", "token"), "");
  EXPECT_EQ(TargetPath("/ws?token=abc"), "/ws");
}

TEST(RateLimiterTest, AllowsABurstThenTheRate) {
  RateLimiter limiter(10, 3);
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_FALSE(limiter.Allow(t0));
  EXPECT_FALSE(limiter.Allow(t0 + std::chrono::milliseconds(50)));
  EXPECT_TRUE(limiter.Allow(t0 + std::chrono::milliseconds(160)));
  EXPECT_FALSE(limiter.Allow(t0 + std::chrono::milliseconds(170)));
  // Refill stops at the burst.
  const auto later = t0 + std::chrono::seconds(60);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow(later));
  EXPECT_FALSE(limiter.Allow(later));
}

}  // namespace
}  // namespace reply::server

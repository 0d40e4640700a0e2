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
  // Watching is on by default, and the help says so (CLI11 used to print
  // "--watch-packs,--no-watch-packs{false}").
  EXPECT_NE(help.output.find("changes (on by default)"), std::string::npos)
      << help.output;
  EXPECT_EQ(help.output.find("{false}"), std::string::npos) << help.output;
  // Given twice, the last value wins.
  ServerConfig twice;
  FlagsOutcome last = Parse({"--listen", "127.0.0.1:1", "--listen",
                             "127.0.0.1:8099", "--db", "a.db", "--db", "b.db"},
                            &twice);
  EXPECT_FALSE(last.exit) << last.output;
  EXPECT_EQ(twice.listen, "127.0.0.1:8099");
  EXPECT_EQ(twice.db, "b.db");
  FlagsOutcome bad = Parse({"--listen", "8080"}, &c);
  EXPECT_TRUE(bad.exit);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("HOST:PORT"), std::string::npos) << bad.output;
  FlagsOutcome range = Parse({"--rate-limit", "-3"}, &c);
  EXPECT_TRUE(range.exit);
  EXPECT_NE(range.exit_code, 0);
}

namespace ip = boost::asio::ip;

const ip::tcp::endpoint kLoopback(ip::make_address("127.0.0.1"), 8080);
const ip::tcp::endpoint kMappedLoopback(ip::make_address("::ffff:127.0.0.1"),
                                        8080);
const ip::tcp::endpoint kPublic(ip::make_address("192.0.2.7"), 8080);

TEST(AccessTest, OriginRules) {
  ServerConfig c;
  EXPECT_TRUE(OriginAllowed("", c, kLoopback)) << "not a browser";
  EXPECT_TRUE(OriginAllowed("http://localhost:8080", c, kLoopback));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", c, kLoopback));
  EXPECT_TRUE(OriginAllowed("https://[::1]:8080", c, kLoopback));
  EXPECT_TRUE(OriginAllowed("http://LocalHost:8080", c, kLoopback));
  // Another port is another origin; no port is the scheme's default.
  EXPECT_FALSE(OriginAllowed("http://localhost:8081", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("http://localhost", c, kLoopback));
  EXPECT_TRUE(
      OriginAllowed("http://localhost", c,
                    ip::tcp::endpoint(ip::make_address("127.0.0.1"), 80)));
  // A rebinding page: its own name, whatever the Host header says.
  EXPECT_FALSE(OriginAllowed("http://evil.example:8080", c, kLoopback));
  EXPECT_FALSE(
      OriginAllowed("http://localhost.evil.example:8080", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("null", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("file://", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("ws://localhost:8080", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("http://localhost:8080/x", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("http://localhost:80800", c, kLoopback));
  // IP literals other than loopback ones only off loopback.
  EXPECT_FALSE(OriginAllowed("http://192.0.2.7:8080", c, kLoopback));
  EXPECT_TRUE(OriginAllowed("http://192.0.2.7:8080", c, kPublic));
  EXPECT_FALSE(OriginAllowed("http://shop.example:8080", c, kPublic));
  c.allow_hosts = {"Shop.Example"};
  EXPECT_TRUE(OriginAllowed("http://shop.example:8080", c, kPublic));
  c.allow_origins = {"https://shop.example"};
  EXPECT_TRUE(OriginAllowed("https://shop.example", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("https://shop.example.evil", c, kLoopback));
  EXPECT_FALSE(OriginAllowed("http://localhost:8080", c, kLoopback))
      << "the list replaces the built-in rule";
}

TEST(AccessTest, HostRules) {
  ServerConfig c;
  EXPECT_TRUE(HostCheckRequired(c)) << "no tokens";
  for (const char* host :
       {"localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1",
        "127.0.0.1:8080", "[::1]", "[::1]:8080"}) {
    EXPECT_TRUE(HostAllowed(host, c, kLoopback)) << host;
    EXPECT_TRUE(HostAllowed(host, c, kMappedLoopback)) << host;
  }
  for (const char* host :
       {"", "evil.example", "evil.example:8080", "localhost.evil.example",
        "localhost.", "127.0.0.1.nip.io", "10.1.2.3", "[::2]",
        "localhost:", "localhost:x", "localhost:99999", "[::1", "[::1]x",
        ":8080", "localhost:8080:1", "local\\host"}) {
    EXPECT_FALSE(HostAllowed(host, c, kLoopback)) << host;
  }
  EXPECT_FALSE(HostAllowed("10.1.2.3", c, kMappedLoopback));
  // Off loopback, IP literals too: no DNS name, so no rebinding.
  EXPECT_TRUE(HostAllowed("10.1.2.3:8080", c, kPublic));
  EXPECT_TRUE(HostAllowed("[2001:db8::1]:8080", c, kPublic));
  EXPECT_FALSE(HostAllowed("shop.example", c, kPublic));
  c.allow_hosts = {"shop.example"};
  EXPECT_TRUE(HostAllowed("SHOP.example:443", c, kPublic));
  EXPECT_TRUE(HostAllowed("shop.example", c, kLoopback));
  EXPECT_FALSE(HostAllowed("www.shop.example", c, kPublic));
  c.tokens = {"t"};
  EXPECT_TRUE(HostCheckRequired(c)) << "--allow-host given";
  c.allow_hosts.clear();
  EXPECT_FALSE(HostCheckRequired(c)) << "tokens and no --allow-host";
  c.tokens.clear();
  c.admin_token = "adm";
  EXPECT_TRUE(HostCheckRequired(c)) << "an admin token alone protects nothing";
}

TEST(AccessTest, AllowHostTakesNamesWithoutPorts) {
  for (const char* name : {"shop.example", "replyd-1.internal", "10.0.0.5",
                           "[::1]", "[2001:db8::1]", "LOCALHOST"}) {
    EXPECT_TRUE(ValidHostName(name)) << name;
  }
  for (const char* name :
       {"", "shop.example:8080", "http://shop.example", ".example", "example.",
        "a..b", "[::1]:80", "[zz]", "*.example", "shop example"}) {
    EXPECT_FALSE(ValidHostName(name)) << name;
  }
  ServerConfig c;
  ASSERT_FALSE(
      Parse({"--allow-host", "a.example", "--allow-host", "b.example"}, &c)
          .exit);
  EXPECT_EQ(c.allow_hosts,
            (std::vector<std::string>{"a.example", "b.example"}));
  const FlagsOutcome bad = Parse({"--allow-host", "a.example:8080"}, &c);
  EXPECT_TRUE(bad.exit);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("without a port"), std::string::npos) << bad.output;
}

TEST(AccessTest, SecretsMatchOnlyWhenEqual) {
  EXPECT_TRUE(SameSecret("shop-a-3f9d", "shop-a-3f9d"));
  EXPECT_TRUE(SameSecret("", ""));
  EXPECT_FALSE(SameSecret("shop-a-3f9d", "shop-a-3f9e")) << "last byte";
  EXPECT_FALSE(SameSecret("xhop-a-3f9d", "shop-a-3f9d")) << "first byte";
  // Different lengths, including a prefix and an extension of the secret.
  EXPECT_FALSE(SameSecret("shop-a-3f9", "shop-a-3f9d"));
  EXPECT_FALSE(SameSecret("shop-a-3f9dd", "shop-a-3f9d"));
  EXPECT_FALSE(SameSecret("", "shop-a-3f9d"));
  EXPECT_FALSE(SameSecret(std::string(100000, 's'), "shop-a-3f9d"));
  EXPECT_FALSE(SameSecret(std::string_view("ab\0c", 4), "ab"))
      << "bytes after a NUL count";
  EXPECT_TRUE(
      SameSecret(std::string_view("ab\0c", 4), std::string_view("ab\0c", 4)));
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
  req.set(http::field::authorization, "Bearer sho");
  EXPECT_EQ(Authenticate(req, c), Role::kDenied) << "a prefix";
  c.tokens = {"other", "shop"};
  req.set(http::field::authorization, "Bearer shop");
  EXPECT_EQ(Authenticate(req, c), Role::kShop) << "not the first token";
  req.erase(http::field::authorization);
  req.target("/ws?x=1&token=shop");
  EXPECT_EQ(Authenticate(req, c), Role::kShop);
  req.target("/ws?token=nope");
  EXPECT_EQ(Authenticate(req, c), Role::kDenied);
}

TEST(AccessTest, OnlyAnAdminTokenLeavesShopUseOpenButRefusesAWrongToken) {
  ServerConfig c;
  c.admin_token = "root";
  http::request<http::string_body> req{http::verb::get, "/ws", 11};
  EXPECT_EQ(Authenticate(req, c), Role::kShop) << "no token: open shop use";
  req.set(http::field::authorization, "Bearer root");
  EXPECT_EQ(Authenticate(req, c), Role::kAdmin);
  req.set(http::field::authorization, "Bearer roo");
  EXPECT_EQ(Authenticate(req, c), Role::kDenied) << "a mistyped admin token";
  req.erase(http::field::authorization);
  req.target("/ws?token=wrong");
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

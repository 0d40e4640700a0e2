// What an attacker can send to the HTTP side of the port: paths that try to
// leave the web root, Host and Origin headers of a DNS-rebinding page,
// requests that do not parse. And a feedback database that cannot be
// reopened after it was deleted. Each answer is checked on the real server,
// in raw bytes where a client library would tidy the request up.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class SecurityTest : public ServerTestBase {
 protected:
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  RawResult Fetch(const std::string& target) {
    return RawExchange(port_, RawGetRequest(target, host()));
  }
};

// ---------------------------------------------------------------------------
// Static files: nothing outside the web root, whatever the path looks like.

class StaticFilesTest : public SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    const fs::path web = dir_ / "web";
    WriteFile(web / "index.html", "<!doctype html><title>replyd</title>");
    WriteFile(web / "widget/app.js", "console.log('widget');");
    WriteFile(web / "widget/index.html", "widget index");
    WriteFile(web / "file name.txt", "a space in the name");
    WriteFile(web / "说明.txt", "非ASCII的文件名");
    WriteFile(web / ".env", "TOP-SECRET-DOTFILE");
    WriteFile(dir_ / "secret.txt", "TOP-SECRET-OUTSIDE");
    WriteFile(dir_ / "outside/inner.txt", "TOP-SECRET-INNER");
    WriteFile(dir_ / "outside/index.html", "TOP-SECRET-INDEX");
    fs::create_symlink(dir_ / "secret.txt", web / "link.txt");
    fs::create_symlink("../secret.txt", web / "rel-link.txt");
    fs::create_directory_symlink(dir_ / "outside", web / "linkdir");
    fs::create_directory_symlink("../..", web / "widget/up");
    // A link that stays inside the root is not followed either.
    fs::create_symlink("widget/app.js", web / "inside-link.js");
    ASSERT_EQ(mkfifo((web / "pipe").c_str(), 0600), 0);
  }
};

TEST_F(StaticFilesTest, NoPathReachesAFileOutsideTheWebRoot) {
  Start(Config());  // the db is dir_/feedback.db, next to the web root
  // A suggestion and its feedback, so the db holds a row to leak.
  auto client = Connect();
  const json answer = Ask(*client, SuggestFrame("s1"));
  ASSERT_EQ(Ask(*client,
                {{"type", "feedback"},
                 {"id", "f1"},
                 {"suggestion_id", answer["suggestions"][0]["suggestion_id"]},
                 {"action", "accepted"}})["type"],
            "ack");
  const std::string db = (dir_ / "feedback.db").string();
  const std::string secret = (dir_ / "secret.txt").string();
  const std::vector<std::string> targets = {
      "//etc/passwd",
      "///etc/passwd",
      "//etc//passwd",
      "//proc/self/environ",
      "//proc/self/cmdline",
      "//proc/self/root/etc/passwd",
      "/" + secret,
      "/" + db,
      "/./etc/passwd",
      "/.",
      "/./",
      "/..",
      "/../",
      "/../secret.txt",
      "/../feedback.db",
      "/widget/../../secret.txt",
      "/widget/./../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/feedback.db",
      "/.%2e/secret.txt",
      "/%2e./secret.txt",
      "/%2e/etc/passwd",
      "/%2F%2Fetc/passwd",
      "/%2fetc%2fpasswd",
      "/%2F" + secret.substr(1),
      "/widget/..%2f..%2fsecret.txt",
      "/web/..%2f..%2fsecret.txt",
      "/..%2f/secret.txt",
      "/..%5csecret.txt",
      "/%5c%5cetc%5cpasswd",
      "/..\\secret.txt",
      "/\\etc\\passwd",
      "/widget\\..\\..\\secret.txt",
      "/%00",
      "/index.html%00.txt",
      "/..%00/secret.txt",
      "/%0a/secret.txt",
      "/%7f",
      "/%",
      "/%2",
      "/%zz/secret.txt",
      "/%252e%252e/secret.txt",  // decoded once only: a name "%2e%2e"
      "/link.txt",
      "/rel-link.txt",
      "/linkdir",
      "/linkdir/",
      "/linkdir/inner.txt",
      "/widget/up/secret.txt",
      "/widget/up/feedback.db",
      "/inside-link.js",
      "/.env",
      "/pipe",
      "/missing.txt",
      "/index.html/x",
      "http://localhost/etc/passwd",
      "*",
  };
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    const RawResult res = Fetch(target);
    ASSERT_TRUE(res.closed) << "no answer in time";
    // (Bodies are not printed: they could be this process's environment.)
    EXPECT_TRUE(res.status() == 400 || res.status() == 404) << res.head();
    const std::string body = res.body();
    for (const std::string& leak :
         {std::string("root:"), std::string("TOP-SECRET"),
          std::string("SQLite format"), std::string("PATH="),
          std::string("replyd-"), std::string("passwd"), std::string("environ"),
          std::string("secret"), std::string("feedback"), std::string("inner"),
          std::string("pipe"), std::string("link"), std::string(".env")}) {
      EXPECT_EQ(body.find(leak), std::string::npos)
          << "the body has \"" << leak << "\"";
    }
    if (target.size() > 2) {
      EXPECT_EQ(body.find(target), std::string::npos) << "echoes the path";
    }
  }
  // Still serving.
  EXPECT_EQ(HttpGet(port_, "/").status, 200);
}

TEST_F(StaticFilesTest, FilesInTheRootServe) {
  Start(Config());
  const std::vector<std::tuple<std::string, std::string, std::string>> ok = {
      {"/", "<!doctype html><title>replyd</title>", "text/html; charset=utf-8"},
      {"/index.html", "<!doctype html><title>replyd</title>",
       "text/html; charset=utf-8"},
      {"/widget/app.js", "console.log('widget');",
       "text/javascript; charset=utf-8"},
      {"/widget/", "widget index", "text/html; charset=utf-8"},
      {"/widget", "widget index", "text/html; charset=utf-8"},
      {"/file%20name.txt", "a space in the name", "text/plain; charset=utf-8"},
      {"/%E8%AF%B4%E6%98%8E.txt", "非ASCII的文件名",
       "text/plain; charset=utf-8"},
      {"/widget/app.js?v=3", "console.log('widget');",
       "text/javascript; charset=utf-8"},
  };
  for (const auto& [target, body, type] : ok) {
    SCOPED_TRACE(target);
    HttpResult res = HttpGet(port_, target);
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, body);
    EXPECT_EQ(res.headers["Content-Type"], type);
  }
}

// ---------------------------------------------------------------------------
// Host and Origin: a DNS-rebinding page is refused.

// The first up, non-loopback IPv4 address of this machine, if any.
std::optional<std::string> NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET ||
        (a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP)) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) found = text;
  }
  freeifaddrs(list);
  return found;
}

class HostTest : public SecurityTest {
 protected:
  std::string Port() const { return std::to_string(port_); }
  // The status of a WebSocket upgrade with these headers.
  int Upgrade(const std::map<std::string, std::string>& headers) {
    WsClient client;
    return client.Connect(port_, "/ws", headers);
  }
  std::string Metric(const std::string& name) {
    const std::string text = HttpGet(port_, "/metrics").body;
    const size_t at = text.find("\n" + name + " ");
    if (at == std::string::npos) return "";
    const size_t value = at + name.size() + 2;
    return text.substr(value, text.find('\n', value) - value);
  }
};

TEST_F(HostTest, OnLoopbackOnlyLoopbackNamesAreServed) {
  Start(Config());
  for (const std::string& host :
       {std::string("localhost"), "localhost:" + Port(), "LocalHost:" + Port(),
        std::string("127.0.0.1"), "127.0.0.1:" + Port(), std::string("[::1]"),
        "[::1]:" + Port()}) {
    SCOPED_TRACE(host);
    for (const char* target : {"/healthz", "/metrics", "/stats", "/missing"}) {
      const RawResult res = RawExchange(port_, RawGetRequest(target, host));
      EXPECT_NE(res.status(), 403) << target;
      EXPECT_NE(res.status(), 0) << target;
    }
    EXPECT_EQ(Upgrade({{"Host", host}}), 101);
  }
  for (const std::string& host :
       {std::string("evil.example"), "evil.example:" + Port(),
        "localhost.evil.example:" + Port(), "127.0.0.1.nip.io:" + Port(),
        "localhost.:" + Port(), "10.1.2.3:" + Port(), std::string(""),
        std::string("localhost:x")}) {
    SCOPED_TRACE(host);
    for (const char* target : {"/healthz", "/metrics", "/stats", "/", "/ws"}) {
      const RawResult res = RawExchange(port_, RawGetRequest(target, host));
      EXPECT_EQ(res.status(), 403) << target << ": " << res.bytes;
      EXPECT_NE(res.bytes.find("--allow-host"), std::string::npos)
          << "says why and what to do";
      EXPECT_EQ(res.body().find("\"status\""), std::string::npos)
          << "no /healthz body";
      EXPECT_TRUE(res.closed);
    }
    EXPECT_EQ(Upgrade({{"Host", host}}), 403);
  }
  EXPECT_EQ(Metric("replyd_connections_rejected_total{reason=\"forbidden_"
                   "host\"}"),
            std::to_string(8 * 6));
}

TEST_F(HostTest, ARebindingPageIsRefusedEvenWithAMatchingOrigin) {
  Start(Config());
  // What a browser sends after evil.example rebinds to 127.0.0.1.
  const std::string evil = "evil.example:" + Port();
  EXPECT_EQ(Upgrade({{"Host", evil}, {"Origin", "http://" + evil}}), 403);
  // The Origin is judged on its own, not against the Host header.
  EXPECT_EQ(Upgrade({{"Origin", "http://" + evil}}), 403);
  EXPECT_EQ(Upgrade({{"Origin", "http://localhost:" + Port()}}), 101);
  EXPECT_EQ(Upgrade({{"Origin", "http://127.0.0.1:" + Port()}}), 101);
  EXPECT_EQ(Upgrade({{"Origin", "http://[::1]:" + Port()}}), 101);
  EXPECT_EQ(
      Upgrade({{"Host", "localhost:" + Port()},
               {"Origin", "http://localhost:" + std::to_string(port_ + 1)}}),
      403)
      << "a page of another local server";
  EXPECT_EQ(Upgrade({{"Origin", "http://localhost"}}), 403) << "port 80";
  // Plain GETs of a rebinding page: refused before any route runs.
  const HttpResult stats = HttpGet(port_, "/stats", {{"Host", evil}});
  EXPECT_EQ(stats.status, 403);
  EXPECT_EQ(stats.body.find("templates"), std::string::npos);
}

TEST_F(HostTest, AllowHostAddsNames) {
  server::ServerConfig config = Config();
  config.allow_hosts = {"replyd.test"};
  Start(config);
  const std::string named = "replyd.test:" + Port();
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", named}}).status, 200);
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", "REPLYD.test"}}).status, 200);
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", "localhost"}}).status, 200);
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", "x.replyd.test"}}).status,
            403);
  EXPECT_EQ(Upgrade({{"Host", named}, {"Origin", "http://" + named}}), 101);
  EXPECT_EQ(
      Upgrade({{"Origin", "http://replyd.test:" + std::to_string(port_ + 1)}}),
      403);
}

TEST_F(HostTest, WithTokensTheHostIsNotCheckedUnlessAllowHostIsGiven) {
  server::ServerConfig config = Config();
  config.tokens = {"shop-token-1"};
  Start(config);
  const std::string evil = "evil.example:" + Port();
  // The token protects: a rebinding page has none.
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", evil}}).status, 200);
  EXPECT_EQ(HttpGet(port_, "/stats", {{"Host", evil}}).status, 401);
  EXPECT_EQ(Upgrade({{"Host", evil}}), 401);
  EXPECT_EQ(Upgrade({{"Host", evil}, {"Authorization", "Bearer shop-token-1"}}),
            101);
  // The Origin rule still holds.
  EXPECT_EQ(Upgrade({{"Host", evil},
                     {"Origin", "http://" + evil},
                     {"Authorization", "Bearer shop-token-1"}}),
            403);
  server_.reset();

  config.allow_hosts = {"replyd.test"};
  Start(config);
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", "evil.example"}}).status, 403);
  EXPECT_EQ(HttpGet(port_, "/healthz", {{"Host", "replyd.test"}}).status, 200);
}

TEST_F(HostTest, ARequestNeedsExactlyOneHost) {
  Start(Config());
  const RawResult none = RawExchange(port_, "GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(none.status(), 400) << none.bytes;
  EXPECT_TRUE(none.closed);
  const RawResult two = RawExchange(
      port_, RawGetRequest("/healthz", "localhost", "Host: evil.example\r\n"));
  EXPECT_EQ(two.status(), 400) << two.bytes;
  // HTTP/1.0 may omit Host, but then names none of the allowed hosts.
  const RawResult old = RawExchange(port_, "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.status(), 403) << old.bytes;
  const RawResult old_named =
      RawExchange(port_, "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(old_named.status(), 200) << old_named.bytes;
}

TEST_F(HostTest, OffLoopbackIpLiteralsAreServedButNamesNeedAllowHost) {
  const std::optional<std::string> address = NonLoopbackAddress();
  if (!address) GTEST_SKIP() << "this machine has no non-loopback IPv4";
  server::ServerConfig config = Config();
  config.listen = "0.0.0.0:0";
  Start(config);
  const auto fetch = [&](const std::string& host) {
    return RawExchange(port_, RawGetRequest("/healthz", host), *address)
        .status();
  };
  EXPECT_EQ(fetch(*address + ":" + Port()), 200);
  EXPECT_EQ(fetch(*address), 200);
  EXPECT_EQ(fetch("localhost:" + Port()), 200);
  EXPECT_EQ(fetch("replyd.corp.example:" + Port()), 403);
  EXPECT_EQ(fetch("evil.example"), 403);
  // The same server over loopback: loopback names only.
  EXPECT_EQ(RawExchange(port_, RawGetRequest("/healthz", *address)).status(),
            403);
}

// ---------------------------------------------------------------------------
// Requests that do not parse get a 4xx and Connection: close.

TEST_F(SecurityTest, MalformedRequestsGetA4xxAndAClose) {
  Start(Config());
  const std::string h = "Host: " + host() + "\r\n";
  const std::vector<std::pair<std::string, int>> cases = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET\r\n\r\n", 400},
      {"GET / HTTP/9.1\r\n" + h + "\r\n", 400},
      {"GET / HTTX/1.1\r\n" + h + "\r\n", 400},
      {"GET /\x01x HTTP/1.1\r\n" + h + "\r\n", 400},
      {"GET / HTTP/1.1\r\n" + h + "Bad Header Without Colon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n" + h +
           "X-Ctl: a\x01"
           "b\r\n\r\n",
       400},
      {"GET / HTTP/1.1\r\n" + h + "Content-Length: abc\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\n" + h +
           "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
       400},
      {"POST / HTTP/1.1\r\n" + h +
           "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
       400},
      {"GET / HTTP/1.1\r\n" + h + "X-Big: " + std::string(20000, 'a') +
           "\r\n\r\n",
       431},
      {"GET / HTTP/1.1\r\n" + h + std::string(2000, '\r') + "\r\n", 400},
      {"POST / HTTP/1.1\r\n" + h + "Content-Length: 100000\r\n\r\n" +
           std::string(100000, 'b'),
       413},
  };
  for (const auto& [request, status] : cases) {
    SCOPED_TRACE(request.substr(0, 60));
    const RawResult res = RawExchange(port_, request);
    EXPECT_EQ(res.status(), status) << res.bytes;
    EXPECT_NE(res.bytes.find("\r\nConnection: close\r\n"), std::string::npos)
        << res.bytes;
    EXPECT_TRUE(res.closed) << "the connection stays open";
  }
  EXPECT_EQ(HttpGet(port_, "/healthz").status, 200) << "still serving";
}

TEST_F(SecurityTest, AWellFormedRequestOnTheSameConnectionStillWorks) {
  Start(Config());
  // Keep-alive is untouched: two requests, two answers.
  const RawResult res = RawExchange(
      port_, "GET /healthz HTTP/1.1\r\nHost: " + host() +
                 "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: " + host() +
                 "\r\nConnection: close\r\n\r\n");
  size_t answers = 0;
  for (size_t at = 0;
       (at = res.bytes.find("HTTP/1.1 200", at)) != std::string::npos; ++at) {
    ++answers;
  }
  EXPECT_EQ(answers, 2u) << res.bytes;
}

// ---------------------------------------------------------------------------
// A feedback database deleted with its directory: no ack until it is back.

TEST_F(SecurityTest, FeedbackIsRefusedWhileTheDatabaseCannotBeReopened) {
  server::ServerConfig config = Config();
  const fs::path db = dir_ / "data/feedback.db";
  fs::create_directories(db.parent_path());
  config.db = db.string();
  Start(config);
  auto client = Connect();
  // Feedback on the first suggestion of a new suggest request.
  std::vector<std::string> suggestion_ids;
  const auto feedback = [&](const std::string& id) {
    const json answer = Ask(*client, SuggestFrame("s-" + id));
    suggestion_ids.push_back(answer["suggestions"][0]["suggestion_id"]);
    return Ask(*client, {{"type", "feedback"},
                         {"id", id},
                         {"suggestion_id", suggestion_ids.back()},
                         {"action", "rejected"}});
  };
  ASSERT_EQ(feedback("f0")["type"], "ack");
  fs::remove_all(db.parent_path());
  const json refused = feedback("f1");
  EXPECT_EQ(refused["type"], "error") << refused;
  EXPECT_EQ(refused["code"], "internal") << refused;
  EXPECT_EQ(refused["message"].get<std::string>().find(dir_.string()),
            std::string::npos)
      << "the server's paths stay in its log";
  EXPECT_EQ(HttpGet(port_, "/stats").status, 500);
  EXPECT_EQ(Ask(*client, SuggestFrame("s2"))["type"], "suggestions");
  // Back: the next batch opens a new database there.
  fs::create_directories(db.parent_path());
  ASSERT_EQ(feedback("f2")["type"], "ack");
  server_.reset();
  EXPECT_EQ(QueryDb(db, "SELECT suggestion_id FROM feedback"),
            (std::vector<std::vector<std::string>>{{suggestion_ids[2]}}));
}

}  // namespace
}  // namespace reply::testing

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
    EXPECT_TRUE(res.status() == 400 || res.status() == 404) << res.bytes;
    const std::string body = res.body();
    for (const std::string& leak :
         {std::string("root:"), std::string("TOP-SECRET"),
          std::string("SQLite format"), std::string("PATH="),
          std::string("replyd-"), std::string("passwd"), std::string("environ"),
          std::string("secret"), std::string("feedback"), std::string("inner"),
          std::string("pipe"), std::string("link"), std::string(".env")}) {
      EXPECT_EQ(body.find(leak), std::string::npos)
          << "the body has \"" << leak << "\": " << body;
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

}  // namespace
}  // namespace reply::testing

// Test harness for replyd: a real server in this process on an ephemeral
// port (ServerHarness), a copy of the bundled packs that a test may change
// or break, and SQL against the feedback store's real file.
#ifndef REPLY_TESTS_SERVER_SERVER_HARNESS_H_
#define REPLY_TESTS_SERVER_SERVER_HARNESS_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "server/server.h"
#include "tests/server/ws_client.h"
#include "tests/test_util.h"

namespace reply::testing {

// A copy of the bundled packs (shop.yaml, intents/, templates/) in `dir`.
inline void CopyBundledPacks(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::copy_file(SourceDir() / "shop.yaml", dir / "shop.yaml");
  for (const char* sub : {"intents", "templates"}) {
    fs::copy(SourceDir() / sub, dir / sub, fs::copy_options::recursive);
  }
}

// Settings for tests: short timeouts, two I/O threads, files in `dir`.
inline server::ServerConfig TestConfig(const std::filesystem::path& dir) {
  server::ServerConfig c;
  c.listen = "127.0.0.1:0";
  c.packs = SourceDir().string();
  c.db = (dir / "feedback.db").string();
  c.web = (dir / "web").string();
  c.threads = 2;
  c.handshake_timeout_ms = 2000;
  c.idle_timeout_ms = 2000;
  c.shutdown_timeout_ms = 3000;
  c.db_busy_timeout_ms = 200;
  c.watch_packs = false;
  c.log_level = "error";
  return c;
}

class ServerTestBase : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("replyd"); }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  server::ServerConfig Config() const { return TestConfig(dir_); }

  void Start(const server::ServerConfig& config) {
    Result<std::unique_ptr<server::Server>> s = server::Server::Start(config);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    port_ = server_->endpoint().port();
  }

  // A connected client; fails the test if the upgrade does not succeed.
  std::unique_ptr<WsClient> Connect(
      const std::map<std::string, std::string>& headers = {}) {
    auto client = std::make_unique<WsClient>();
    EXPECT_EQ(client->Connect(port_, "/ws", headers), 101);
    return client;
  }

  // Sends one frame and returns the answer.
  nlohmann::json Ask(WsClient& client, const nlohmann::json& frame) {
    EXPECT_FALSE(client.Send(frame.dump()));
    std::optional<nlohmann::json> answer = client.Read();
    EXPECT_TRUE(answer.has_value()) << client.last_error().message();
    return answer.value_or(nlohmann::json::object());
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::Server> server_;
  uint16_t port_ = 0;
};

// The rows of `sql` against the SQLite file at `path`, each column as text
// ("NULL" for null).
inline std::vector<std::vector<std::string>> QueryDb(
    const std::filesystem::path& path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

inline const char* kOverdueOrder = R"({
  "id": "E20261123001", "status": "paid",
  "created_at": "2026-11-20T09:00:00+08:00", "paid_at": "2026-11-20T09:05:00+08:00",
  "amount": 129.0, "stock": "in_stock", "shipping": {"region": "浙江"},
  "buyer": {"name": "小林", "returning": true}})";

inline nlohmann::json SuggestFrame(
    const std::string& id, const std::string& message = "怎么还不发货") {
  return {{"type", "suggest"},
          {"id", id},
          {"message", message},
          {"order", nlohmann::json::parse(kOverdueOrder)},
          {"conversation_id", "c-42"},
          {"now", "2026-11-23T10:00:00+08:00"}};
}

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_SERVER_HARNESS_H_

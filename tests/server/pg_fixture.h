// The PostgreSQL tests' fixture: one PostgreSQL (Debian's package, started
// through scripts/pg_local.sh in a temporary directory) for the whole
// suite, an empty database per test, a server on it, and row and frame
// helpers. The suite is skipped, saying so, only when PostgreSQL is not
// installed (scripts/setup.sh installs it). Shared by pg_store_test.cc and
// pg_outage_test.cc: one suite, PgStoreTest, so one cluster (initdb takes
// ~10 s).
#ifndef REPLY_TESTS_SERVER_PG_FIXTURE_H_
#define REPLY_TESTS_SERVER_PG_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "learn/pg_connection.h"
#include "server/feedback_store.h"
#include "tests/server/server_harness.h"
#include "tests/test_paths.h"

namespace reply::testing {

// scripts/pg_local.sh with `args`: its exit status and what it printed.
inline std::pair<int, std::string> PgLocal(const std::string& args) {
  const std::string command =
      (SourceDir() / "scripts/pg_local.sh").string() + " " + args + " 2>&1";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  const int status = ::pclose(pipe);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class PgStoreTest : public ServerTestBase {
 protected:
  static void SetUpTestSuite() {
    pg_dir_ = new std::filesystem::path(MakeTempDir("pg") / "pg");
    std::filesystem::create_directories(*pg_dir_);
    auto [status, out] = PgLocal("start " + pg_dir_->string());
    if (status == 77) {
      skip_ = new std::string(out);
      return;
    }
    ASSERT_EQ(status, 0) << out;
    url_ = new std::string(out);
  }
  static void TearDownTestSuite() {
    if (url_ != nullptr) PgLocal("stop " + pg_dir_->string());
    std::filesystem::remove_all(pg_dir_->parent_path());
    delete pg_dir_;
    delete url_;
    delete skip_;
    pg_dir_ = nullptr;
    url_ = skip_ = nullptr;
  }

  void SetUp() override {
    if (skip_ != nullptr) {
      GTEST_SKIP() << "PostgreSQL not installed: " << *skip_;
    }
    ASSERT_NE(url_, nullptr);
    ServerTestBase::SetUp();
    // Every test starts from an empty database.
    Result<std::unique_ptr<learn::PgConnection>> c =
        learn::PgConnection::Connect(*url_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->Exec("DROP TABLE IF EXISTS feedback, reply_schema").ok());
    db_ = std::move(*c);
  }

  server::ServerConfig PgConfig() const {
    server::ServerConfig c = Config();
    c.db = *url_;
    // A client waits while PostgreSQL stops or starts (seconds): the
    // harness's 2 s would close its connection meanwhile.
    c.idle_timeout_ms = 60'000;
    return c;
  }

  // Whether /healthz's feedback_store reads `state` within `limit`.
  bool HealthSaysWithin(const std::string& state,
                        std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (Health()["feedback_store"] != state) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  }
  int64_t Count(const std::string& where = "") {
    const std::string sql = "SELECT count(*) FROM feedback " + where;
    Result<learn::PgResult> r = db_->Exec(sql);
    // The test's own connection did not live through a restart.
    if (!r.ok() && db_->Broken() && db_->Reconnect().ok()) r = db_->Exec(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->Int(0, 0) : -1;
  }

  static server::FeedbackRow Row(const std::string& key) {
    server::FeedbackRow row;
    row.suggestion_id = server::SuggestionId::Random().ToHex();
    row.suggestion = {.conversation_id = "c-1",
                      .intent = "urge_shipment",
                      .template_id = "urge_shipment.a",
                      .pack_version = "v1",
                      .text = "亲，马上发货",
                      .latency_us = 42,
                      .suggested_at_ms = 1000,
                      .shop = "shop-a"};
    row.action = server::FeedbackAction::kAccepted;
    row.final_text = row.suggestion.text;
    row.feedback_at_ms = 2000;
    row.key = key;
    return row;
  }

  static Result<server::FeedbackStore::Outcome> AppendAndWait(
      server::FeedbackStore& store, server::FeedbackRow row) {
    std::promise<Result<server::FeedbackStore::Outcome>> done;
    store.Append(std::move(row),
                 [&](const Result<server::FeedbackStore::Outcome>& r) {
                   done.set_value(r);
                 });
    return done.get_future().get();
  }

  static nlohmann::json FeedbackFrame(const std::string& id,
                                      const std::string& suggestion_id) {
    return {{"type", "feedback"},
            {"id", id},
            {"key", "pg-store-test-" + id},
            {"suggestion_id", suggestion_id},
            {"action", "accepted"}};
  }

  nlohmann::json Feedback(WsClient& client, const std::string& id,
                          const std::string& suggestion_id) {
    return Ask(client, FeedbackFrame(id, suggestion_id));
  }

  nlohmann::json Health() {
    const HttpResult health = HttpGet(port_, "/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
    return nlohmann::json::parse(health.body, nullptr,
                                 /*allow_exceptions=*/false);
  }

  inline static std::filesystem::path* pg_dir_ = nullptr;
  inline static std::string* url_ = nullptr;
  inline static std::string* skip_ = nullptr;
  std::unique_ptr<learn::PgConnection> db_;
};

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_PG_FIXTURE_H_

// Replyd on a PostgreSQL that goes away (pg_fixture.h): stopped, feedback
// is refused and suggestions keep being served, and it is taken again once
// the database is back; a server starts while it is down and migrates when
// it returns; frozen, it stalls no suggestion (behind feedback or /stats),
// and a statement to it gives up after the query timeout.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <thread>

#include "learn/pg_connection.h"
#include "tests/server/pg_fixture.h"
#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using namespace std::chrono_literals;
using learn::PgConnection;
using nlohmann::json;

// The PostgreSQL server's processes: the postmaster (first line of
// postmaster.pid) and its children.
std::vector<pid_t> PostgresPids(const std::filesystem::path& pg_dir) {
  std::ifstream pid_file(pg_dir / "data" / "postmaster.pid");
  pid_t postmaster = 0;
  pid_file >> postmaster;
  std::vector<pid_t> pids;
  if (postmaster <= 0) return pids;
  pids.push_back(postmaster);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, not ')'.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    pid_t ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) == 2 &&
        ppid == postmaster) {
      pids.push_back(std::stoi(entry.path().filename().string()));
    }
  }
  return pids;
}

// Freezes PostgreSQL (SIGSTOP: connections stay open, nothing answers, as
// a hung server or a cut network) until destroyed.
class FrozenPostgres {
 public:
  explicit FrozenPostgres(const std::filesystem::path& pg_dir)
      : pids_(PostgresPids(pg_dir)) {
    for (pid_t pid : pids_) ::kill(pid, SIGSTOP);
  }
  ~FrozenPostgres() { Thaw(); }
  FrozenPostgres(const FrozenPostgres&) = delete;
  FrozenPostgres& operator=(const FrozenPostgres&) = delete;

  size_t processes() const { return pids_.size(); }
  void Thaw() {
    for (pid_t pid : pids_) ::kill(pid, SIGCONT);
    pids_.clear();
  }

 private:
  std::vector<pid_t> pids_;
};

TEST_F(PgStoreTest, DatabaseDownRefusesFeedbackKeepsSuggestingAndRecovers) {
  Start(PgConfig());
  auto client = Connect();
  std::vector<std::string> ids = SuggestionIds(*client);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(Feedback(*client, "f0", ids[0])["type"], "ack");
  EXPECT_EQ(Count(), 1);

  EXPECT_EQ(Health()["feedback_store"], "ok");
  auto [stopped, out] = PgLocal("stop " + pg_dir_->string());
  ASSERT_EQ(stopped, 0) << out;
  // /healthz says so within seconds, before any feedback finds it out: the
  // idle writer asks the database every two seconds.
  EXPECT_TRUE(HealthSaysWithin("unreachable", 15s));
  const json refused = Feedback(*client, "f1", ids[1]);
  EXPECT_EQ(refused["type"], "error") << refused;
  EXPECT_NE(refused.dump().find("unreachable"), std::string::npos) << refused;
  // Suggestions need no database.
  EXPECT_FALSE(SuggestionIds(*client).empty());

  auto [started, url] = PgLocal("start " + pg_dir_->string());
  ASSERT_EQ(started, 0) << url;
  EXPECT_TRUE(HealthSaysWithin("ok", 15s));
  // The next batch reconnects first: the resend is taken at once.
  const json taken = Feedback(*client, "f1", ids[1]);
  EXPECT_EQ(taken["type"], "ack") << taken;
  EXPECT_EQ(Feedback(*client, "f2", ids[2])["type"], "ack");
  // Every acknowledged row, and only those.
  EXPECT_EQ(Count(), 3);
  server_.reset();
}

TEST_F(PgStoreTest, StartsWhileTheDatabaseIsDownAndMigratesWhenItIsBack) {
  db_.reset();
  auto [stopped, out] = PgLocal("stop " + pg_dir_->string());
  ASSERT_EQ(stopped, 0) << out;
  // A node restarted during an outage: it starts, and suggests.
  Start(PgConfig());
  json health = Health();
  EXPECT_EQ(health["status"], "ok") << health;
  EXPECT_EQ(health["feedback_store"], "unreachable") << health;
  auto client = Connect();
  std::vector<std::string> ids = SuggestionIds(*client);
  ASSERT_GE(ids.size(), 2u);
  const json refused = Feedback(*client, "f0", ids[0]);
  EXPECT_EQ(refused["type"], "error") << refused;
  EXPECT_EQ(refused["code"], "internal") << refused;
  EXPECT_NE(refused.dump().find("unreachable"), std::string::npos) << refused;

  auto [started, url] = PgLocal("start " + pg_dir_->string());
  ASSERT_EQ(started, 0) << url;
  // The idle writer reconnects and migrates by itself (it tries every
  // second), before any feedback asks it to.
  ASSERT_TRUE(HealthSaysWithin("ok", 30s));
  Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(*url_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  db_ = std::move(*c);
  Result<learn::PgResult> version =
      db_->Exec("SELECT version FROM reply_schema");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->Int(0, 0), 5);
  EXPECT_EQ(Count(), 0);
  // The refused row was never stored; its resend now is, once.
  EXPECT_EQ(Feedback(*client, "f0", ids[0])["type"], "ack");
  EXPECT_EQ(Feedback(*client, "f1", ids[1])["type"], "ack");
  EXPECT_EQ(Count(), 2);
  EXPECT_FALSE(SuggestionIds(*client).empty());
}

TEST_F(PgStoreTest, FrozenDatabaseStallsNoSuggestionOnTheSameConnection) {
  server::ServerConfig config = PgConfig();
  config.threads = 1;  // one I/O thread: a stall there stalls everything
  Start(config);
  std::string before_restart;
  {
    auto client = Connect();
    std::vector<std::string> ids = SuggestionIds(*client);
    ASSERT_FALSE(ids.empty());
    before_restart = ids[0];
    ASSERT_EQ(Feedback(*client, "resent", before_restart)["type"], "ack");
  }
  // Restarted with a new per-process key: the old id is unknown to it, so
  // its resend is looked up by key (the lookup that ran on the I/O thread).
  server_.reset();
  Start(config);
  auto client = Connect();
  std::vector<std::string> ids = SuggestionIds(*client);
  ASSERT_FALSE(ids.empty());
  ASSERT_EQ(Count(), 1);

  FrozenPostgres frozen(*pg_dir_);
  ASSERT_GE(frozen.processes(), 2u);  // the postmaster and backends
  EXPECT_FALSE(client->Send(FeedbackFrame("resent", before_restart).dump()));
  EXPECT_FALSE(client->Send(FeedbackFrame("new", ids[0]).dump()));
  constexpr int kSuggests = 3;
  for (int i = 0; i < kSuggests; ++i) {
    EXPECT_FALSE(client->Send(SuggestFrame(NumberedId("s", i)).dump()));
  }
  // Every suggestion is answered while the database is frozen; the
  // feedback is not (nothing is acknowledged before its commit).
  std::map<std::string, json> answers;
  while (answers.size() < kSuggests) {
    std::optional<json> answer = client->Read(30s);
    ASSERT_TRUE(answer.has_value()) << "suggestions stalled behind feedback: "
                                    << client->last_error().message();
    answers[(*answer)["id"]] = *answer;
  }
  for (int i = 0; i < kSuggests; ++i) {
    EXPECT_EQ(answers[NumberedId("s", i)]["type"], "suggestions")
        << answers[NumberedId("s", i)];
  }

  frozen.Thaw();
  while (answers.size() < kSuggests + 2) {
    std::optional<json> answer = client->Read(30s);
    ASSERT_TRUE(answer.has_value()) << client->last_error().message();
    answers[(*answer)["id"]] = *answer;
  }
  EXPECT_EQ(answers["resent"]["type"], "ack") << answers["resent"];
  EXPECT_EQ(answers["new"]["type"], "ack") << answers["new"];
  // Stored exactly once each.
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(Count("WHERE feedback_key = 'pg-store-test-resent'"), 1);
}

// /stats reads the database on a thread of its own (server/blocking_work.h):
// a report waiting for a frozen database stalls no suggestion on the
// server's one I/O thread (on it, the suggestion waited for libpq's 5 s
// connect timeout), and is answered once the database is back.
TEST_F(PgStoreTest, FrozenDatabaseStallsNoSuggestionBehindAStatsRequest) {
  server::ServerConfig config = PgConfig();
  config.threads = 1;  // one I/O thread: a stall there stalls everything
  Start(config);
  auto client = Connect();
  ASSERT_FALSE(SuggestionIds(*client).empty());
  ASSERT_EQ(HttpGet(port_, "/stats").status, 200);

  FrozenPostgres frozen(*pg_dir_);
  ASSERT_GE(frozen.processes(), 1u);
  std::future<HttpResult> stats = std::async(
      std::launch::async, [this] { return HttpGet(port_, "/stats"); });
  // The request reaches the server and waits on the database.
  std::this_thread::sleep_for(500ms);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(SuggestionIds(*client).empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s)
      << "the suggestion waited behind /stats";
  EXPECT_EQ(stats.wait_for(0s), std::future_status::timeout)
      << "/stats answered while the database was frozen";

  frozen.Thaw();
  const HttpResult answer = stats.get();
  EXPECT_EQ(answer.status, 200) << answer.body;
}

// A statement to a server that stopped answering without closing the
// connection fails after the query timeout instead of holding the store's
// writer (and every feedback behind it) for TCP's ~15 minutes; the
// connection is closed and a new one works once the server answers again.
TEST_F(PgStoreTest, AStatementToAHungServerFailsAfterTheQueryTimeout) {
  Result<std::unique_ptr<PgConnection>> c =
      PgConnection::Connect(*url_, /*query_timeout_ms=*/300);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  PgConnection& db = **c;
  ASSERT_TRUE(db.Exec("SELECT 1").ok());
  {
    FrozenPostgres frozen(*pg_dir_);
    ASSERT_GE(frozen.processes(), 2u);
    Result<learn::PgResult> r = db.Exec("SELECT $1::int + 1", {"41"});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("no answer within 300 ms"),
              std::string::npos)
        << r.status().ToString();
    EXPECT_TRUE(db.Broken());
    // Until reconnected, every statement fails at once.
    EXPECT_FALSE(db.Exec("SELECT 1").ok());
  }
  ASSERT_TRUE(db.Reconnect().ok());
  Result<learn::PgResult> r = db.Exec("SELECT $1::int + 1", {"41"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Int(0, 0), 42);
  // A script of several statements still answers with the last one, and a
  // failing statement stops it with its error.
  r = db.Exec("SELECT 1; SELECT 2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Int(0, 0), 2);
  r = db.Exec("SELECT 1; SELECT no_such_column; SELECT 3");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no_such_column"), std::string::npos)
      << r.status().ToString();
  EXPECT_FALSE(db.Broken()) << "a failing statement keeps the connection";
}

}  // namespace
}  // namespace reply::testing

// The PostgreSQL feedback store on a real PostgreSQL (Debian's package,
// started by the test in a temporary directory through
// scripts/pg_local.sh): migrations from an empty database, the ack only
// after the commit, feedback refused while the database is down and taken
// again once it is back (suggestions served throughout), and /stats and
// learning read from PostgreSQL. Skipped, saying so, only when PostgreSQL is
// not installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "learn/evidence_reader.h"
#include "learn/pg_connection.h"
#include "learn/report.h"
#include "server/feedback_store.h"
#include "tests/server/server_harness.h"
#include "tests/test_paths.h"
// replyctl is not built in the ThreadSanitizer build (REPLY_TSAN builds only
// the threaded tests; test_paths.h then defines no REPLYCTL_PATH): the case
// that runs it is compiled in the Release build only.
#ifdef REPLYCTL_PATH
#include "tests/replyctl_runner.h"
#endif

namespace reply::testing {
namespace {

using namespace std::chrono_literals;
using learn::PgConnection;
using nlohmann::json;
using server::FeedbackAction;
using server::FeedbackRow;
using server::FeedbackStore;
using Outcome = FeedbackStore::Outcome;

// scripts/pg_local.sh with `args`: its exit status and what it printed.
std::pair<int, std::string> PgLocal(const std::string& args) {
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
    Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(*url_);
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

  int64_t Count(const std::string& where = "") {
    const std::string sql = "SELECT count(*) FROM feedback " + where;
    Result<learn::PgResult> r = db_->Exec(sql);
    // The test's own connection did not live through a restart.
    if (!r.ok() && db_->Broken() && db_->Reconnect().ok()) r = db_->Exec(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->Int(0, 0) : -1;
  }

  static FeedbackRow Row(const std::string& key) {
    FeedbackRow row;
    row.suggestion_id = server::SuggestionId::Random().ToHex();
    row.suggestion = {.conversation_id = "c-1",
                      .intent = "urge_shipment",
                      .template_id = "urge_shipment.a",
                      .pack_version = "v1",
                      .text = "亲，马上发货",
                      .latency_us = 42,
                      .suggested_at_ms = 1000,
                      .shop = "shop-a"};
    row.action = FeedbackAction::kAccepted;
    row.final_text = row.suggestion.text;
    row.feedback_at_ms = 2000;
    row.key = key;
    return row;
  }

  static Result<Outcome> AppendAndWait(FeedbackStore& store, FeedbackRow row) {
    std::promise<Result<Outcome>> done;
    store.Append(std::move(row),
                 [&](const Result<Outcome>& r) { done.set_value(r); });
    return done.get_future().get();
  }

  static json FeedbackFrame(const std::string& id,
                            const std::string& suggestion_id) {
    return {{"type", "feedback"},
            {"id", id},
            {"key", "pg-store-test-" + id},
            {"suggestion_id", suggestion_id},
            {"action", "accepted"}};
  }

  json Feedback(WsClient& client, const std::string& id,
                const std::string& suggestion_id) {
    return Ask(client, FeedbackFrame(id, suggestion_id));
  }

  json Health() {
    const HttpResult health = HttpGet(port_, "/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
    return json::parse(health.body, nullptr, /*allow_exceptions=*/false);
  }

  static std::filesystem::path* pg_dir_;
  static std::string* url_;
  static std::string* skip_;
  std::unique_ptr<PgConnection> db_;
};

std::filesystem::path* PgStoreTest::pg_dir_ = nullptr;
std::string* PgStoreTest::url_ = nullptr;
std::string* PgStoreTest::skip_ = nullptr;

TEST_F(PgStoreTest, MigratesAnEmptyDatabaseOnceAndRefusesANewerOne) {
  {
    // Two stores opening at once: the advisory lock makes one migrate.
    std::vector<std::future<Result<std::unique_ptr<FeedbackStore>>>> opens;
    for (int i = 0; i < 2; ++i) {
      opens.push_back(std::async(std::launch::async, [&] {
        return FeedbackStore::Open({.path = *url_});
      }));
    }
    for (auto& open : opens) {
      Result<std::unique_ptr<FeedbackStore>> store = open.get();
      ASSERT_TRUE(store.ok()) << store.status().ToString();
    }
  }
  Result<learn::PgResult> version =
      db_->Exec("SELECT version FROM reply_schema");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  ASSERT_EQ(version->rows(), 1);
  EXPECT_EQ(version->Int(0, 0), 5);
  Result<learn::PgResult> columns = db_->Exec(
      "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
      "information_schema.columns WHERE table_name = 'feedback'");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(columns->Text(0, 0),
            "id,suggestion_id,conversation_id,intent,template,pack_version,"
            "latency_us,action,suggested_text,final_text,suggested_at_ms,"
            "feedback_at_ms,feedback_key,shop,arm");

  ASSERT_TRUE(db_->Exec("UPDATE reply_schema SET version = 6").ok());
  Result<std::unique_ptr<FeedbackStore>> newer =
      FeedbackStore::Open({.path = *url_});
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer replyd"), std::string::npos)
      << newer.status().ToString();
}

TEST_F(PgStoreTest, AcknowledgesOnlyCommittedRowsOnceEach) {
  Result<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open({.path = *url_});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // Each callback looks for its row through another connection: an ack
  // before the commit would not find it.
  Result<std::unique_ptr<PgConnection>> other = PgConnection::Connect(*url_);
  ASSERT_TRUE(other.ok());
  constexpr int kThreads = 4, kRows = 50;
  std::mutex mu;
  int acked = 0, visible = 0;
  std::vector<std::thread> threads;
  std::vector<std::promise<void>> done(kThreads * kRows);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRows; ++i) {
        const std::string key =
            "k" + std::to_string(t) + "-" + std::to_string(i);
        (*store)->Append(Row(key), [&, key, n = t * kRows + i](
                                       const Result<Outcome>& r) {
          std::lock_guard<std::mutex> lock(mu);
          if (r.ok() && *r == Outcome::kInserted) {
            ++acked;
            Result<learn::PgResult> found = (*other)->Exec(
                "SELECT count(*) FROM feedback WHERE feedback_key = $1", {key});
            if (found.ok() && found->Int(0, 0) == 1) ++visible;
          }
          done[n].set_value();
        });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (auto& d : done) d.get_future().wait();
  EXPECT_EQ(acked, kThreads * kRows);
  EXPECT_EQ(visible, kThreads * kRows);
  EXPECT_EQ(Count(), kThreads * kRows);

  // A resend is not stored again; the same key with other content is
  // refused; another final action on an answered suggestion too.
  FeedbackRow row = Row("k0-0");
  Result<Outcome> again = AppendAndWait(**store, Row("k0-0"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, Outcome::kKeyConflict);  // another suggestion id
  FeedbackRow first = Row("once");
  FeedbackRow rejected = first;
  rejected.key = "twice";
  rejected.action = FeedbackAction::kRejected;
  rejected.final_text.reset();
  EXPECT_EQ(*AppendAndWait(**store, first), Outcome::kInserted);
  EXPECT_EQ(*AppendAndWait(**store, first), Outcome::kDuplicate);
  EXPECT_EQ(*AppendAndWait(**store, rejected), Outcome::kAlreadyAnswered);
  EXPECT_EQ(Count(), kThreads * kRows + 1);

  Result<std::vector<server::FeedbackStats>> stats =
      (*store)->StatsOfShop("shop-a");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].accepted, kThreads * kRows + 1);
  EXPECT_TRUE((*store)->StatsOfShop("shop-b")->empty());
  std::promise<Result<Outcome>> resent;
  (*store)->FindResend(first,
                       [&](const Result<Outcome>& r) { resent.set_value(r); });
  EXPECT_EQ(*resent.get_future().get(), Outcome::kDuplicate);
}

TEST_F(PgStoreTest, DatabaseDownRefusesFeedbackKeepsSuggestingAndRecovers) {
  Start(PgConfig());
  auto client = Connect();
  std::vector<std::string> ids = SuggestionIds(*client);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(Feedback(*client, "f0", ids[0])["type"], "ack");
  EXPECT_EQ(Count(), 1);

  auto [stopped, out] = PgLocal("stop " + pg_dir_->string());
  ASSERT_EQ(stopped, 0) << out;
  const json refused = Feedback(*client, "f1", ids[1]);
  EXPECT_EQ(refused["type"], "error") << refused;
  EXPECT_NE(refused.dump().find("unreachable"), std::string::npos) << refused;
  // Suggestions need no database.
  EXPECT_FALSE(SuggestionIds(*client).empty());

  auto [started, url] = PgLocal("start " + pg_dir_->string());
  ASSERT_EQ(started, 0) << url;
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
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (Health()["feedback_store"] != "ok" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(Health()["feedback_store"], "ok");
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

#ifdef REPLYCTL_PATH
// --feedback-retention-days and replyctl feedback purge on PostgreSQL:
// texts erased, counts kept, as on SQLite (server_report_test).
TEST_F(PgStoreTest, RetentionAndPurgeEraseTextsAndKeepTheCounts) {
  const std::string texts =
      "WHERE final_text IS NOT NULL OR suggested_text IS NOT NULL";
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  {
    Result<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open({.path = *url_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < 3; ++i) {  // given in 1970
      ASSERT_TRUE(AppendAndWait(**store, Row("old-" + std::to_string(i))).ok());
    }
    FeedbackRow recent = Row("recent");
    recent.suggestion.conversation_id = "c-2";
    recent.feedback_at_ms = now_ms;
    ASSERT_TRUE(AppendAndWait(**store, recent).ok());
  }
  ASSERT_EQ(Count(texts), 4);

  server::ServerConfig config = PgConfig();
  config.feedback_retention_days = 30;
  Start(config);
  // Retention runs at start on its own thread.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (Count(texts) != 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(Count(texts), 1);
  EXPECT_EQ(Count(texts + " AND feedback_key = 'recent'"), 1);

  // A buyer's request: the conversation's texts and id go.
  CtlResult r = RunReplyctl(
      {"feedback", "purge", "--db", *url_, "--conversation", "c-2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("erased the texts of 1 feedback rows"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Count(texts), 0);
  EXPECT_EQ(Count("WHERE conversation_id = 'c-2'"), 0);
  r = RunReplyctl(
      {"feedback", "purge", "--db", *url_, "--before", "2099-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("of 0 feedback rows"), std::string::npos) << r.out;
  // Every count stays: the rows, with what they count by.
  EXPECT_EQ(Count(), 4);
  EXPECT_EQ(Count("WHERE action = 'accepted' AND template = "
                  "'urge_shipment.a' AND shop = 'shop-a'"),
            4);
}
#endif  // REPLYCTL_PATH

// /stats (and the learner) read through kept connections: repeated reads
// start no new PostgreSQL backend.
TEST_F(PgStoreTest, StatsReuseTheirConnection) {
  server::ServerConfig config = PgConfig();
  config.feedback_retention_days = 0;  // no other reader meanwhile
  Start(config);
  // The backends of this process's connections but the test's own.
  const auto backends = [&] {
    std::set<int64_t> pids;
    Result<learn::PgResult> r = db_->Exec(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'replyd' "
        "AND pid <> pg_backend_pid()");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    for (int i = 0; r.ok() && i < r->rows(); ++i) pids.insert(r->Int(i, 0));
    return pids;
  };
  ASSERT_EQ(HttpGet(port_, "/stats").status, 200);
  const std::set<int64_t> first = backends();
  EXPECT_GE(first.size(), 2u);  // the store's writer and the kept reader
  for (int i = 0; i < 5; ++i) {
    const HttpResult stats = HttpGet(port_, "/stats");
    ASSERT_EQ(stats.status, 200) << stats.body;
  }
  EXPECT_EQ(backends(), first);
}

TEST_F(PgStoreTest, StatsReportAndLearningReadPostgres) {
  Start(PgConfig());
  auto client = Connect();
  std::string first, second;
  for (int i = 0; i < 5; ++i) {
    const json answer = Ask(*client, SuggestFrame(NumberedId("r", i)));
    ASSERT_GE(answer["suggestions"].size(), 2u) << answer;
    first = answer["suggestions"][0]["template"];
    second = answer["suggestions"][1]["template"];
    for (const auto& [k, action] :
         {std::pair{0, "rejected"}, std::pair{1, "accepted"}}) {
      ASSERT_EQ(Ask(*client, {{"type", "feedback"},
                              {"id", NumberedId("f", i * 2 + k)},
                              {"suggestion_id",
                               answer["suggestions"][k]["suggestion_id"]},
                              {"action", action}})["type"],
                "ack");
    }
  }
  const HttpResult stats = HttpGet(port_, "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const json report = json::parse(stats.body);
  int seen = 0;
  for (const json& row : report["templates"]) {
    if (row["template"] == first) {
      EXPECT_EQ(row["rejected"], 5) << row;
      EXPECT_EQ(row["shown"], 5) << row;
      ++seen;
    } else if (row["template"] == second) {
      EXPECT_EQ(row["accepted"], 5) << row;
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2) << report["templates"];
  // Rejected each of at least five times.
  EXPECT_EQ(report["always_rejected"], json::array({first}));

  // One shop's report over the same database: the default shop's rows are
  // all of them, another shop has none.
  Result<learn::Report> mine = learn::BuildReport(*url_, {.shop = ""}, {});
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->templates.size(), 2u);
  Result<learn::Report> other =
      learn::BuildReport(*url_, {.shop = "other's shop"}, {});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_TRUE(other->templates.empty());

  // What the background learner reads.
  Result<Ranking::Evidence> evidence = learn::ReadEvidence(*url_);
  ASSERT_TRUE(evidence.ok()) << evidence.status().ToString();
  EXPECT_EQ((*evidence)[""][first].rejected, 5);
  EXPECT_EQ((*evidence)[""][first].shown, 5);
  EXPECT_EQ((*evidence)[""][second].accepted, 5);
}

}  // namespace
}  // namespace reply::testing

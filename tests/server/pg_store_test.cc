// The PostgreSQL feedback store on a real PostgreSQL (pg_fixture.h):
// migrations from an empty database, the ack only after the commit, each
// row once, retention and purge, and /stats, reports and learning read from
// PostgreSQL. Outages: pg_outage_test.cc.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "learn/evidence_reader.h"
#include "learn/pg_connection.h"
#include "learn/report.h"
#include "server/feedback_store.h"
#include "server/pg_feedback_store.h"
#include "tests/server/pg_fixture.h"
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

  EXPECT_EQ(Count("WHERE shop = 'shop-a' AND action = 'accepted'"),
            kThreads * kRows + 1);
  EXPECT_EQ(Count("WHERE shop IS DISTINCT FROM 'shop-a'"), 0);
  std::promise<Result<Outcome>> resent;
  (*store)->FindResend(first,
                       [&](const Result<Outcome>& r) { resent.set_value(r); });
  EXPECT_EQ(*resent.get_future().get(), Outcome::kDuplicate);
}

// A batch is checked in one look-up and inserted in one statement: rows of
// the same batch must still see each other as the rows stored before it
// (a resend, a reused key, a second answer, a second `shown`). The test's
// connection holds the writers' lock, so the writer waits with its first
// row while the others queue up and are then taken as one batch.
TEST_F(PgStoreTest, RowsOfOneBatchSeeEachOtherAsStoredRows) {
  Result<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open({.path = *url_});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE(db_->Exec("BEGIN").ok());
  ASSERT_TRUE(db_->ExecInts("SELECT pg_advisory_xact_lock($1)",
                            {server::PgFeedbackStore::kWritersLockKey})
                  .ok());

  std::vector<std::promise<Result<Outcome>>> done;
  done.reserve(16);
  const auto append = [&](FeedbackRow row, bool lookup_only = false) {
    std::promise<Result<Outcome>>& d = done.emplace_back();
    const auto callback = [&d](const Result<Outcome>& r) { d.set_value(r); };
    if (lookup_only) {
      (*store)->FindResend(std::move(row), callback);
    } else {
      (*store)->Append(std::move(row), callback);
    }
  };
  const FeedbackRow before = Row("before");
  append(before);
  // The writer is waiting for the lock with `before`.
  const auto waiting = [&] {
    Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(*url_);
    if (!c.ok()) return false;
    Result<learn::PgResult> r = (*c)->Exec(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT "
        "granted");
    return r.ok() && r->Int(0, 0) == 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!waiting() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(waiting());

  const FeedbackRow accepted = Row("k1");
  FeedbackRow same_key_other_row = Row("k1");  // another suggestion
  FeedbackRow second_answer = accepted;
  second_answer.key = "k2";
  second_answer.action = FeedbackAction::kRejected;
  second_answer.final_text.reset();
  FeedbackRow resent_under_new_key = accepted;
  resent_under_new_key.key = "k3";
  FeedbackRow shown = Row("k4");
  shown.action = FeedbackAction::kShown;
  shown.final_text.reset();
  FeedbackRow shown_again = shown;
  shown_again.key = "k5";
  FeedbackRow before_answered_again = before;
  before_answered_again.key = "k6";
  before_answered_again.action = FeedbackAction::kRejected;
  before_answered_again.final_text.reset();

  append(accepted);                         // 1
  append(accepted);                         // 2: its resend
  append(same_key_other_row);               // 3
  append(second_answer);                    // 4
  append(resent_under_new_key);             // 5
  append(shown);                            // 6
  append(shown_again);                      // 7
  append(accepted, /*lookup_only=*/true);   // 8
  append(Row("k9"), /*lookup_only=*/true);  // 9: no such key
  append(before);                           // 10: a row of the batch before
  append(before_answered_again);            // 11
  ASSERT_TRUE(db_->Exec("COMMIT").ok());

  std::vector<Outcome> outcomes;
  for (auto& d : done) {
    Result<Outcome> r = d.get_future().get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    outcomes.push_back(*r);
  }
  EXPECT_EQ(outcomes,
            (std::vector<Outcome>{
                Outcome::kInserted, Outcome::kInserted, Outcome::kDuplicate,
                Outcome::kKeyConflict, Outcome::kAlreadyAnswered,
                Outcome::kDuplicate, Outcome::kInserted, Outcome::kDuplicate,
                Outcome::kDuplicate, Outcome::kNotStored, Outcome::kDuplicate,
                Outcome::kAlreadyAnswered}));
  EXPECT_EQ(Count(), 3);
  EXPECT_EQ(Count("WHERE feedback_key IN ('before', 'k1', 'k4')"), 3);
  // The stored texts are the rows': a look-up of the batch's rows finds
  // what a later batch's look-up finds.
  EXPECT_EQ(*AppendAndWait(**store, accepted), Outcome::kDuplicate);
  EXPECT_EQ(*AppendAndWait(**store, second_answer), Outcome::kAlreadyAnswered);
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

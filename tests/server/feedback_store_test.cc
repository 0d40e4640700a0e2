// The feedback store on real SQLite files: rows are committed before they
// are acknowledged, survive reopening, and nothing is lost on Close.
#include "server/feedback_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "tests/server/server_harness.h"

namespace reply::server {
namespace {

using reply::testing::QueryDb;

FeedbackRow Row(const std::string& template_id, FeedbackAction action) {
  FeedbackRow row;
  row.suggestion_id = SuggestionId::Random().ToHex();
  row.suggestion = {.conversation_id = "c-1",
                    .intent = "urge_shipment",
                    .template_id = template_id,
                    .pack_version = "v1",
                    .text = "亲，马上发货",
                    .latency_us = 42,
                    .suggested_at_ms = 1000};
  row.action = action;
  if (action == FeedbackAction::kEdited) row.final_text = "改了";
  row.feedback_at_ms = 2000;
  return row;
}

// Appends and waits for the row's outcome.
Status AppendAndWait(FeedbackStore& store, FeedbackRow row) {
  std::promise<Status> done;
  store.Append(std::move(row), [&](const Status& s) { done.set_value(s); });
  return done.get_future().get();
}

class FeedbackStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = reply::testing::MakeTempDir("store"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path db() const { return dir_ / "feedback.db"; }

  std::filesystem::path dir_;
};

TEST_F(FeedbackStoreTest, ARowIsInTheFileWhenItsCallbackSaysOk) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  FeedbackRow row = Row("urge_shipment.overdue_wait", FeedbackAction::kEdited);
  const std::string sid = row.suggestion_id;
  ASSERT_TRUE(AppendAndWait(**store, row).ok());
  const auto rows =
      QueryDb(db(),
              "SELECT suggestion_id, conversation_id, intent, template, "
              "pack_version, latency_us, action, suggested_text, final_text, "
              "suggested_at_ms, feedback_at_ms FROM feedback");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{
                sid, "c-1", "urge_shipment", "urge_shipment.overdue_wait", "v1",
                "42", "edited", "亲，马上发货", "改了", "1000", "2000"}));
  EXPECT_EQ(QueryDb(db(), "PRAGMA journal_mode")[0][0], "wal");
}

TEST_F(FeedbackStoreTest, RowsSurviveReopeningAndCountInStats) {
  {
    auto store = FeedbackStore::Open({.path = db().string()});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(
        AppendAndWait(**store, Row("a.x", FeedbackAction::kAccepted)).ok());
    ASSERT_TRUE(
        AppendAndWait(**store, Row("a.x", FeedbackAction::kRejected)).ok());
  }
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      AppendAndWait(**store, Row("a.x", FeedbackAction::kAccepted)).ok());
  ASSERT_TRUE(AppendAndWait(**store, Row("b.y", FeedbackAction::kEdited)).ok());
  Result<std::vector<FeedbackStats>> stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->size(), 2u);
  EXPECT_EQ((*stats)[0].template_id, "a.x");
  EXPECT_EQ((*stats)[0].accepted, 2);
  EXPECT_EQ((*stats)[0].rejected, 1);
  EXPECT_EQ((*stats)[1].template_id, "b.y");
  EXPECT_EQ((*stats)[1].edited, 1);
}

TEST_F(FeedbackStoreTest, CloseCommitsEverythingQueued) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  std::atomic<int> ok{0};
  constexpr int kRows = 300;
  for (int i = 0; i < kRows; ++i) {
    (*store)->Append(Row("a.x", FeedbackAction::kAccepted),
                     [&](const Status& s) {
                       if (s.ok()) ++ok;
                     });
  }
  (*store)->Close();
  EXPECT_EQ(ok, kRows);
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0],
            std::to_string(kRows));
  // After Close, nothing is taken (and nothing is claimed to be).
  Status late;
  (*store)->Append(Row("a.x", FeedbackAction::kAccepted),
                   [&](const Status& s) { late = s; });
  EXPECT_EQ(late.code(), Status::Code::kInternal);
}

TEST_F(FeedbackStoreTest, ABoundedQueueRefusesRowsBeyondItsLimitAtOnce) {
  // The lock is held far shorter than the busy timeout: the rows taken
  // wait for it, then commit.
  auto store = FeedbackStore::Open(
      {.path = db().string(), .busy_timeout_ms = 10'000, .max_pending = 3});
  ASSERT_TRUE(store.ok());
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);

  std::atomic<int> failed{0}, committed{0}, refused{0};
  for (int i = 0; i < 10; ++i) {
    (*store)->Append(
        Row("a.x", FeedbackAction::kAccepted), [&](const Status& s) {
          if (s.ok()) {
            ++committed;
          } else if (s.message().find("already waiting") != std::string::npos) {
            ++refused;
          } else {
            ++failed;
          }
        });
  }
  EXPECT_EQ(refused, 7)
      << "3 are taken (queued or being written), the rest refused";
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  (*store)->Close();
  EXPECT_EQ(committed, 3);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0],
            std::to_string(committed.load()));
}

TEST_F(FeedbackStoreTest, AnUnopenableFileIsAClearError) {
  auto store =
      FeedbackStore::Open({.path = (dir_ / "no/such/dir/f.db").string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("no/such/dir/f.db"),
            std::string::npos)
      << store.status().message();
}

}  // namespace
}  // namespace reply::server

// The feedback store on real SQLite files: rows are committed before they
// are acknowledged, survive reopening, and nothing is lost on Close; a key
// stores a row once however often it is sent; a suggestion takes one final
// action. The schema and its migrations: feedback_store_schema_test.cc.
#include "server/feedback_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "learn/report.h"
#include "tests/server/feedback_store_fixture.h"
#include "tests/server/server_harness.h"

namespace reply::server {
namespace {

using reply::testing::AppendAndWait;
using reply::testing::FeedbackStoreTest;
using reply::testing::KeyedRow;
using reply::testing::Outcome;
using reply::testing::QueryDb;
using reply::testing::Row;

TEST_F(FeedbackStoreTest, ARowIsInTheFileWhenItsCallbackSaysOk) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  FeedbackRow row = Row("urge_shipment.overdue_wait", FeedbackAction::kEdited);
  const std::string sid = row.suggestion_id;
  const Result<Outcome> outcome = AppendAndWait(**store, row);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, Outcome::kInserted);
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

TEST_F(FeedbackStoreTest, RowsSurviveReopening) {
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
  EXPECT_EQ(QueryDb(db(),
                    "SELECT template, action, COUNT(*) FROM feedback "
                    "GROUP BY 1, 2 ORDER BY 1, 2"),
            (std::vector<std::vector<std::string>>{{"a.x", "accepted", "2"},
                                                   {"a.x", "rejected", "1"},
                                                   {"b.y", "edited", "1"}}));
}

TEST_F(FeedbackStoreTest, CloseCommitsEverythingQueued) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  std::atomic<int> ok{0};
  constexpr int kRows = 300;
  for (int i = 0; i < kRows; ++i) {
    (*store)->Append(Row("a.x", FeedbackAction::kAccepted),
                     [&](const Result<Outcome>& r) {
                       if (r.ok()) ++ok;
                     });
  }
  (*store)->Close();
  EXPECT_EQ(ok, kRows);
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0],
            std::to_string(kRows));
  // After Close, nothing is taken (and nothing is claimed to be).
  Status late;
  (*store)->Append(Row("a.x", FeedbackAction::kAccepted),
                   [&](const Result<Outcome>& r) { late = r.status(); });
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
        Row("a.x", FeedbackAction::kAccepted), [&](const Result<Outcome>& r) {
          const Status& s = r.status();
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

TEST_F(FeedbackStoreTest,
       ARowWithAKnownKeyIsStoredOnceAndReportedAsADuplicate) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  const FeedbackRow row = KeyedRow("3b241101-e2bb-4255-8caf-4136c566a962");
  EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
  EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kDuplicate);
  // A plain `accepted` without its text is the same feedback.
  FeedbackRow bare = row;
  bare.final_text.reset();
  EXPECT_EQ(*AppendAndWait(**store, bare), Outcome::kDuplicate);
  EXPECT_EQ(
      QueryDb(db(), "SELECT COUNT(*), feedback_key FROM feedback GROUP BY 2"),
      (std::vector<std::vector<std::string>>{
          {"1", "3b241101-e2bb-4255-8caf-4136c566a962"}}));
  // Without its key it is the suggestion's final action again: a resend.
  FeedbackRow unkeyed = row;
  unkeyed.key.reset();
  EXPECT_EQ(*AppendAndWait(**store, unkeyed), Outcome::kDuplicate);
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0], "1");
}

TEST_F(FeedbackStoreTest, ASuggestionTakesOneFinalActionAndOneShown) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  FeedbackRow shown = Row("a.x", FeedbackAction::kShown);
  EXPECT_EQ(*AppendAndWait(**store, shown), Outcome::kInserted);
  EXPECT_EQ(*AppendAndWait(**store, shown), Outcome::kDuplicate);
  FeedbackRow rejected = shown;
  rejected.action = FeedbackAction::kRejected;
  EXPECT_EQ(*AppendAndWait(**store, rejected), Outcome::kInserted);
  EXPECT_EQ(*AppendAndWait(**store, rejected), Outcome::kDuplicate);
  for (FeedbackAction other :
       {FeedbackAction::kAccepted, FeedbackAction::kEdited,
        FeedbackAction::kIgnored}) {
    FeedbackRow row = shown;
    row.action = other;
    if (other == FeedbackAction::kEdited) row.final_text = "改了";
    EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kAlreadyAnswered)
        << FeedbackActionName(other);
  }
  // Own replies are about the conversation: stored each time.
  FeedbackRow own;
  own.action = FeedbackAction::kOwnReply;
  own.suggestion.intent = "urge_shipment";
  own.final_text = "亲，我去问问仓库";
  own.feedback_at_ms = 3000;
  EXPECT_EQ(*AppendAndWait(**store, own), Outcome::kInserted);
  EXPECT_EQ(*AppendAndWait(**store, own), Outcome::kInserted);
  EXPECT_EQ(QueryDb(db(),
                    "SELECT action, COUNT(*) FROM feedback GROUP BY action "
                    "ORDER BY action"),
            (std::vector<std::vector<std::string>>{
                {"own_reply", "2"}, {"rejected", "1"}, {"shown", "1"}}));
}

// Acceptance has the suggestions shown behind it: one shown and accepted,
// one shown and ignored, one answered without `shown` (it was displayed
// too) make three shown, one accepted, in the report /stats answers from
// the rows the store wrote.
TEST_F(FeedbackStoreTest, TheReportCountsEachShownSuggestionOnce) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  for (FeedbackAction final_action :
       {FeedbackAction::kAccepted, FeedbackAction::kIgnored}) {
    FeedbackRow row = Row("a.x", FeedbackAction::kShown);
    ASSERT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
    row.action = final_action;
    ASSERT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
  }
  ASSERT_EQ(*AppendAndWait(**store, Row("a.x", FeedbackAction::kRejected)),
            Outcome::kInserted);
  ASSERT_EQ(*AppendAndWait(**store, Row("a.x", FeedbackAction::kShown)),
            Outcome::kInserted);
  FeedbackRow own;
  own.action = FeedbackAction::kOwnReply;
  own.suggestion.intent = "urge_shipment";
  own.final_text = "亲，我去问问仓库";
  own.feedback_at_ms = 2000;
  ASSERT_EQ(*AppendAndWait(**store, own), Outcome::kInserted);
  (*store)->Close();
  Result<learn::Report> report = learn::BuildReport(db().string(), {}, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->templates.size(), 1u);
  const learn::ActionCounts& a = report->templates[0].counts;
  EXPECT_EQ(report->templates[0].template_id, "a.x");
  EXPECT_EQ(a.shown, 4);
  EXPECT_EQ(a.accepted, 1);
  EXPECT_EQ(a.ignored, 1);
  EXPECT_EQ(a.rejected, 1);
  EXPECT_EQ(a.edited, 0);
  ASSERT_EQ(report->intents.size(), 1u);
  EXPECT_EQ(report->intents[0].intent, "urge_shipment");
  EXPECT_EQ(report->intents[0].own_replies, 1);
}

TEST_F(FeedbackStoreTest,
       AKeyReusedForOtherFeedbackIsAConflictAndStoresNothing) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  const FeedbackRow row = KeyedRow("key-reused-by-a-buggy-client");
  ASSERT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
  FeedbackRow other_action = row;
  other_action.action = FeedbackAction::kRejected;
  other_action.final_text.reset();
  FeedbackRow other_text = row;
  other_text.action = FeedbackAction::kEdited;
  other_text.final_text = "改了";
  FeedbackRow other_suggestion = row;
  other_suggestion.suggestion_id = SuggestionId::Random().ToHex();
  for (const FeedbackRow& r : {other_action, other_text, other_suggestion}) {
    EXPECT_EQ(*AppendAndWait(**store, r), Outcome::kKeyConflict);
  }
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0], "1");
}

TEST_F(FeedbackStoreTest,
       AResendWaitingBehindItsOriginalIsAnsweredAfterTheCommit) {
  auto store =
      FeedbackStore::Open({.path = db().string(), .busy_timeout_ms = 10'000});
  ASSERT_TRUE(store.ok());
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const FeedbackRow row = KeyedRow("resent-while-committing-0001");
  std::mutex mu;
  std::vector<Outcome> outcomes;
  for (int i = 0; i < 3; ++i) {
    (*store)->Append(row, [&](const Result<Outcome>& r) {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      // Each answer comes after the commit: the row is in the file.
      EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0], "1");
      std::lock_guard<std::mutex> lock(mu);
      outcomes.push_back(*r);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(outcomes.empty()) << "answered before the commit";
  }
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  (*store)->Close();
  std::sort(outcomes.begin(), outcomes.end());
  EXPECT_EQ(outcomes,
            (std::vector<Outcome>{Outcome::kInserted, Outcome::kDuplicate,
                                  Outcome::kDuplicate}));
}

TEST_F(FeedbackStoreTest, FindResendLooksUpTheKeyAndStoresNothing) {
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(store.ok());
  FeedbackRow row = Row("a.x", FeedbackAction::kEdited);
  row.key = "find-me-by-my-key-0001";
  ASSERT_TRUE(AppendAndWait(**store, row).ok());
  const auto find = [&](FeedbackRow r) {
    std::promise<Result<Outcome>> done;
    (*store)->FindResend(std::move(r), [&](const Result<Outcome>& found) {
      done.set_value(found);
    });
    return done.get_future().get();
  };
  // The same feedback: a resend. Other feedback under the key: a conflict.
  EXPECT_EQ(*find(row), Outcome::kDuplicate);
  FeedbackRow other = row;
  other.final_text = "又改了";
  EXPECT_EQ(*find(other), Outcome::kKeyConflict);
  FeedbackRow unknown = Row("a.x", FeedbackAction::kAccepted);
  unknown.key = "not-stored-anywhere-0001";
  EXPECT_EQ(*find(unknown), Outcome::kNotStored);
  // A look-up stores nothing, whatever it finds.
  (*store)->Close();
  EXPECT_EQ(QueryDb(db(), "SELECT action FROM feedback"),
            (std::vector<std::vector<std::string>>{{"edited"}}));
}

TEST(SameFeedbackTest, ComparesSuggestionActionAndTheTextSent) {
  const StoredFeedback accepted{.suggestion_id = "s1",
                                .action = FeedbackAction::kAccepted,
                                .final_text = "亲，马上发货",
                                .suggested_text = "亲，马上发货"};
  // A plain `accepted` (no final_text) stored the suggestion's text.
  EXPECT_TRUE(
      SameFeedback(accepted, "s1", FeedbackAction::kAccepted, std::nullopt));
  EXPECT_TRUE(
      SameFeedback(accepted, "s1", FeedbackAction::kAccepted, "亲，马上发货"));
  EXPECT_FALSE(
      SameFeedback(accepted, "s2", FeedbackAction::kAccepted, std::nullopt));
  EXPECT_FALSE(
      SameFeedback(accepted, "s1", FeedbackAction::kRejected, std::nullopt));
  EXPECT_FALSE(SameFeedback(accepted, "s1", FeedbackAction::kAccepted, "别的"));
  const StoredFeedback rejected{.suggestion_id = "s1",
                                .action = FeedbackAction::kRejected,
                                .final_text = std::nullopt,
                                .suggested_text = "亲，马上发货"};
  EXPECT_TRUE(
      SameFeedback(rejected, "s1", FeedbackAction::kRejected, std::nullopt));
  EXPECT_FALSE(SameFeedback(rejected, "s1", FeedbackAction::kRejected, "理由"));
  // A plain `accepted` stored by a server that did not make the suggestion
  // (no text known): a plain `accepted` resent is the same feedback, one
  // with a text of its own is not.
  const StoredFeedback accepted_elsewhere{.suggestion_id = "s1",
                                          .action = FeedbackAction::kAccepted,
                                          .final_text = std::nullopt,
                                          .suggested_text = ""};
  EXPECT_TRUE(SameFeedback(accepted_elsewhere, "s1", FeedbackAction::kAccepted,
                           std::nullopt));
  EXPECT_FALSE(SameFeedback(accepted_elsewhere, "s1", FeedbackAction::kAccepted,
                            "亲，马上发货"));
  // An edit stored as the suggestion's text is still no plain `accepted`.
  const StoredFeedback edited{.suggestion_id = "s1",
                              .action = FeedbackAction::kAccepted,
                              .final_text = "改了",
                              .suggested_text = "亲，马上发货"};
  EXPECT_FALSE(
      SameFeedback(edited, "s1", FeedbackAction::kAccepted, std::nullopt));
}

TEST(FinalTextToStoreTest, APlainAcceptStoresTheSuggestionsTextWhenKnown) {
  FeedbackRow row = Row("a.x", FeedbackAction::kAccepted);
  EXPECT_EQ(FinalTextToStore(row), "亲，马上发货");
  row.final_text = "亲，改过的";
  EXPECT_EQ(FinalTextToStore(row), "亲，改过的");
  row.final_text.reset();
  row.suggestion.text.clear();  // made by another server
  EXPECT_EQ(FinalTextToStore(row), std::nullopt);
  EXPECT_EQ(FinalTextToStore(Row("a.x", FeedbackAction::kRejected)),
            std::nullopt);
}

}  // namespace
}  // namespace reply::server

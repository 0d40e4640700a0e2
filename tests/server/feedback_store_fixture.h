// The feedback store tests' fixture and rows: a temporary directory for
// the SQLite file, a row about a suggestion, and appending that waits for
// the outcome. Shared by feedback_store_test.cc and
// feedback_store_schema_test.cc.
#ifndef REPLY_TESTS_SERVER_FEEDBACK_STORE_FIXTURE_H_
#define REPLY_TESTS_SERVER_FEEDBACK_STORE_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>

#include "server/feedback_store.h"
#include "tests/server/server_harness.h"

namespace reply::testing {

using server::FeedbackAction;
using server::FeedbackRow;
using server::FeedbackStore;
using server::SuggestionId;

// Feedback `action` on a new suggestion of `template_id` (an edit with its
// final text).
inline FeedbackRow Row(const std::string& template_id, FeedbackAction action) {
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

using Outcome = FeedbackStore::Outcome;

// Appends and waits for the row's outcome.
inline Result<Outcome> AppendAndWait(FeedbackStore& store, FeedbackRow row) {
  std::promise<Result<Outcome>> done;
  store.Append(std::move(row),
               [&](const Result<Outcome>& r) { done.set_value(r); });
  return done.get_future().get();
}

// A plain accept sent with the idempotency key `key`.
inline FeedbackRow KeyedRow(const std::string& key) {
  FeedbackRow row = Row("a.x", FeedbackAction::kAccepted);
  row.key = key;
  return row;
}

class FeedbackStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("store"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path db() const { return dir_ / "feedback.db"; }

  std::filesystem::path dir_;
};

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_FEEDBACK_STORE_FIXTURE_H_

// Feedback frames against a real server on an ephemeral port with a real
// Beast client and a real SQLite file: acknowledged only once committed,
// stored once however often resent (by key, from any connection, across a
// restart), one final action per suggestion, own replies, and an internal
// error, never an ack, when the commit fails.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class FeedbackMessagesTest : public ServerTestBase {};

TEST_F(FeedbackMessagesTest, FeedbackIsAcknowledgedAndStoredWithItsSuggestion) {
  Start(Config());
  auto client = Connect();
  const json answer = Ask(*client, SuggestFrame("r1"));
  ASSERT_GE(answer["suggestions"].size(), 2u);
  const json& first = answer["suggestions"][0];
  const json& second = answer["suggestions"][1];

  const json ack1 = Ask(*client, {{"type", "feedback"},
                                  {"id", "f1"},
                                  {"suggestion_id", first["suggestion_id"]},
                                  {"action", "accepted"}});
  EXPECT_EQ(ack1, json({{"type", "ack"}, {"id", "f1"}}));
  const json ack2 = Ask(*client, {{"type", "feedback"},
                                  {"id", "f2"},
                                  {"suggestion_id", second["suggestion_id"]},
                                  {"action", "edited"},
                                  {"final_text", "亲，已为您加急发货"}});
  EXPECT_EQ(ack2["type"], "ack");
  const json later = Ask(*client, SuggestFrame("r2"));
  ASSERT_FALSE(later["suggestions"].empty());
  const json ack3 =
      Ask(*client, {{"type", "feedback"},
                    {"id", "f3"},
                    {"suggestion_id", later["suggestions"][0]["suggestion_id"]},
                    {"action", "rejected"}});
  EXPECT_EQ(ack3["type"], "ack");

  // Acknowledged means committed: another connection to the file sees it.
  const auto rows = QueryDb(
      dir_ / "feedback.db",
      "SELECT suggestion_id, conversation_id, intent, template, pack_version, "
      "action, "
      "final_text, suggested_text, latency_us >= 0, suggested_at_ms > 0, "
      "feedback_at_ms >= suggested_at_ms FROM feedback ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], first["suggestion_id"]);
  EXPECT_EQ(rows[0][1], "c-42");
  EXPECT_EQ(rows[0][2], "urge_shipment");
  EXPECT_EQ(rows[0][3], first["template"]);
  EXPECT_EQ(rows[0][4], answer["pack_version"]);
  EXPECT_EQ(rows[0][5], "accepted");
  EXPECT_EQ(rows[0][6], first["text"])
      << "accepted as is: the final text is the suggestion";
  EXPECT_EQ(rows[0][7], first["text"]);
  EXPECT_EQ(rows[0][8], "1");
  EXPECT_EQ(rows[0][9], "1");
  EXPECT_EQ(rows[0][10], "1");
  EXPECT_EQ(rows[1][5], "edited");
  EXPECT_EQ(rows[1][6], "亲，已为您加急发货");
  EXPECT_EQ(rows[1][3], second["template"]);
  EXPECT_EQ(rows[2][5], "rejected");
  EXPECT_EQ(rows[2][6], "NULL");
}

// A suggestion takes one final action: the same one again is a resend
// (acknowledged, stored once, from any connection), another one is refused
// with already_answered. `shown` may come before it, once.
TEST_F(FeedbackMessagesTest, ASuggestionTakesOneFinalActionAndOneShown) {
  Start(Config());
  auto client = Connect();
  const json answer = Ask(*client, SuggestFrame("r1"));
  ASSERT_GE(answer["suggestions"].size(), 2u);
  const json sid = answer["suggestions"][0]["suggestion_id"];
  const auto feedback = [&](const std::string& id, const std::string& action) {
    json frame = {{"type", "feedback"},
                  {"id", id},
                  {"suggestion_id", sid},
                  {"action", action}};
    if (action == "edited") frame["final_text"] = "亲，改过的回复";
    return frame;
  };
  EXPECT_EQ(Ask(*client, feedback("s1", "shown"))["type"], "ack");
  EXPECT_EQ(Ask(*client, feedback("s2", "shown"))["type"], "ack");
  EXPECT_EQ(Ask(*client, feedback("f1", "edited"))["type"], "ack");
  auto other = Connect();
  EXPECT_EQ(Ask(*other, feedback("f2", "edited")),
            json({{"type", "ack"}, {"id", "f2"}}));
  for (const char* action : {"accepted", "rejected", "ignored"}) {
    const json refused = Ask(*client, feedback("f3", action));
    EXPECT_EQ(refused["code"], "already_answered") << action;
    EXPECT_EQ(refused["id"], "f3");
    EXPECT_EQ(refused["message"],
              "action: suggestion " + sid.get<std::string>() +
                  " already has another final action (a suggestion is "
                  "accepted, edited, rejected or ignored once); nothing was "
                  "stored");
  }
  // The same action with another text is other feedback.
  json edited_again = feedback("f4", "edited");
  edited_again["final_text"] = "亲，又改了一次";
  EXPECT_EQ(Ask(*client, edited_again)["code"], "already_answered");
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db",
              "SELECT action, COUNT(*) FROM feedback GROUP BY action "
              "ORDER BY action"),
      (std::vector<std::vector<std::string>>{{"edited", "1"}, {"shown", "1"}}));
  // The second suggestion, untouched, is still open.
  EXPECT_EQ(Ask(*client,
                {{"type", "feedback"},
                 {"id", "f5"},
                 {"suggestion_id", answer["suggestions"][1]["suggestion_id"]},
                 {"action", "ignored"}})["type"],
            "ack");
}

// What the agent typed instead: stored with the intent that was showing,
// without a suggestion.
TEST_F(FeedbackMessagesTest, OwnRepliesAreStoredWithTheIntentThatWasShowing) {
  Start(Config());
  auto client = Connect();
  EXPECT_EQ(Ask(*client, {{"type", "feedback"},
                          {"id", "o1"},
                          {"action", "own_reply"},
                          {"final_text", "亲，我帮您问一下仓库"},
                          {"intent", "urge_shipment"},
                          {"conversation_id", "c-7"}}),
            json({{"type", "ack"}, {"id", "o1"}}));
  EXPECT_EQ(Ask(*client, {{"type", "feedback"},
                          {"id", "o2"},
                          {"action", "own_reply"},
                          {"final_text", "在的亲"}})["type"],
            "ack");
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db",
              "SELECT action, suggestion_id, intent, template, final_text, "
              "conversation_id, suggested_text FROM feedback ORDER BY id"),
      (std::vector<std::vector<std::string>>{
          {"own_reply", "NULL", "urge_shipment", "NULL", "亲，我帮您问一下仓库",
           "c-7", "NULL"},
          {"own_reply", "NULL", "NULL", "NULL", "在的亲", "NULL", "NULL"}}));
  const json no_text = Ask(*client, {{"type", "feedback"},
                                     {"id", "o3"},
                                     {"action", "own_reply"},
                                     {"intent", "urge_shipment"}});
  EXPECT_EQ(no_text["code"], "bad_request");
  EXPECT_EQ(no_text["message"],
            "final_text: required when the action is \"own_reply\" (what the "
            "agent sent)");
}

TEST_F(FeedbackMessagesTest, FeedbackForAnUnknownSuggestionIsRefused) {
  Start(Config());
  auto client = Connect();
  const json answer = Ask(*client, {{"type", "feedback"},
                                    {"id", "f1"},
                                    {"suggestion_id", std::string(32, 'a')},
                                    {"action", "accepted"}});
  EXPECT_EQ(answer["type"], "error");
  // Well formed, but the server never made (or no longer remembers) the
  // suggestion: its own code, so a console can say a restart forgot it
  // rather than blame the request.
  EXPECT_EQ(answer["code"], "unknown_suggestion");
  EXPECT_NE(answer["message"].get<std::string>().find("suggestion_id"),
            std::string::npos);
  EXPECT_TRUE(QueryDb(dir_ / "feedback.db", "SELECT * FROM feedback").empty());
}

// SQLite's own lock makes the commit fail for real: the server answers
// `internal`, acknowledges nothing, and keeps serving.
TEST_F(FeedbackMessagesTest,
       FeedbackThatCannotBeCommittedIsAnInternalErrorNotAnAck) {
  Start(Config());
  auto client = Connect();
  const json answer = Ask(*client, SuggestFrame("r1"));
  const std::string sid = answer["suggestions"][0]["suggestion_id"];

  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "feedback.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const json failed = Ask(*client, {{"type", "feedback"},
                                    {"id", "f1"},
                                    {"suggestion_id", sid},
                                    {"action", "accepted"}});
  EXPECT_EQ(failed["type"], "error");
  EXPECT_EQ(failed["code"], "internal");
  EXPECT_EQ(failed["id"], "f1");
  EXPECT_NE(failed["message"].get<std::string>().find("not stored"),
            std::string::npos);
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);

  // Lock gone: the same feedback goes through.
  const json ack = Ask(*client, {{"type", "feedback"},
                                 {"id", "f2"},
                                 {"suggestion_id", sid},
                                 {"action", "accepted"}});
  EXPECT_EQ(ack["type"], "ack");
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db", "SELECT COUNT(*) FROM feedback")[0][0],
      "1");
}

TEST_F(FeedbackMessagesTest,
       FeedbackSentAgainWithItsKeyIsStoredOnceAndAckedEachTime) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  const std::string key = "resend-" + RandomHex();
  EXPECT_EQ(Ask(*client, FeedbackFrame("f1", sid, "accepted", key)),
            json({{"type", "ack"}, {"id", "f1"}}));
  // A resend, e.g. after a reconnect; on another connection too.
  EXPECT_EQ(Ask(*client, FeedbackFrame("f1", sid, "accepted", key))["type"],
            "ack");
  auto other = Connect();
  EXPECT_EQ(Ask(*other, FeedbackFrame("f9", sid, "accepted", key))["type"],
            "ack");
  // The same key for other feedback is a client bug: said, not stored.
  const json conflict = Ask(*client, FeedbackFrame("f2", sid, "rejected", key));
  EXPECT_EQ(conflict["code"], "conflict") << conflict;
  EXPECT_EQ(conflict["id"], "f2");
  EXPECT_NE(conflict["message"].get<std::string>().find(key),
            std::string::npos);
  EXPECT_EQ(QueryDb(dir_ / "feedback.db",
                    "SELECT COUNT(*), feedback_key FROM feedback GROUP BY 2"),
            (std::vector<std::vector<std::string>>{{"1", key}}));
  // A bad key is refused before anything is stored.
  const json bad = Ask(*client, FeedbackFrame("f3", sid, "accepted", "short"));
  EXPECT_EQ(bad["code"], "bad_request");
  // /metrics counts the feedback once.
  const std::string metrics = HttpGet(port_, "/metrics").body;
  EXPECT_NE(metrics.find("action=\"accepted\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("outcome=\"conflict\"} 1\n"), std::string::npos);
}

TEST_F(FeedbackMessagesTest,
       AResendWhileTheOriginalCommitsIsAckedOnlyAfterTheCommit) {
  auto config = Config();
  config.db_busy_timeout_ms = 10'000;
  Start(config);
  auto first = Connect();
  auto second = Connect();
  const std::string sid = SuggestionIds(*first).at(0);
  const std::string key = "racing-" + RandomHex();
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "feedback.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_FALSE(first->Send(FeedbackFrame("f1", sid, "accepted", key).dump()));
  ASSERT_FALSE(second->Send(FeedbackFrame("f1", sid, "accepted", key).dump()));
  // Nothing arrives while the commit cannot happen.
  std::this_thread::sleep_for(300ms);
  for (WsClient* c : {first.get(), second.get()}) {
    EXPECT_EQ(c->BytesAvailable(), 0u) << "acknowledged before the commit";
  }
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  for (WsClient* c : {first.get(), second.get()}) {
    std::optional<json> ack = c->Read();
    ASSERT_TRUE(ack);
    EXPECT_EQ(*ack, json({{"type", "ack"}, {"id", "f1"}}));
  }
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db", "SELECT COUNT(*) FROM feedback")[0][0],
      "1");
}

// A restarted server remembers no suggestion from before, but the file
// does: a resend whose ack was lost in the restart is acknowledged.
TEST_F(FeedbackMessagesTest, AfterARestartAResendOfStoredFeedbackIsAcked) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  const std::string key = "before-restart-" + RandomHex();
  ASSERT_EQ(Ask(*client, FeedbackFrame("f1", sid, "accepted", key))["type"],
            "ack");
  const std::string sid2 = SuggestionIds(*client).at(0);
  json edited = FeedbackFrame("f2", sid2, "edited", "edited-" + RandomHex());
  edited["final_text"] = "亲，改过的";
  ASSERT_EQ(Ask(*client, edited)["type"], "ack");
  client.reset();
  server_.reset();

  Start(Config());
  auto again = Connect();
  EXPECT_EQ(Ask(*again, FeedbackFrame("f1", sid, "accepted", key)),
            json({{"type", "ack"}, {"id", "f1"}}));
  EXPECT_EQ(Ask(*again, edited)["type"], "ack");
  EXPECT_EQ(Ask(*again, FeedbackFrame("f3", sid, "rejected", key))["code"],
            "conflict");
  edited["final_text"] = "别的";
  EXPECT_EQ(Ask(*again, edited)["code"], "conflict");
  // Feedback never stored cannot be rebuilt without its suggestion.
  const json lost = Ask(*again, FeedbackFrame("f4", sid, "accepted",
                                              "never-stored-" + RandomHex()));
  EXPECT_EQ(lost["code"], "unknown_suggestion");
  EXPECT_NE(lost["message"].get<std::string>().find("restarted"),
            std::string::npos)
      << lost;
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db", "SELECT COUNT(*) FROM feedback")[0][0],
      "2");
}

}  // namespace
}  // namespace reply::testing

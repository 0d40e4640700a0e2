// Every message type and every error code of the protocol, against a real
// server on an ephemeral port with a real Beast client.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "engine/pack/pack_loader.h"
#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class MessagesTest : public ServerTestBase {};

TEST_F(MessagesTest, SuggestAnswersWithIntentsAndIdentifiedSuggestions) {
  Start(Config());
  auto client = Connect();
  const json answer = Ask(*client, SuggestFrame("r1"));
  EXPECT_EQ(answer["type"], "suggestions");
  EXPECT_EQ(answer["id"], "r1");
  EXPECT_EQ(answer["normalized"], "怎么还不发货");
  EXPECT_EQ(answer["script"], "Hans");
  ASSERT_FALSE(answer["intents"].empty());
  EXPECT_EQ(answer["intents"][0]["name"], "urge_shipment");
  EXPECT_NE(
      answer["intents"][0]["pattern"].get<std::string>().find("intents/zh/"),
      std::string::npos);
  ASSERT_FALSE(answer["suggestions"].empty());
  std::set<std::string> ids;
  for (const json& s : answer["suggestions"]) {
    const std::string id = s["suggestion_id"];
    // A signed id (server/suggestion_signer.h): "s1.", base64url, ".".
    EXPECT_EQ(id.rfind("s1.", 0), 0u) << id;
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                   "OPQRSTUVWXYZ0123456789-_."),
              std::string::npos)
        << id;
    ids.insert(id);
    EXPECT_EQ(s["intent"], "urge_shipment");
    EXPECT_EQ(s["template"].get<std::string>().rfind("urge_shipment.", 0), 0u);
    EXPECT_FALSE(s["text"].get<std::string>().empty());
    EXPECT_TRUE(s["handoff"].is_boolean());
  }
  EXPECT_EQ(ids.size(), answer["suggestions"].size())
      << "suggestion ids repeat";
  EXPECT_TRUE(answer["elapsed_us"].is_number_integer());

  // The same message again: new suggestion ids (every send is its own).
  const json again = Ask(*client, SuggestFrame("r2"));
  ASSERT_FALSE(again["suggestions"].empty());
  EXPECT_FALSE(ids.count(again["suggestions"][0]["suggestion_id"]));
}

TEST_F(MessagesTest, SuggestAnswerMatchesTheEngine) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("r1", "发货太慢了，到底什么时候发");
  const json answer = Ask(*client, frame);
  frame.erase("type");
  frame.erase("id");
  frame.erase("conversation_id");
  std::vector<PackIssue> issues;
  auto engine = Engine::Open({.pack_dir = SourceDir().string()}, &issues);
  ASSERT_TRUE(engine.ok());
  const json direct = json::parse((*engine)->SuggestJson(frame.dump()));
  ASSERT_EQ(answer["suggestions"].size(), direct["suggestions"].size());
  for (size_t i = 0; i < direct["suggestions"].size(); ++i) {
    EXPECT_EQ(answer["suggestions"][i]["template"],
              direct["suggestions"][i]["template"]);
    EXPECT_EQ(answer["suggestions"][i]["text"],
              direct["suggestions"][i]["text"]);
  }
  EXPECT_EQ(answer["intents"], direct["intents"]);
}

// The server's own fields (type, id, conversation_id) are known; their near
// misses and unknown order fields come back as warnings, whichever decoder
// (the fast path or the JSON tree) read the frame.
TEST_F(MessagesTest, UnknownOrderFieldsAndNearMissesComeBackAsWarnings) {
  Start(Config());
  auto client = Connect();
  const json plain = Ask(*client, SuggestFrame("r0"));
  EXPECT_FALSE(plain.contains("warnings")) << plain.dump();
  json frame = SuggestFrame("r1");
  frame["conversationId"] = "c-42";
  frame["order"] = {{"status", "paid"},
                    {"paidAt", "2026-11-20T10:00:00+08:00"}};
  const json answer = Ask(*client, frame);
  EXPECT_EQ(answer["type"], "suggestions") << answer.dump();
  EXPECT_EQ(answer["warnings"],
            json::array({"conversationId: unknown field, ignored (did you "
                         "mean 'conversation_id'?)",
                         "order.paidAt: unknown field, ignored (did you mean "
                         "'paid_at'?)"}));
}

TEST_F(MessagesTest, ImpossibleTimelinesAreRefusedNamingTheField) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("r1");
  frame["now"] = "2026-11-23T10:00:00+08:00";
  frame["order"] = {{"paid_at", "2026-11-20T10:00:00+08:00"},
                    {"shipped_at", "2026-11-19T10:00:00+08:00"}};
  const json shipped_early = Ask(*client, frame);
  EXPECT_EQ(shipped_early["code"], "bad_order");
  EXPECT_EQ(shipped_early["id"], "r1");
  EXPECT_EQ(shipped_early["message"].get<std::string>().rfind(
                "order.shipped_at: 2026-11-19T02:00:00Z is before "
                "order.paid_at",
                0),
            0u)
      << shipped_early.dump();
  frame["id"] = "r2";
  frame["order"] = {{"paid_at", "2027-11-20T10:00:00+08:00"}};
  const json paid_next_year = Ask(*client, frame);
  EXPECT_EQ(paid_next_year["code"], "bad_order");
  EXPECT_EQ(paid_next_year["message"].get<std::string>().rfind(
                "order.paid_at: 2027-11-20T02:00:00Z is in the future", 0),
            0u)
      << paid_next_year.dump();
}

// A conversation: the same urging a third time is answered with the third
// level of the escalation, and a follow-up continues the topic.
TEST_F(MessagesTest, SuggestWithHistoryEscalatesAndFollowsUp) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("r1", "到底什么时候发货");
  frame["history"] = json::parse(R"([
      {"role": "buyer", "text": "怎么还不发货", "at": "2026-11-23T08:00:00+08:00"},
      {"role": "agent", "text": "亲，已经为您加急了", "template": "urge_shipment.overdue_wait"},
      {"role": "buyer", "text": "还没发吗"},
      {"role": "agent", "text": "亲，真的抱歉", "template": "urge_shipment.second_ask_overdue"}])");
  const json answer = Ask(*client, frame);
  ASSERT_EQ(answer["type"], "suggestions") << answer.dump();
  ASSERT_FALSE(answer["suggestions"].empty());
  EXPECT_EQ(answer["suggestions"][0]["template"],
            "urge_shipment.third_ask_options");

  json follow = SuggestFrame("r2", "那还要多久");
  follow["history"] = json::parse(R"([
      {"role": "buyer", "text": "怎么还不发货"},
      {"role": "agent", "text": "亲，已经为您加急了", "template": "urge_shipment.overdue_wait"}])");
  const json followed = Ask(*client, follow);
  ASSERT_EQ(followed["intents"].size(), 1u) << followed.dump();
  EXPECT_EQ(followed["intents"][0]["name"], "urge_shipment");
  EXPECT_EQ(followed["intents"][0]["asked"], "follow_up");
  EXPECT_EQ(followed["intents"][0]["resolved_by"], "follow_up");
}

TEST_F(MessagesTest, TriggerSuggestsFromTheOrderAlone) {
  // The bundled packs carry proactive intents (intents/zh/proactive.yaml).
  Start(Config());
  auto client = Connect();
  const json answer =
      Ask(*client, {{"type", "trigger"},
                    {"id", "t1"},
                    {"order", {{"status", "paid"}, {"stock", "out_of_stock"}}},
                    {"now", "2026-11-23T10:00:00+08:00"}});
  EXPECT_EQ(answer["type"], "suggestions");
  EXPECT_EQ(answer["id"], "t1");
  ASSERT_EQ(answer["suggestions"].size(), 1u);
  EXPECT_EQ(answer["intents"][0]["name"], "notify_out_of_stock");
  EXPECT_EQ(answer["suggestions"][0]["intent"], "notify_out_of_stock");
  EXPECT_EQ(answer["suggestions"][0]["suggestion_id"].get<std::string>().rfind(
                "s1.", 0),
            0u);

  // In stock: the trigger does not fire.
  const json quiet =
      Ask(*client, {{"type", "trigger"},
                    {"id", "t2"},
                    {"order", {{"status", "paid"}, {"stock", "in_stock"}}}});
  EXPECT_EQ(quiet["type"], "suggestions");
  EXPECT_TRUE(quiet["suggestions"].empty());

  // A trigger needs an order and carries no message.
  const json no_order = Ask(*client, {{"type", "trigger"}, {"id", "t3"}});
  EXPECT_EQ(no_order["code"], "bad_request");
  EXPECT_EQ(no_order["id"], "t3");
  const json with_message = Ask(*client, {{"type", "trigger"},
                                          {"id", "t4"},
                                          {"message", "在吗"},
                                          {"order", {{"status", "paid"}}}});
  EXPECT_EQ(with_message["code"], "bad_request");
}

TEST_F(MessagesTest, FeedbackIsAcknowledgedAndStoredWithItsSuggestion) {
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
TEST_F(MessagesTest, ASuggestionTakesOneFinalActionAndOneShown) {
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
TEST_F(MessagesTest, OwnRepliesAreStoredWithTheIntentThatWasShowing) {
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

TEST_F(MessagesTest, FeedbackForAnUnknownSuggestionIsRefused) {
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

TEST_F(MessagesTest, ReloadNeedsTheAdminToken) {
  auto config = Config();
  config.admin_token = "admin-secret";
  config.tokens = {"shop-secret"};
  Start(config);
  auto shop = Connect({{"Authorization", "Bearer shop-secret"}});
  const json refused = Ask(*shop, {{"type", "reload"}, {"id", "x1"}});
  EXPECT_EQ(refused["type"], "error");
  EXPECT_EQ(refused["code"], "unauthorized");
  EXPECT_EQ(refused["id"], "x1");

  auto admin = Connect({{"Authorization", "Bearer admin-secret"}});
  const json ack = Ask(*admin, {{"type", "reload"}, {"id", "x2"}});
  EXPECT_EQ(ack, json({{"type", "ack"}, {"id", "x2"}}));
  // The admin may also suggest.
  EXPECT_EQ(Ask(*admin, SuggestFrame("r1"))["type"], "suggestions");
}

struct BadFrame {
  const char* name;
  std::string frame;
  const char* code;
  const char* id;        // echoed id; "" for none
  const char* mentions;  // the message names this
};

TEST_F(MessagesTest, MalformedFramesGetAnErrorAndTheConnectionStaysOpen) {
  Start(Config());
  auto client = Connect();
  const std::string big_message(Request::kMaxMessageBytes + 1, 'a');
  const std::vector<BadFrame> cases = {
      {"not json", "{\"type\": \"suggest\",", "bad_request", "", "JSON"},
      {"not an object", "[1, 2]", "bad_request", "", "object"},
      {"no id", R"({"type":"suggest","message":"在吗"})", "bad_request", "",
       "id"},
      {"id not a string", R"({"type":"suggest","id":7,"message":"在吗"})",
       "bad_request", "", "id"},
      // Was accepted and answered with "id": "", while an error for the
      // same frame echoed null (found by fuzz/frame_fuzzer.cc).
      {"empty id", R"({"type":"suggest","id":"","message":"在吗"})",
       "bad_request", "", "id: empty"},
      {"id too long",
       json{{"type", "suggest"}, {"id", std::string(200, 'x')}}.dump(),
       "too_large", "", "id"},
      {"unknown type", R"({"type":"hello","id":"a1"})", "bad_request", "a1",
       "type"},
      {"no message", R"({"type":"suggest","id":"a2"})", "bad_request", "a2",
       "message"},
      {"message not a string", R"({"type":"suggest","id":"a3","message":5})",
       "bad_request", "a3", "message"},
      {"max out of range",
       R"({"type":"suggest","id":"a4","message":"在吗","max":99})",
       "bad_request", "a4", "max"},
      {"bad now",
       R"({"type":"suggest","id":"a5","message":"在吗","now":"yesterday"})",
       "bad_request", "a5", "now"},
      {"bad order",
       R"({"type":"suggest","id":"a6","message":"在吗","order":{"amount":"x"}})",
       "bad_order", "a6", "order.amount"},
      {"bad order status",
       R"({"type":"suggest","id":"a7","message":"在吗","order":{"status":"lost"}})",
       "bad_order", "a7", "order.status"},
      // nlohmann refuses a number beyond a double while parsing; the id
      // read before it is still echoed, and the message names the field.
      {"a number beyond a double",
       R"({"type":"suggest","id":"a10","message":"在吗","order":{"amount":1e400}})",
       "bad_request", "a10",
       "order.amount: 1e400 is out of range for a number"},
      {"max beyond a double",
       R"({"type":"suggest","id":"a11","message":"在吗","max":-1e400})",
       "bad_request", "a11", "max: -1e400 is out of range for a number"},
      {"max not an integer",
       R"({"type":"suggest","id":"a12","message":"在吗","max":1e300})",
       "bad_request", "a12", "max: expected an integer"},
      {"message too large",
       json{{"type", "suggest"}, {"id", "a8"}, {"message", big_message}}.dump(),
       "too_large", "a8", "message"},
      {"conversation id too large",
       json{{"type", "suggest"},
            {"id", "a9"},
            {"message", "在吗"},
            {"conversation_id", std::string(300, 'c')}}
           .dump(),
       "too_large", "a9", "conversation_id"},
      {"history turn with a wrong role",
       R"({"type":"suggest","id":"h1","message":"在吗","history":[{"role":"buyer","text":"a"},{"role":"bot","text":"b"}]})",
       "bad_request", "h1", "history[1].role: expected \"buyer\""},
      {"history of too many turns",
       [] {
         json turns = json::array();
         for (int i = 0; i < 2000; ++i)
           turns.push_back({{"role", "buyer"}, {"text", "a"}});
         return json{{"type", "suggest"},
                     {"id", "h2"},
                     {"message", "在吗"},
                     {"history", turns}}
             .dump();
       }(),
       "bad_request", "h2", "history: 2000 turns; the limit is 20"},
      {"history turn text over the limit",
       json{{"type", "suggest"},
            {"id", "h3"},
            {"message", "在吗"},
            {"history", {{{"role", "buyer"}, {"text", big_message}}}}}
           .dump(),
       "bad_request", "h3", "history[0].text: 8193 bytes"},
      // (Invalid UTF-8 cannot reach the decoder: the WebSocket layer closes
      // a text frame that is not UTF-8 with 1007; engine_test covers it.)
      {"history turn template not a string",
       R"({"type":"suggest","id":"h4","message":"在吗","history":[{"role":"agent","text":"a","template":1}]})",
       "bad_request", "h4", "history[0].template: expected a string"},
      {"history not an array",
       R"({"type":"suggest","id":"h5","message":"在吗","history":{"role":"buyer"}})",
       "bad_request", "h5", "history: expected an array"},
      {"history turn text not a string",
       R"({"type":"suggest","id":"h6","message":"在吗","history":[{"role":"buyer","text":5}]})",
       "bad_request", "h6", "history[0].text: expected a string"},
      {"history turn at not a time",
       R"({"type":"suggest","id":"h7","message":"在吗","history":[{"role":"buyer","text":"a","at":"yesterday"}]})",
       "bad_request", "h7", "history[0].at"},
      {"feedback without suggestion id",
       R"({"type":"feedback","id":"b1","action":"accepted"})", "bad_request",
       "b1", "suggestion_id"},
      {"feedback with a malformed id",
       R"({"type":"feedback","id":"b2","suggestion_id":"xyz","action":"accepted"})",
       "bad_request", "b2", "suggestion_id"},
      {"feedback with an unknown action",
       json{{"type", "feedback"},
            {"id", "b3"},
            {"suggestion_id", std::string(32, 'f')},
            {"action", "liked"}}
           .dump(),
       "bad_request", "b3", "action"},
      {"edited without final text",
       json{{"type", "feedback"},
            {"id", "b4"},
            {"suggestion_id", std::string(32, 'f')},
            {"action", "edited"}}
           .dump(),
       "bad_request", "b4", "final_text"},
      {"final text too large",
       json{{"type", "feedback"},
            {"id", "b5"},
            {"suggestion_id", std::string(32, 'f')},
            {"action", "edited"},
            {"final_text", std::string(20000, 'x')}}
           .dump(),
       "too_large", "b5", "final_text"},
  };
  for (const BadFrame& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_FALSE(client->Send(c.frame));
    std::optional<json> answer = client->Read();
    ASSERT_TRUE(answer) << client->last_error().message();
    EXPECT_EQ((*answer)["type"], "error");
    EXPECT_EQ((*answer)["code"], c.code);
    if (*c.id) {
      EXPECT_EQ((*answer)["id"], c.id);
    } else {
      EXPECT_TRUE((*answer)["id"].is_null());
    }
    EXPECT_NE((*answer)["message"].get<std::string>().find(c.mentions),
              std::string::npos)
        << (*answer)["message"];
    // The connection survives, and the next good request is answered.
    EXPECT_EQ(Ask(*client, SuggestFrame("ok"))["type"], "suggestions");
  }
}

// explain: the suggest fields answered with why (the console's why
// panel): the words matched, the variant's rule, the arithmetic of the
// compensation; and with `gloss`, a Vietnamese reply in Chinese.
TEST_F(MessagesTest, ExplainAnswersWhyAndGlossesAnotherLocale) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("x1");
  frame["type"] = "explain";
  const json answer = Ask(*client, frame);
  ASSERT_EQ(answer["type"], "explanation") << answer;
  EXPECT_EQ(answer["id"], "x1");
  const json& e = answer["explanation"];
  EXPECT_EQ(e["suggestions"][0]["template"], "urge_shipment.overdue_wait");
  EXPECT_FALSE(e["suggestions"][0].contains("suggestion_id"));
  bool matched = false;
  for (const json& p : e["patterns"]) {
    matched |=
        p["intent"] == "urge_shipment" && p.contains("span") &&
        p["span"]["text"].get<std::string>().find("发货") != std::string::npos;
  }
  EXPECT_TRUE(matched) << e["patterns"];
  ASSERT_EQ(e["amounts"].size(), 1u) << e;
  EXPECT_EQ(e["amounts"][0]["fact"], "compensation");
  EXPECT_DOUBLE_EQ(e["amounts"][0]["value"].get<double>(), 6.45);
  EXPECT_DOUBLE_EQ(e["amounts"][0]["amount"].get<double>(), 129);
  EXPECT_DOUBLE_EQ(e["amounts"][0]["rate"].get<double>(), 0.05);
  EXPECT_FALSE(e.contains("glosses")) << "no gloss asked for";

  frame = SuggestFrame("x2", "sao chưa giao hàng");
  frame["type"] = "explain";
  frame["gloss"] = "zh";
  const json vi = Ask(*client, frame);
  ASSERT_EQ(vi["type"], "explanation") << vi;
  const json& glosses = vi["explanation"]["glosses"];
  ASSERT_EQ(glosses.size(), vi["explanation"]["suggestions"].size());
  EXPECT_EQ(glosses[0]["template"], "urge_shipment.overdue_wait");
  EXPECT_EQ(glosses[0]["locale"], "zh");
  const std::string text = glosses[0]["text"].get<std::string>();
  EXPECT_NE(text.find("6.45"), std::string::npos) << text;
  EXPECT_EQ(text.find("{{"), std::string::npos) << text;

  frame["gloss"] = "fr";
  const json bad = Ask(*client, frame);
  EXPECT_EQ(bad["code"], "bad_request");
  EXPECT_NE(bad["message"].get<std::string>().find("gloss"), std::string::npos);
  // explain never makes a suggestion id, so nothing can be fed back on it;
  // the connection keeps serving.
  EXPECT_EQ(Ask(*client, SuggestFrame("ok"))["type"], "suggestions");
}

// explain without a message explains the order alone (a trigger): the
// facts the engine derives and the policy they are measured against, which
// a console's order panel shows before the buyer writes anything.
TEST_F(MessagesTest, ExplainWithoutAMessageExplainsTheOrder) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("o1");
  frame["type"] = "explain";
  frame.erase("message");
  const json answer = Ask(*client, frame);
  ASSERT_EQ(answer["type"], "explanation") << answer;
  const json& e = answer["explanation"];
  EXPECT_EQ(e["facts"]["overdue"], true) << e["facts"];
  EXPECT_GT(e["facts"]["hours_overdue"].get<double>(), 0) << e["facts"];
  EXPECT_TRUE(e["facts"]["ship_deadline"].is_string()) << e["facts"];
  EXPECT_DOUBLE_EQ(e["facts"]["compensation"].get<double>(), 6.45);
  EXPECT_EQ(e["policy"]["return_window_days"], 7);
  EXPECT_DOUBLE_EQ(e["policy"]["promise_ship_hours"].get<double>(), 48);
  // The proactive reply the order calls for is what it explains.
  ASSERT_FALSE(e["suggestions"].empty()) << e;
  EXPECT_EQ(e["suggestions"][0]["intent"], "notify_overdue");

  // A message that is null is still a missing message, not a trigger.
  frame["message"] = nullptr;
  EXPECT_EQ(Ask(*client, frame)["code"], "bad_request");
}

TEST_F(MessagesTest, BinaryFramesAreRefusedAndTheConnectionStaysOpen) {
  Start(Config());
  auto client = Connect();
  ASSERT_FALSE(client->Send(SuggestFrame("r1").dump(), /*binary=*/true));
  const std::optional<json> answer = client->Read();
  ASSERT_TRUE(answer);
  EXPECT_EQ((*answer)["code"], "bad_request");
  EXPECT_EQ(Ask(*client, SuggestFrame("r2"))["type"], "suggestions");
}

TEST_F(MessagesTest, PipelinedRequestsAreAllAnswered) {
  auto config = Config();
  config.rate_burst = 1000;  // 180 frames at once, far over the default burst
  Start(config);
  auto client = Connect();
  // Suggestions first, then feedback on them interleaved with more
  // suggestions: answers may come in any order but each id exactly once.
  constexpr int kRequests = 60;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_FALSE(client->Send(SuggestFrame(NumberedId("s", i)).dump()));
  }
  std::vector<std::string> suggestion_ids;
  std::set<std::string> seen;
  for (int i = 0; i < kRequests; ++i) {
    std::optional<json> answer = client->Read();
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["id"], "s" + std::to_string(i))
        << "suggest answers keep their order";
    suggestion_ids.push_back((*answer)["suggestions"][0]["suggestion_id"]);
  }
  std::set<std::string> expected;
  for (int i = 0; i < kRequests; ++i) {
    const std::string fid = "f" + std::to_string(i);
    const std::string sid = "t" + std::to_string(i);
    ASSERT_FALSE(client->Send(json{
        {"type", "feedback"},
        {"id", fid},
        {"suggestion_id", suggestion_ids[i]},
        {"action", "accepted"}}.dump()));
    ASSERT_FALSE(client->Send(SuggestFrame(sid).dump()));
    expected.insert(fid);
    expected.insert(sid);
  }
  while (seen.size() < expected.size()) {
    std::optional<json> answer = client->Read();
    ASSERT_TRUE(answer) << "missing answers: " << expected.size() - seen.size();
    const std::string id = (*answer)["id"];
    EXPECT_TRUE(seen.insert(id).second) << id << " answered twice";
    EXPECT_EQ((*answer)["type"], id[0] == 'f' ? "ack" : "suggestions")
        << *answer;
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db", "SELECT COUNT(*) FROM feedback")[0][0],
      std::to_string(kRequests));
}

// SQLite's own lock makes the commit fail for real: the server answers
// `internal`, acknowledges nothing, and keeps serving.
TEST_F(MessagesTest, FeedbackThatCannotBeCommittedIsAnInternalErrorNotAnAck) {
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

json Feedback(const std::string& id, const std::string& suggestion_id,
              const std::string& action, const std::string& key) {
  return {{"type", "feedback"},
          {"id", id},
          {"suggestion_id", suggestion_id},
          {"action", action},
          {"key", key}};
}

TEST_F(MessagesTest, FeedbackSentAgainWithItsKeyIsStoredOnceAndAckedEachTime) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  const std::string key = "resend-" + RandomHex();
  EXPECT_EQ(Ask(*client, Feedback("f1", sid, "accepted", key)),
            json({{"type", "ack"}, {"id", "f1"}}));
  // A resend, e.g. after a reconnect; on another connection too.
  EXPECT_EQ(Ask(*client, Feedback("f1", sid, "accepted", key))["type"], "ack");
  auto other = Connect();
  EXPECT_EQ(Ask(*other, Feedback("f9", sid, "accepted", key))["type"], "ack");
  // The same key for other feedback is a client bug: said, not stored.
  const json conflict = Ask(*client, Feedback("f2", sid, "rejected", key));
  EXPECT_EQ(conflict["code"], "conflict") << conflict;
  EXPECT_EQ(conflict["id"], "f2");
  EXPECT_NE(conflict["message"].get<std::string>().find(key),
            std::string::npos);
  EXPECT_EQ(QueryDb(dir_ / "feedback.db",
                    "SELECT COUNT(*), feedback_key FROM feedback GROUP BY 2"),
            (std::vector<std::vector<std::string>>{{"1", key}}));
  // A bad key is refused before anything is stored.
  const json bad = Ask(*client, Feedback("f3", sid, "accepted", "short"));
  EXPECT_EQ(bad["code"], "bad_request");
  // /metrics counts the feedback once.
  const std::string metrics = HttpGet(port_, "/metrics").body;
  EXPECT_NE(metrics.find("action=\"accepted\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("outcome=\"conflict\"} 1\n"), std::string::npos);
}

TEST_F(MessagesTest, AResendWhileTheOriginalCommitsIsAckedOnlyAfterTheCommit) {
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
  ASSERT_FALSE(first->Send(Feedback("f1", sid, "accepted", key).dump()));
  ASSERT_FALSE(second->Send(Feedback("f1", sid, "accepted", key).dump()));
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
TEST_F(MessagesTest, AfterARestartAResendOfStoredFeedbackIsAcked) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  const std::string key = "before-restart-" + RandomHex();
  ASSERT_EQ(Ask(*client, Feedback("f1", sid, "accepted", key))["type"], "ack");
  const std::string sid2 = SuggestionIds(*client).at(0);
  json edited = Feedback("f2", sid2, "edited", "edited-" + RandomHex());
  edited["final_text"] = "亲，改过的";
  ASSERT_EQ(Ask(*client, edited)["type"], "ack");
  client.reset();
  server_.reset();

  Start(Config());
  auto again = Connect();
  EXPECT_EQ(Ask(*again, Feedback("f1", sid, "accepted", key)),
            json({{"type", "ack"}, {"id", "f1"}}));
  EXPECT_EQ(Ask(*again, edited)["type"], "ack");
  EXPECT_EQ(Ask(*again, Feedback("f3", sid, "rejected", key))["code"],
            "conflict");
  edited["final_text"] = "别的";
  EXPECT_EQ(Ask(*again, edited)["code"], "conflict");
  // Feedback never stored cannot be rebuilt without its suggestion.
  const json lost = Ask(
      *again, Feedback("f4", sid, "accepted", "never-stored-" + RandomHex()));
  EXPECT_EQ(lost["code"], "unknown_suggestion");
  EXPECT_NE(lost["message"].get<std::string>().find("restarted"),
            std::string::npos)
      << lost;
  EXPECT_EQ(
      QueryDb(dir_ / "feedback.db", "SELECT COUNT(*) FROM feedback")[0][0],
      "2");
}

TEST_F(MessagesTest, DoneSendingGetsEveryAnswerThenANormalClose) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  ASSERT_FALSE(client->Send(SuggestFrame("s1").dump()));
  ASSERT_FALSE(client->Send(
      Feedback("f1", sid, "accepted", "done-" + RandomHex()).dump()));
  ASSERT_FALSE(client->Send(R"({"type":"done_sending","id":"d1"})"));
  const Drained drained = ReadUntilClosed(*client, false);
  EXPECT_FALSE(drained.notice);
  EXPECT_EQ(drained.answers.size(), 2u)
      << "done_sending itself is not answered";
  EXPECT_EQ(drained.answers.at("s1")["type"], "suggestions");
  EXPECT_EQ(drained.answers.at("f1")["type"], "ack");
  EXPECT_EQ(drained.close_code, 1000);
}

}  // namespace
}  // namespace reply::testing

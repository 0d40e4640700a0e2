// The protocol's suggest, trigger and reload frames and every error code,
// against a real server on an ephemeral port with a real Beast client.
// Feedback frames: server_feedback_test.cc; explain: server_explain_test.cc.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

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

TEST_F(MessagesTest, DoneSendingGetsEveryAnswerThenANormalClose) {
  Start(Config());
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  ASSERT_FALSE(client->Send(SuggestFrame("s1").dump()));
  ASSERT_FALSE(client->Send(
      FeedbackFrame("f1", sid, "accepted", "done-" + RandomHex()).dump()));
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

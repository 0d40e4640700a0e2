// The frame codec on its own: what each frame decodes to, and the exact
// shape of what the server sends.
#include "server/protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/test_util.h"

namespace reply::server {
namespace {

using nlohmann::json;

TEST(ProtocolTest, DecodesASuggestRequest) {
  const DecodedFrame f = DecodeFrame(
      R"({"type":"suggest","id":"r1","message":"怎么还不发货","locale":"zh","max":2,)"
      R"("conversation_id":"c-42","now":"2026-11-23T10:00:00+08:00",)"
      R"("order":{"status":"paid"},"trigger":true})");
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.id, "r1");
  EXPECT_EQ(f.type, MessageType::kSuggest);
  EXPECT_EQ(f.message.request.message, "怎么还不发货");
  EXPECT_EQ(f.message.request.locale, "zh");
  EXPECT_EQ(f.message.request.max, 2);
  EXPECT_TRUE(f.message.request.now.has_value());
  ASSERT_TRUE(f.message.request.order.has_value());
  EXPECT_FALSE(f.message.request.trigger) << "the type decides, not a field";
  EXPECT_EQ(f.message.conversation_id, "c-42");
}

TEST(ProtocolTest, DecodesATriggerRequest) {
  const DecodedFrame f =
      DecodeFrame(R"({"type":"trigger","id":"r2","order":{}})");
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.type, MessageType::kTrigger);
  EXPECT_TRUE(f.message.request.trigger);
  EXPECT_TRUE(f.message.request.message.empty());
}

TEST(ProtocolTest, DecodesFeedback) {
  const SuggestionId id = SuggestionId::Random();
  const DecodedFrame f = DecodeFrame(json{
      {"type", "feedback"},
      {"id", "r3"},
      {"suggestion_id", id.ToHex()},
      {"action", "edited"},
      {"final_text", "好的"}}.dump());
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.message.suggestion_id, id.ToHex());
  EXPECT_EQ(f.message.action, FeedbackAction::kEdited);
  EXPECT_EQ(f.message.final_text, "好的");

  const DecodedFrame rejected = DecodeFrame(json{
      {"type", "feedback"},
      {"id", "r4"},
      {"suggestion_id", id.ToHex()},
      {"action", "rejected"},
      {"final_text", nullptr}}.dump());
  ASSERT_FALSE(rejected.error);
  EXPECT_EQ(rejected.message.action, FeedbackAction::kRejected);
  EXPECT_FALSE(rejected.message.final_text.has_value());
}

TEST(ProtocolTest, DecodesAFeedbackKeyWithinItsLimits) {
  const std::string sid = SuggestionId::Random().ToHex();
  const auto decode = [&](const json& key) {
    return DecodeFrame(json{
        {"type", "feedback"},
        {"id", "r3"},
        {"suggestion_id", sid},
        {"action", "accepted"},
        {"key", key}}.dump());
  };
  const DecodedFrame uuid = decode("3b241101-e2bb-4255-8caf-4136c566a962");
  ASSERT_FALSE(uuid.error) << uuid.error->message;
  EXPECT_EQ(uuid.message.key, "3b241101-e2bb-4255-8caf-4136c566a962");
  EXPECT_FALSE(decode(nullptr).message.key.has_value()) << "null: no key";
  EXPECT_FALSE(decode(nullptr).error);
  EXPECT_FALSE(decode(std::string(kMinFeedbackKeyBytes, 'a')).error);
  EXPECT_FALSE(decode("AZaz09-_.:AZaz09-_.:").error);
  EXPECT_FALSE(decode(std::string(kMaxFeedbackKeyBytes, 'a')).error);
  for (const json& bad :
       {json(std::string(kMinFeedbackKeyBytes - 1, 'a')),
        json(std::string(kMaxFeedbackKeyBytes + 1, 'a')),
        json("with a space in it!!"), json("ключ-ключ-ключ-ключ"),
        json("slash/slash/slash/slash"), json(1234567890123456789),
        json::array()}) {
    const DecodedFrame f = decode(bad);
    ASSERT_TRUE(f.error) << bad;
    EXPECT_EQ(f.error->code, ErrorCode::kBadRequest) << bad;
    EXPECT_TRUE(f.error->message.starts_with("key: ")) << f.error->message;
    EXPECT_EQ(f.id, "r3");
  }
}

TEST(ProtocolTest, DecodesDoneSending) {
  const DecodedFrame f = DecodeFrame(R"({"type":"done_sending","id":"d1"})");
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.type, MessageType::kDoneSending);
  EXPECT_EQ(f.id, "d1");
}

TEST(ProtocolTest, DecodesReload) {
  const DecodedFrame f = DecodeFrame(R"({"type":"reload","id":"r5"})");
  ASSERT_FALSE(f.error);
  EXPECT_EQ(f.type, MessageType::kReload);
}

TEST(ProtocolTest, ErrorsKeepTheIdAndTheTypeOnceKnown) {
  const DecodedFrame f =
      DecodeFrame(R"({"type":"suggest","id":"r6","order":{"amount":-1}})");
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.id, "r6");
  EXPECT_EQ(f.type, MessageType::kSuggest);
  EXPECT_EQ(f.error->code, ErrorCode::kBadRequest) << "message is missing";

  const DecodedFrame order = DecodeFrame(
      R"({"type":"suggest","id":"r7","message":"在吗","order":{"amount":-1}})");
  ASSERT_TRUE(order.error);
  EXPECT_EQ(order.error->code, ErrorCode::kBadOrder);
  EXPECT_NE(order.error->message.find("order.amount"), std::string::npos);

  const DecodedFrame untyped = DecodeFrame(R"({"id":"r8"})");
  ASSERT_TRUE(untyped.error);
  EXPECT_EQ(untyped.id, "r8");
  EXPECT_FALSE(untyped.type.has_value());
}

TEST(ProtocolTest, PeekIdReadsOnlyAValidId) {
  EXPECT_EQ(PeekId(R"({"id":"r1","type":"whatever"})"), "r1");
  EXPECT_EQ(PeekId(R"({"id":5})"), "");
  EXPECT_EQ(PeekId("not json"), "");
  EXPECT_EQ(PeekId(json{{"id", std::string(kMaxIdBytes + 1, 'x')}}.dump()), "");
  EXPECT_EQ(PeekId(R"({"order":{"id":"inner"}})"), "");
  EXPECT_EQ(PeekId(R"([{"id":"in an array"}])"), "");
}

// A frame that fails to parse part-way still names the request it was, as
// long as its id came before the failure.
TEST(ProtocolTest, PeekIdReadsTheIdBeforeAParseFailure) {
  EXPECT_EQ(PeekId(R"({"id":"r2","max":1e400})"), "r2");
  EXPECT_EQ(PeekId(R"({"type":"suggest","id":"r3","message":"在)"), "r3");
  EXPECT_EQ(PeekId(R"({"max":1e400,"id":"r4"})"), "");
  DecodedFrame frame = DecodeFrame(R"({"id":"r5","order":{"amount":-1e400}})");
  ASSERT_TRUE(frame.error.has_value());
  EXPECT_EQ(frame.id, "r5");
  EXPECT_EQ(frame.error->code, ErrorCode::kBadRequest);
}

// An empty id was accepted: a success echoed "", an error null, so a
// client could not match answers (found by fuzz/frame_fuzzer.cc).
TEST(ProtocolTest, AnEmptyIdIsRefused) {
  for (const char* frame :
       {R"({"type":"suggest","id":"","message":"在吗"})",
        R"({"type":"reload","id":""})", R"({"type":"done_sending","id":""})"}) {
    const DecodedFrame f = DecodeFrame(frame);
    ASSERT_TRUE(f.error) << frame;
    EXPECT_EQ(f.error->code, ErrorCode::kBadRequest);
    EXPECT_TRUE(f.error->message.starts_with("id: empty")) << f.error->message;
    EXPECT_EQ(f.id, "");
    EXPECT_EQ(PeekId(frame), "");
  }
}

TEST(ProtocolTest, EncodesSuggestionsWithTheirIds) {
  Response response;
  response.normalized = "怎么还不发货";
  response.script = Script::kHans;
  response.locale = "zh";
  IntentMatch& match = response.intents.emplace_back();
  match.name = "urge_shipment";
  match.score = 0.9;
  match.pattern = "intents/zh/shipping.yaml:12";
  response.suggestions = {
      {"urge_shipment", "urge_shipment.overdue_wait", "亲，抱歉", false, ""},
      {"urge_shipment", "urge_shipment.handoff", "转人工", true, ""}};
  response.pack_version = "abc";
  const std::vector<std::string> ids = {"s1.AAAA.BBBB", "s1.CCCC.DDDD"};
  const json out = json::parse(EncodeSuggestions("r1", response, ids, 7));
  EXPECT_EQ(out["type"], "suggestions");
  EXPECT_EQ(out["id"], "r1");
  EXPECT_EQ(out["normalized"], "怎么还不发货");
  EXPECT_EQ(out["script"], "Hans");
  EXPECT_EQ(out["intents"][0],
            json({{"name", "urge_shipment"},
                  {"score", 0.9},
                  {"pattern", "intents/zh/shipping.yaml:12"}}));
  ASSERT_EQ(out["suggestions"].size(), 2u);
  EXPECT_EQ(out["suggestions"][1], json({{"suggestion_id", ids[1]},
                                         {"intent", "urge_shipment"},
                                         {"template", "urge_shipment.handoff"},
                                         {"text", "转人工"},
                                         {"handoff", true}}));
  EXPECT_EQ(out["elapsed_us"], 7);
  EXPECT_EQ(out["pack_version"], "abc");
}

TEST(ProtocolTest, EscapesTextThatJsonMustEscape) {
  Response response;
  const std::string tricky = "say \"hi\"\\ \n\t\r\x01 亲";
  response.normalized = tricky;
  response.suggestions = {{"i", "i.v", tricky, false, ""}};
  const json out = json::parse(
      EncodeSuggestions("q\"uote", response, {"s1.AAAA.BBBB"}, 0));
  EXPECT_EQ(out["id"], "q\"uote");
  EXPECT_EQ(out["normalized"], tricky);
  EXPECT_EQ(out["suggestions"][0]["text"], tricky);
}

TEST(ProtocolTest, EncodesAckAndError) {
  EXPECT_EQ(json::parse(EncodeAck("r3")),
            json({{"type", "ack"}, {"id", "r3"}}));
  EXPECT_EQ(
      json::parse(EncodeError("r1", {ErrorCode::kRateLimited, "slow down"})),
      json({{"type", "error"},
            {"id", "r1"},
            {"code", "rate_limited"},
            {"message", "slow down"}}));
  EXPECT_TRUE(json::parse(EncodeError("", {ErrorCode::kBadRequest, "x"}))["id"]
                  .is_null());
  std::set<std::string_view> names;
  for (int code = 0; code < kErrorCodes; ++code) {
    names.insert(ErrorCodeName(static_cast<ErrorCode>(code)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kErrorCodes)) << "one name each";
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
}

TEST(ProtocolTest, EncodesGoingAwayWithoutAnId) {
  EXPECT_EQ(json::parse(EncodeGoingAway(7500)),
            json({{"type", "going_away"},
                  {"reason", "shutdown"},
                  {"close_within_ms", 7500}}));
}

// docs/protocol.md is what client authors read: every message type and
// error code the server knows is documented there.
TEST(ProtocolTest, TheProtocolDocListsEveryMessageTypeAndErrorCode) {
  const std::string doc = reply::testing::ReadFile(reply::testing::SourceDir() /
                                                   "docs/protocol.md");
  ASSERT_FALSE(doc.empty());
  for (int t = 0; t < kMessageTypes; ++t) {
    const std::string name(MessageTypeName(static_cast<MessageType>(t)));
    EXPECT_NE(doc.find("### " + name + "\n"), std::string::npos)
        << "docs/protocol.md has no section for " << name;
  }
  for (const char* server_type :
       {"suggestions", "ack", "error", "going_away"}) {
    EXPECT_NE(doc.find(std::string("### ") + server_type + "\n"),
              std::string::npos)
        << server_type;
  }
  for (const ErrorCodeDef& code : kErrorCodeDefs) {
    if (!code.sent) continue;
    const std::string name(code.name);
    EXPECT_NE(doc.find("| `" + name + "` |"), std::string::npos)
        << "docs/protocol.md does not list the error code " << name;
  }
}

TEST(SuggestionIdTest, RoundTripsThroughHexAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const SuggestionId id = SuggestionId::Random();
    const std::string hex = id.ToHex();
    EXPECT_EQ(SuggestionId::FromHex(hex), id);
    EXPECT_TRUE(seen.insert(hex).second);
  }
  EXPECT_FALSE(SuggestionId::FromHex("abc").has_value());
  EXPECT_FALSE(SuggestionId::FromHex(std::string(31, 'a') + "g").has_value());
  EXPECT_TRUE(SuggestionId::FromHex(std::string(32, 'A')).has_value());
}

}  // namespace
}  // namespace reply::server

// The frame codec on its own: what each frame decodes to, and the exact
// shape of what the server sends.
#include "server/protocol.h"

#include <gtest/gtest.h>

#include <set>

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
  EXPECT_EQ(f.message.suggestion_id, id);
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
}

TEST(ProtocolTest, EncodesSuggestionsWithTheirIds) {
  Response response;
  response.normalized = "怎么还不发货";
  response.script = Script::kHans;
  response.locale = "zh";
  response.intents = {{"urge_shipment", 0.9, "intents/zh/shipping.yaml:12"}};
  response.suggestions = {
      {"urge_shipment", "urge_shipment.overdue_wait", "亲，抱歉", false},
      {"urge_shipment", "urge_shipment.handoff", "转人工", true}};
  response.pack_version = "abc";
  const std::vector<SuggestionId> ids = {SuggestionId::Random(),
                                         SuggestionId::Random()};
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
  EXPECT_EQ(out["suggestions"][1], json({{"suggestion_id", ids[1].ToHex()},
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
  response.suggestions = {{"i", "i.v", tricky, false}};
  const json out = json::parse(
      EncodeSuggestions("q\"uote", response, {SuggestionId::Random()}, 0));
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
  for (ErrorCode code :
       {ErrorCode::kBadRequest, ErrorCode::kBadOrder, ErrorCode::kTooLarge,
        ErrorCode::kRateLimited, ErrorCode::kUnauthorized,
        ErrorCode::kPackError, ErrorCode::kInternal}) {
    EXPECT_FALSE(ErrorCodeName(code).empty());
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

// The engine's answers to bad JSON requests: each error names the field
// and the reason (bad_request, bad_order), numbers out of range, invalid
// UTF-8, impossible timelines, a bad history, a message over the limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "engine/engine.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

using nlohmann::json;
using testing::BundledEngine;
using ::testing::HasSubstr;
using testing::SuggestJson;

// The error code and message of a request the engine refuses.
std::pair<std::string, std::string> ErrorOf(const std::string& request) {
  const json r = SuggestJson(request);
  EXPECT_TRUE(r.contains("error")) << request << " -> " << r.dump();
  if (!r.contains("error")) return {};
  return {r["error"]["code"], r["error"]["message"]};
}

TEST(EngineJsonTest, BadRequestsNameTheFieldAndReason) {
  EXPECT_EQ(ErrorOf("{\"message\": "),
            (std::pair<std::string, std::string>{
                "bad_request", ErrorOf("{\"message\": ").second}));
  EXPECT_THAT(ErrorOf("{\"message\": ").second,
              HasSubstr("request is not valid JSON"));
  EXPECT_EQ(ErrorOf("[1]"),
            (std::pair<std::string, std::string>{
                "bad_request", "request: expected a JSON object"}));
  EXPECT_EQ(ErrorOf("{}").second,
            "message: missing (required unless \"trigger\": true)");
  EXPECT_EQ(ErrorOf(R"({"message": 5})").second, "message: expected a string");
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": 0})").second,
            "max: must be between 1 and 10");
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": "3"})").second,
            "max: expected an integer");
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "locale": "fr"})").second,
      "locale: no pack for 'fr'; the packs are " +
          std::string(BundledEngine().pack()->locales.size() > 1 ? "vi, zh"
                                                                 : "zh"));
  EXPECT_THAT(ErrorOf(R"({"message": "x", "now": "tomorrow"})").second,
              HasSubstr("now: expected an RFC 3339 time"));
  EXPECT_EQ(ErrorOf(R"({"trigger": true})").second,
            "order: a trigger request needs an order");
  EXPECT_EQ(ErrorOf(R"({"trigger": true, "message": "x", "order": {}})").second,
            "message: a trigger request carries no message");
}

// nlohmann throws out_of_range, not parse_error, on a number beyond a
// double: 1e400 used to escape SuggestJson and abort the caller. Every
// such number is a bad_request naming its field.
TEST(EngineJsonTest, NumbersOutOfRangeAreBadRequestsNamingTheField) {
  using Error = std::pair<std::string, std::string>;
  EXPECT_EQ(ErrorOf(R"({"message": "x", "order": {"amount": 1e400}})"),
            (Error{"bad_request",
                   "order.amount: 1e400 is out of range for a number"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": -1e400})"),
            (Error{"bad_request", "max: -1e400 is out of range for a number"}));
  EXPECT_EQ(
      ErrorOf(
          R"({"message": "x", "order": {"items": [{}, {"quantity": 2e999}]}})"),
      (Error{"bad_request",
             "order.items[1].quantity: 2e999 is out of range for a number"}));
  EXPECT_EQ(
      ErrorOf(R"([1, [2, 3e500]])"),
      (Error{"bad_request", "[1][1]: 3e500 is out of range for a number"}));
  EXPECT_EQ(
      ErrorOf("1e400"),
      (Error{"bad_request", "request: 1e400 is out of range for a number"}));
  // Within a double but outside the contract: the field and its range.
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": 1e300})"),
            (Error{"bad_request", "max: expected an integer"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": 18446744073709551615})"),
            (Error{"bad_request", "max: must be between 1 and 10"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": 18446744073709551617})"),
            (Error{"bad_request", "max: expected an integer"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "max": -9223372036854775808})"),
            (Error{"bad_request", "max: must be between 1 and 10"}));
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "order": {"amount": 1e308}})"),
      (Error{"bad_order", "order.amount: must be between 0 and 1000000000"}));
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "order": {"amount": -1e308}})"),
      (Error{"bad_order", "order.amount: must be between 0 and 1000000000"}));
  // JSON has no NaN or Infinity: a syntax error, at its byte.
  EXPECT_EQ(ErrorOf(R"({"message": "x", "order": {"amount": NaN}})").first,
            "bad_request");
  EXPECT_THAT(ErrorOf(R"({"message": "x", "max": Infinity})").second,
              HasSubstr("request is not valid JSON at byte "));
}

// Deep nesting in a field the engine ignores is read without recursion
// (nlohmann parses and frees iteratively) and answered.
TEST(EngineJsonTest, DeeplyNestedRequestIsAnswered) {
  const std::string deep = std::string(60000, '[') + std::string(60000, ']');
  const json r =
      SuggestJson(R"({"message": "怎么还不发货", "extra": )" + deep + "}");
  EXPECT_FALSE(r.contains("error")) << r.dump().substr(0, 200);
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "order": {"items": )" + deep + "}}").second,
      "order.items[0]: expected an object, got an array");
}

TEST(EngineJsonTest, BadOrdersAreBadOrder) {
  EXPECT_EQ(ErrorOf(R"({"message": "x", "order": {"amount": "lots"}})"),
            (std::pair<std::string, std::string>{
                "bad_order", "order.amount: expected a number, got a string"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "order": "E1"})"),
            (std::pair<std::string, std::string>{
                "bad_order", "order: expected an object, got a string"}));
}

// A camelCase or misspelt field is ignored, but said so: the reply that
// then asks for the order (the paid time unknown) is explained.
TEST(EngineJsonTest, UnknownOrderFieldsAndNearMissesAreWarnedAbout) {
  const json r = SuggestJson(
      R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00",
          "conversationId": "c-1", "mesage_id": 7, "my_own_field": 1,
          "order": {"status": "paid", "paidAt": "2026-11-20T10:00:00+08:00",
                    "shiping": {"carrier": "中通"},
                    "buyer": {"name": "小林", "returnning": true}}})");
  ASSERT_FALSE(r.contains("error")) << r.dump();
  EXPECT_EQ(r["warnings"],
            json::array({"conversationId: unknown field, ignored (did you "
                         "mean 'conversation_id'?)",
                         "order.paidAt: unknown field, ignored (did you mean "
                         "'paid_at'?)",
                         "order.shiping: unknown field, ignored (did you mean "
                         "'shipping'?)",
                         "order.buyer.returnning: unknown field, ignored (did "
                         "you mean 'returning'?)"}))
      << r.dump();
  // Top level: only near misses (conversation_id is a request field, for
  // wording experiments); a caller's own field far from every name is left
  // alone.
  const json clean =
      SuggestJson(R"({"message": "在吗", "now": "2026-11-23T10:00:00+08:00",
                  "mesage": "x", "extra": 1})");
  EXPECT_EQ(clean["warnings"],
            json::array({"mesage: unknown field, ignored (did you mean "
                         "'message'?)"}));
  const json none = SuggestJson(R"({"message": "在吗", "extra": 1})");
  EXPECT_FALSE(none.contains("warnings")) << none.dump();
}

TEST(EngineJsonTest, ImpossibleTimelinesAreBadOrdersNamingTheField) {
  EXPECT_EQ(
      ErrorOf(R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00",
          "order": {"paid_at": "2026-11-20T10:00:00+08:00",
                    "shipped_at": "2026-11-19T10:00:00+08:00"}})"),
      (std::pair<std::string, std::string>{
          "bad_order",
          "order.shipped_at: 2026-11-19T02:00:00Z is before order.paid_at "
          "(2026-11-20T02:00:00Z); an order is created, paid, shipped and "
          "delivered in that order: check both times and their UTC offsets"}));
  EXPECT_THAT(
      ErrorOf(R"({"message": "到了吗", "now": "2026-11-23T10:00:00+08:00",
          "order": {"paid_at": "2026-11-20T10:00:00+08:00",
                    "delivered_at": "2026-11-20T09:00:00+08:00"}})")
          .second,
      HasSubstr("order.delivered_at: 2026-11-20T01:00:00Z is before "
                "order.paid_at"));
  // Next year: a wrong year would be quoted as a deadline.
  EXPECT_EQ(
      ErrorOf(R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00",
          "order": {"paid_at": "2027-11-20T10:00:00+08:00"}})"),
      (std::pair<std::string, std::string>{
          "bad_order",
          "order.paid_at: 2027-11-20T02:00:00Z is in the future (now is "
          "2026-11-23T02:00:00Z, allowing 5 minutes of clock skew): check the "
          "year and the UTC offset, or pin `now` in the request"}));
  // Within the skew, and equal times, are fine.
  for (
      const char* order :
      {R"({"paid_at": "2026-11-23T10:04:00+08:00"})",
       R"({"paid_at": "2026-11-20T10:00:00+08:00", "shipped_at": "2026-11-20T09:56:00+08:00"})",
       R"({"created_at": "2026-11-20T10:00:00+08:00", "paid_at": "2026-11-20T10:00:00+08:00"})"}) {
    const json r = SuggestJson(std::string(R"({"message": "怎么还不发货",
        "now": "2026-11-23T10:00:00+08:00", "order": )") +
                               order + "}");
    EXPECT_FALSE(r.contains("error")) << order << " -> " << r.dump();
  }
}

TEST(EngineJsonTest, InvalidUtf8IsRejectedNotMangled) {
  auto [code, message] =
      ErrorOf(std::string("{\"message\": \"\xe6\x80\x8e\xff\"}"));
  EXPECT_EQ(code, "bad_request");
  EXPECT_EQ(message,
            "request is not valid JSON at byte 17, in message: invalid string: "
            "ill-formed "
            "UTF-8 byte");
  // An invalid byte in an order field, likewise.
  EXPECT_EQ(ErrorOf(std::string(
                        "{\"message\": \"x\", \"order\": {\"id\": \"\xff\"}}"))
                .first,
            "bad_request");
  // Through the typed API the offset is named.
  Request r;
  r.message = "怎么\xff";
  Result<Response> resp = BundledEngine().Suggest(r);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().message(), "message: invalid UTF-8 at byte 6");
}

// A history that breaks a rule is refused naming the turn and the field.
TEST(EngineJsonTest, BadHistoryNamesTheTurnAndField) {
  using Error = std::pair<std::string, std::string>;
  EXPECT_EQ(ErrorOf(R"({"message": "x", "history": "hi"})"),
            (Error{"bad_request",
                   "history: expected an array of turns, oldest first"}));
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "history": [{"role": "buyer", "text": "a"},
                 {"role": "shop", "text": "b"}]})"),
      (Error{"bad_request",
             R"(history[1].role: expected "buyer", "agent" or "system")"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "history": [{"role": "agent"}]})"),
            (Error{"bad_request", "history[0].text: expected a string"}));
  EXPECT_EQ(ErrorOf(R"({"message": "x", "history": [3]})").second,
            R"(history[0]: expected an object {"role", "text", "at"})");
  EXPECT_THAT(
      ErrorOf(R"({"message": "x", "history": [{"role": "buyer", "text": "a",
                 "at": "soon"}]})")
          .second,
      HasSubstr("history[0].at: "));
  EXPECT_EQ(
      ErrorOf(R"({"message": "x", "history": [{"role": "agent", "text": "a",
                 "template": 7}]})"),
      (Error{"bad_request", "history[0].template: expected a string"}));
  json many = {{"message", "x"}, {"history", json::array()}};
  for (int i = 0; i < 10000; ++i)
    many["history"].push_back({{"role", "buyer"}, {"text", "在吗"}});
  // As text it is over the request's size limit before its turns are read;
  // as a parsed object (replyd's frames) the turn limit names it.
  EXPECT_EQ(ErrorOf(many.dump()),
            (Error{"bad_request", "request: 330027 bytes is too large"}));
  EXPECT_EQ(RequestFromJson(many).status().message(),
            "history: 10000 turns; the limit is 20 (send the most recent "
            "ones)");
  // Within the turn limit, over the byte limit.
  json big = {{"message", "x"}, {"history", json::array()}};
  for (int i = 0; i < 3; ++i)
    big["history"].push_back(
        {{"role", "buyer"}, {"text", std::string(6000, 'a')}});
  EXPECT_EQ(ErrorOf(big.dump()).second,
            "history: its texts total 18000 bytes; the limit is 16384 (send "
            "fewer or shorter turns)");
  EXPECT_EQ(
      ErrorOf(std::string(R"({"message": "x", "history": [{"role": "buyer",
                 "text": "a)") +
              "\xff" + R"("}]})")
          .first,
      "bad_request");
  EXPECT_THAT(
      ErrorOf(std::string(R"({"message": "x", "history": [{"role": "buyer",
                 "text": "a)") +
              "\xff" + R"("}]})")
          .second,
      HasSubstr(", in history[0].text: invalid string"));

  // Through the typed API: the turn over its limit, and invalid UTF-8.
  Request r;
  r.message = "在吗";
  r.history.push_back({Role::kBuyer, std::string(8193, 'a')});
  EXPECT_EQ(BundledEngine().Suggest(r).status().message(),
            "history[0].text: 8193 bytes; the limit for a turn is 8192");
  r.history[0].text = "怎么\xff";
  EXPECT_EQ(BundledEngine().Suggest(r).status().message(),
            "history[0].text: invalid UTF-8 at byte 6");
  r.history[0].text = "怎么还不发货";
  EXPECT_TRUE(BundledEngine().Suggest(r).ok());
}

TEST(EngineJsonTest, HugeMessagesAreRefused) {
  Request r;
  r.message = std::string(Request::kMaxMessageBytes + 1, 'a');
  Result<Response> resp = BundledEngine().Suggest(r);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(resp.status().message(), "message: 8193 bytes; the limit is 8192");
  r.message = std::string(Request::kMaxMessageBytes, 'a');
  EXPECT_TRUE(BundledEngine().Suggest(r).ok());
}

}  // namespace
}  // namespace reply

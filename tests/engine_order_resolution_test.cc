// The order resolves a vague question: 帮我催催 answers as the intent the
// order's state names (paid: urge_shipment, shipped: tracking, delivered:
// the not-received check), the response says it was resolved, and urging
// on a delivered order is a parcel not received.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::SuggestJson;

// 帮我催催 names no problem: the order's state decides which intent answers
// (intents/zh/order_progress.yaml), and the response says so.
TEST(EngineJsonTest, VagueQuestionsAreResolvedByTheOrder) {
  const std::string now = R"("now": "2026-11-23T10:00:00+08:00")";
  const auto intent_for = [&](const std::string& message,
                              const std::string& order) {
    const json r =
        SuggestJson(R"({"message": ")" + message + R"(", )" + now +
                    (order.empty() ? "" : ", \"order\": " + order) + "}");
    EXPECT_FALSE(r.contains("error")) << r.dump();
    EXPECT_FALSE(r["intents"].empty()) << message << " " << order;
    return r;
  };
  const json paid = intent_for(
      "帮我催催",
      R"({"status": "paid", "paid_at": "2026-11-23T08:00:00+08:00", "amount": 50})");
  EXPECT_EQ(paid["intents"][0]["name"], "urge_shipment");
  EXPECT_EQ(paid["intents"][0]["asked"], "order_progress");
  EXPECT_EQ(paid["intents"][0]["resolved_by"], "order");
  EXPECT_THAT(paid["suggestions"][0]["template"].get<std::string>(),
              HasSubstr("urge_shipment."));

  const json stale = intent_for(
      "帮我催催",
      R"({"status": "shipped", "paid_at": "2026-11-18T08:00:00+08:00",
          "shipped_at": "2026-11-19T08:00:00+08:00",
          "shipping": {"carrier": "中通", "tracking_number": "ZT1"},
          "tracking": {"state": "in_transit",
          "last_event": "到达杭州中转", "last_event_at": "2026-11-19T20:00:00+08:00"}})");
  EXPECT_EQ(stale["intents"][0]["name"], "missing_tracking") << stale.dump();
  EXPECT_EQ(stale["intents"][0]["resolved_by"], "order");

  const json delivered = intent_for(
      "我那单怎么样了",
      R"({"status": "delivered", "paid_at": "2026-11-18T08:00:00+08:00",
          "shipped_at": "2026-11-19T08:00:00+08:00", "delivered_at": "2026-11-21T08:00:00+08:00"})");
  EXPECT_EQ(delivered["intents"][0]["name"], "signed_not_received");
  EXPECT_EQ(delivered["intents"][0]["asked"], "order_progress");

  // No order: the likeliest reading, whose reply asks for the order number.
  const json bare = intent_for("帮我催催", "");
  EXPECT_EQ(bare["intents"][0]["name"], "urge_shipment");
  EXPECT_EQ(bare["intents"][0]["resolved_by"], "without_order");
  EXPECT_EQ(bare["suggestions"][0]["template"], "urge_shipment.no_order");

  // A closed order: no rule holds, the vague intent answers itself.
  const json closed = intent_for("我那单怎么样了", R"({"status": "closed"})");
  EXPECT_EQ(closed["intents"][0]["name"], "order_progress");
  EXPECT_FALSE(closed["intents"][0].contains("resolved_by"));

  // A message that names its problem is matched as that intent, not as
  // resolved, even when it also sounds vague.
  const json direct = intent_for("帮我催一下怎么还不发货", "");
  ASSERT_EQ(direct["intents"].size(), 1u) << direct.dump();
  EXPECT_EQ(direct["intents"][0]["name"], "urge_shipment");
  EXPECT_FALSE(direct["intents"][0].contains("asked"));

  // Vietnamese, the same way.
  const json vi = intent_for(
      "đơn mình đi chưa",
      R"({"status": "paid", "paid_at": "2026-11-23T08:00:00+08:00", "amount": 50})");
  EXPECT_EQ(vi["locale"], "vi");
  EXPECT_EQ(vi["intents"][0]["name"], "urge_shipment");
  EXPECT_EQ(vi["intents"][0]["asked"], "order_progress");
}

// Urging names its problem, yet on an order that was delivered it means the
// buyer has not got it: urge_shipment's own rule hands it to
// signed_not_received, in both locales; on a paid order it stays urging.
TEST(EngineJsonTest, UrgingOnADeliveredOrderIsAParcelNotReceived) {
  const std::string delivered =
      R"("order": {"status": "delivered", "paid_at": "2026-11-18T08:00:00+08:00",
          "shipped_at": "2026-11-19T08:00:00+08:00",
          "delivered_at": "2026-11-21T08:00:00+08:00"})";
  for (const char* message : {"怎么还不发货", "sao chưa giao hàng vậy shop"}) {
    const json r = SuggestJson(std::string(R"({"message": ")") + message +
                               R"(", "now": "2026-11-23T10:00:00+08:00", )" +
                               delivered + "}");
    ASSERT_FALSE(r["intents"].empty()) << r.dump();
    EXPECT_EQ(r["intents"][0]["name"], "signed_not_received") << message;
    EXPECT_EQ(r["intents"][0]["asked"], "urge_shipment") << message;
    EXPECT_EQ(r["intents"][0]["resolved_by"], "order") << message;
    EXPECT_THAT(r["suggestions"][0]["template"].get<std::string>(),
                HasSubstr("signed_not_received."))
        << message;
  }
  const json paid = SuggestJson(
      R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00",
      "order": {"status": "paid", "paid_at": "2026-11-23T08:00:00+08:00", "amount": 50}})");
  EXPECT_EQ(paid["intents"][0]["name"], "urge_shipment");
  EXPECT_FALSE(paid["intents"][0].contains("resolved_by"));
}

// An intent resolved to one that is itself resolved by the order: the
// engine follows the rules until none holds, and the trace keeps each.
TEST(EngineTest, ResolutionFollowsTheAnsweringIntentsOwnRules) {
  const std::filesystem::path dir = testing::MakeTempDir("chain");
  testing::WriteFile(dir / "shop.yaml", "name: 测试店\n");
  testing::WriteFile(dir / "intents/zh/a.yaml",
                     "intents:\n"
                     "  - id: progress\n"
                     "    resolve_by_order:\n"
                     "      - when: has_order\n"
                     "        intent: urge\n"
                     "    without_order: urge\n"
                     "    patterns: [催催]\n"
                     "    examples: [帮我催催]\n"
                     "    counter_examples: [发票]\n"
                     "  - id: urge\n"
                     "    resolve_by_order:\n"
                     "      - when: status == \"delivered\"\n"
                     "        intent: lost\n"
                     "    patterns: [还没发货]\n"
                     "    examples: [还没发货]\n"
                     "    counter_examples: [发票]\n"
                     "  - id: lost\n"
                     "    patterns: [没收到]\n"
                     "    examples: [没收到]\n"
                     "    counter_examples: [发票]\n");
  for (const char* intent : {"progress", "urge", "lost"}) {
    testing::WriteFile(dir / "templates/zh" / (std::string(intent) + ".yaml"),
                       std::string("intent: ") + intent +
                           "\nvariants:\n  - id: any\n    text: "
                           "亲，我马上帮您查一下这笔订单。\n");
  }
  auto engine = Engine::Open({.pack_dir = dir.string()});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Request r;
  r.message = "帮我催催";
  r.now = testing::T("2026-11-23T10:00:00+08:00");
  r.order.emplace();
  r.order->status = "delivered";
  Trace trace;
  Result<Response> response = (*engine)->Explain(r, &trace);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->intents.size(), 1u);
  EXPECT_EQ(response->intents[0].name, "lost");
  EXPECT_EQ(response->intents[0].asked, "progress");
  EXPECT_EQ(response->intents[0].resolved_by, "order");
  // Both rules, in the order they held (replyctl_explain_test prints them).
  ASSERT_EQ(trace.resolutions.size(), 1u);
  ASSERT_EQ(trace.resolutions[0].rules.size(), 2u);
  EXPECT_EQ(trace.resolutions[0].rules[0]->where.line, 5);
  EXPECT_EQ(trace.resolutions[0].rules[1]->where.line, 13);

  // A paid order stops at urge, whose rule does not hold; no order takes
  // progress's guess, urge, which has none of its own.
  r.order->status = "paid";
  EXPECT_EQ((*engine)->Suggest(r)->intents[0].name, "urge");
  r.order.reset();
  EXPECT_EQ((*engine)->Suggest(r)->intents[0].name, "urge");
  EXPECT_EQ((*engine)->Suggest(r)->intents[0].resolved_by, "without_order");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace reply

#include "engine/order/facts.h"

#include <gtest/gtest.h>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

using testing::ParseOrderOrDie;
using testing::T;

class FactsTest : public ::testing::Test {
 protected:
  Facts At(const std::string& order_json, const std::string& now) {
    order_ = ParseOrderOrDie(order_json);
    return DeriveFacts(&order_, policy_, T(now));
  }
  ShopPolicy policy_;  // defaults: 48 h, 16:00, 7 days, 5% in [1, 30]
  Order order_;
};

constexpr const char* kPaid =
    R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 129})";

TEST_F(FactsTest, NoOrderKnowsOnlyThat) {
  const Facts f = DeriveFacts(nullptr, policy_, T("2026-11-23T10:00:00+08:00"));
  EXPECT_TRUE(f.Known(Fact::kHasOrder));
  EXPECT_FALSE(f.Bool(Fact::kHasOrder));
  for (const FactDef& def : FactDefs()) {
    if (def.fact != Fact::kHasOrder) {
      EXPECT_FALSE(f.Known(def.fact)) << def.name;
    }
  }
}

TEST_F(FactsTest, DeadlineOneMinuteEitherSide) {
  Facts before = At(kPaid, "2026-11-22T09:59:00+08:00");
  EXPECT_FALSE(before.Bool(Fact::kOverdue));
  EXPECT_NEAR(before.Number(Fact::kHoursToDeadline), 1.0 / 60, 1e-9);
  EXPECT_EQ(before.Number(Fact::kHoursOverdue), 0);
  EXPECT_EQ(before.Time(Fact::kShipDeadline), T("2026-11-22T10:00:00+08:00"));

  Facts at = At(kPaid, "2026-11-22T10:00:00+08:00");
  EXPECT_FALSE(at.Bool(Fact::kOverdue));  // the deadline itself is on time

  Facts after = At(kPaid, "2026-11-22T10:01:00+08:00");
  EXPECT_TRUE(after.Bool(Fact::kOverdue));
  EXPECT_NEAR(after.Number(Fact::kHoursOverdue), 1.0 / 60, 1e-9);
  EXPECT_LT(after.Number(Fact::kHoursToDeadline), 0);
}

TEST_F(FactsTest, OrderPromiseOverridesTheShops) {
  Facts f = At(
      R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "promise_ship_hours": 24})",
      "2026-11-21T10:01:00+08:00");
  EXPECT_EQ(f.Number(Fact::kPromiseHours), 24);
  EXPECT_TRUE(f.Bool(Fact::kOverdue));
}

TEST_F(FactsTest, ShippedOrdersAreJudgedByTheirShippingTime) {
  Facts late =
      At(R"({"status": "shipped", "paid_at": "2026-11-20T10:00:00+08:00",
                      "shipped_at": "2026-11-22T11:00:00+08:00"})",
         "2026-11-25T10:00:00+08:00");
  EXPECT_TRUE(late.Bool(Fact::kOverdue));
  EXPECT_EQ(late.Number(Fact::kHoursOverdue), 1);
  Facts on_time =
      At(R"({"status": "shipped", "paid_at": "2026-11-20T10:00:00+08:00",
                         "shipped_at": "2026-11-21T11:00:00+08:00"})",
         "2026-11-25T10:00:00+08:00");
  EXPECT_FALSE(on_time.Bool(Fact::kOverdue));
  // Shipped on an unknown date: cannot tell.
  Facts unknown =
      At(R"({"status": "shipped", "paid_at": "2026-11-20T10:00:00+08:00"})",
         "2026-11-25T10:00:00+08:00");
  EXPECT_FALSE(unknown.Known(Fact::kOverdue));
}

TEST_F(FactsTest, CompensationFloorRateAndCap) {
  const auto compensation = [&](const char* amount) {
    Facts f = At(std::string(R"({"amount": )") + amount + "}",
                 "2026-11-23T10:00:00+08:00");
    return f.Number(Fact::kCompensation);
  };
  EXPECT_EQ(compensation("19.99"), 1);  // 1.00 after rounding
  EXPECT_EQ(compensation("10"), 1);     // 0.5 -> floor of 1
  EXPECT_DOUBLE_EQ(compensation("129"), 6.45);
  EXPECT_EQ(compensation("600"), 30);   // exactly the cap
  EXPECT_EQ(compensation("1000"), 30);  // 50 -> cap of 30
}

// The floor of 1 yuan never pays back more than the order cost, and an
// order with nothing to compensate has no compensation to quote (a reply
// would otherwise promise "补偿您0元").
TEST_F(FactsTest, CompensationIsNeverMoreThanTheAmountPaid) {
  const auto facts = [&](const char* amount, const ShopPolicy& shop) {
    Order order =
        testing::ParseOrderOrDie(std::string(R"({"amount": )") + amount + "}");
    return DeriveFacts(&order, shop, testing::T("2026-11-23T10:00:00+08:00"));
  };
  const ShopPolicy shop;  // 5%, at least 1, at most 30
  EXPECT_EQ(facts("0.5", shop).Number(Fact::kCompensation), 0.5);
  EXPECT_EQ(facts("0.99", shop).Number(Fact::kCompensation), 0.99);
  EXPECT_EQ(facts("1", shop).Number(Fact::kCompensation), 1);
  EXPECT_EQ(facts("1.5", shop).Number(Fact::kCompensation), 1);
  // Cents the buyer did not pay are not paid back: 0.999 -> 0.99.
  EXPECT_EQ(facts("0.999", shop).Number(Fact::kCompensation), 0.99);
  for (const char* nothing : {"0", "0.001", "0.009"}) {
    const Facts f = facts(nothing, shop);
    EXPECT_FALSE(f.Known(Fact::kCompensation)) << nothing;
    EXPECT_TRUE(f.Known(Fact::kAmount)) << nothing;
  }
  ShopPolicy no_compensation;
  no_compensation.compensation_rate = 0;
  no_compensation.compensation_min = 0;
  EXPECT_FALSE(facts("129", no_compensation).Known(Fact::kCompensation));
}

TEST_F(FactsTest, TrackingGraceEndsAfterTwentyFourHours) {
  const char* order =
      R"({"status": "shipped", "shipped_at": "2026-11-22T10:00:00+08:00"})";
  EXPECT_TRUE(
      At(order, "2026-11-23T09:59:00+08:00").Bool(Fact::kWithinTrackingGrace));
  EXPECT_FALSE(
      At(order, "2026-11-23T10:00:00+08:00").Bool(Fact::kWithinTrackingGrace));
  EXPECT_FALSE(
      At(order, "2026-11-23T10:01:00+08:00").Bool(Fact::kWithinTrackingGrace));
}

TEST_F(FactsTest, StaleTrackingAfterSeventyTwoHours) {
  const char* order =
      R"({"tracking": {"state": "in_transit", "last_event_at": "2026-11-20T10:00:00+08:00"}})";
  EXPECT_FALSE(
      At(order, "2026-11-23T09:59:00+08:00").Bool(Fact::kTrackingStale));
  Facts stale = At(order, "2026-11-23T10:00:00+08:00");
  EXPECT_TRUE(stale.Bool(Fact::kTrackingStale));
  EXPECT_EQ(stale.Number(Fact::kHoursSinceTrackingEvent), 72);
}

TEST_F(FactsTest, ReturnWindowDaySevenInDayEightOut) {
  const char* order =
      R"({"status": "delivered", "delivered_at": "2026-11-15T10:00:00+08:00"})";
  Facts day7 = At(order, "2026-11-22T10:00:00+08:00");
  EXPECT_TRUE(day7.Bool(Fact::kWithinReturnWindow));
  EXPECT_EQ(day7.Number(Fact::kDaysSinceDelivered), 7);
  Facts just_after = At(order, "2026-11-22T10:01:00+08:00");
  EXPECT_FALSE(just_after.Bool(Fact::kWithinReturnWindow));
  Facts day8 = At(order, "2026-11-23T10:00:00+08:00");
  EXPECT_FALSE(day8.Bool(Fact::kWithinReturnWindow));
  EXPECT_EQ(day8.Number(Fact::kDaysSinceDelivered), 8);
}

TEST_F(FactsTest, SameDayCutoffInShopTime) {
  const char* morning =
      R"({"paid_at": "2026-11-23T07:59:00Z"})";  // 15:59 in +08:00
  EXPECT_TRUE(
      At(morning, "2026-11-23T15:59:00+08:00").Bool(Fact::kPaidBeforeCutoff));
  EXPECT_TRUE(
      At(morning, "2026-11-23T15:59:00+08:00").Bool(Fact::kBeforeCutoff));
  EXPECT_TRUE(At(morning, "2026-11-23T15:59:00+08:00").Bool(Fact::kPaidToday));
  EXPECT_FALSE(
      At(morning, "2026-11-23T16:00:00+08:00").Bool(Fact::kBeforeCutoff));
  EXPECT_FALSE(At(morning, "2026-11-24T00:00:00+08:00").Bool(Fact::kPaidToday));
  const char* evening = R"({"paid_at": "2026-11-23T16:00:00+08:00"})";
  EXPECT_FALSE(
      At(evening, "2026-11-23T17:00:00+08:00").Bool(Fact::kPaidBeforeCutoff));
}

TEST_F(FactsTest, RemoteRegionsFromThePolicy) {
  policy_.remote_regions = {"新疆", "西藏"};
  EXPECT_TRUE(
      At(R"({"shipping": {"region": "新疆乌鲁木齐"}})", "2026-11-23T10:00:00Z")
          .Bool(Fact::kRemoteRegion));
  EXPECT_FALSE(
      At(R"({"shipping": {"region": "浙江杭州"}})", "2026-11-23T10:00:00Z")
          .Bool(Fact::kRemoteRegion));
  EXPECT_FALSE(At(R"({})", "2026-11-23T10:00:00Z").Known(Fact::kRemoteRegion));
}

TEST_F(FactsTest, StockFacts) {
  Facts out = At(R"({"stock": "out_of_stock", "restock_days": 3})",
                 "2026-11-23T10:00:00Z");
  EXPECT_TRUE(out.Bool(Fact::kOutOfStock));
  EXPECT_EQ(out.Enum(Fact::kStock), "out_of_stock");
  EXPECT_EQ(out.Number(Fact::kRestockDays), 3);
  Facts silent = At(R"({})", "2026-11-23T10:00:00Z");
  EXPECT_FALSE(silent.Bool(Fact::kOutOfStock));
  EXPECT_FALSE(silent.Known(Fact::kStock));
}

}  // namespace
}  // namespace reply

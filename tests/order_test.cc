#include "engine/order/order.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace reply {
namespace {

using nlohmann::json;

Status ParseError(const std::string& text) {
  Result<Order> r = ParseOrder(json::parse(text));
  EXPECT_FALSE(r.ok()) << text;
  return r.status();
}

TEST(OrderTest, ParsesTheWholeContract) {
  Result<Order> r = ParseOrder(json::parse(R"({
    "id": "E20261123001", "status": "shipped",
    "created_at": "2026-11-20T09:00:00+08:00", "paid_at": "2026-11-20T09:05:00+08:00",
    "shipped_at": "2026-11-21T10:00:00Z", "amount": 129.5, "promise_ship_hours": 24,
    "items": [{"name": "羊毛开衫", "sku": "K-203", "size": "M", "color": "米白", "quantity": 2}],
    "stock": "in_stock", "restock_days": 3,
    "shipping": {"carrier": "中通", "tracking_number": "ZT7312004455", "region": "新疆"},
    "tracking": {"state": "in_transit", "last_event_at": "2026-11-22T08:00:00+08:00",
                 "last_event": "到达", "signed_by": "门卫"},
    "buyer": {"name": "小林", "returning": true},
    "some_future_field": {"ignored": true}})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->id, "E20261123001");
  EXPECT_EQ(*r->status, "shipped");
  EXPECT_EQ(*r->paid_at - *r->created_at, 300);
  EXPECT_EQ(*r->shipped_at, *ParseRfc3339("2026-11-21T18:00:00+08:00"));
  EXPECT_DOUBLE_EQ(*r->amount, 129.5);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(*r->items[0].size, "M");
  EXPECT_EQ(*r->items[0].quantity, 2);
  EXPECT_EQ(*r->carrier, "中通");
  EXPECT_EQ(*r->tracking_state, "in_transit");
  EXPECT_EQ(*r->signed_by, "门卫");
  EXPECT_TRUE(*r->buyer_returning);
}

TEST(OrderTest, UnknownFieldsAreWarnedAboutAtEveryLevel) {
  std::vector<std::string> warnings;
  Result<Order> r = ParseOrder(json::parse(R"({
    "orderId": "E1", "paid_at": "2026-11-20T09:05:00+08:00",
    "items": [{"name": "开衫", "qty": 1}],
    "tracking": {"lastEventAt": "2026-11-22T08:00:00+08:00"},
    "some_future_field": true})"),
                               &warnings);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->paid_at.has_value());
  // The order's own members first (in key order), then each nested object.
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "order.orderId: unknown field, ignored",
                          "order.some_future_field: unknown field, ignored",
                          "order.items[0].qty: unknown field, ignored",
                          "order.tracking.lastEventAt: unknown field, ignored "
                          "(did you mean 'last_event_at'?)"}));
}

TEST(OrderTest, EverythingIsOptionalAndNullMeansAbsent) {
  Result<Order> r =
      ParseOrder(json::parse(R"({"status": null, "shipping": null})"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->status.has_value());
  EXPECT_FALSE(r->carrier.has_value());
  EXPECT_TRUE(ParseOrder(json::object()).ok());
}

struct BadCase {
  const char* order;
  const char* message;  // the exact error
};

class OrderErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(OrderErrorTest, NamesTheFieldAndTheReason) {
  const Status s = ParseError(GetParam().order);
  EXPECT_EQ(s.code(), Status::Code::kBadOrder);
  EXPECT_EQ(s.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, OrderErrorTest,
    ::testing::Values(
        BadCase{R"({"amount": "129"})",
                "order.amount: expected a number, got a string"},
        BadCase{R"({"amount": -1})",
                "order.amount: must be between 0 and 1000000000"},
        BadCase{R"({"status": "shiped"})",
                "order.status: unknown value \"shiped\"; expected one of "
                "unpaid, paid, shipped, "
                "delivered, refunding, refunded, closed"},
        BadCase{R"({"paid_at": "yesterday"})",
                "order.paid_at: expected an RFC 3339 time like "
                "2026-11-23T10:00:00+08:00, got "
                "\"yesterday\""},
        BadCase{
            R"({"paid_at": 1700000000})",
            "order.paid_at: expected an RFC 3339 time string, got a number"},
        BadCase{R"({"shipping": {"carrier": 7}})",
                "order.shipping.carrier: expected a string, got a number"},
        BadCase{R"({"shipping": "中通"})",
                "order.shipping: expected an object, got a string"},
        BadCase{R"({"items": {"name": "x"}})",
                "order.items: expected an array, got an object"},
        BadCase{R"({"items": [{"name": "x"}, 5]})",
                "order.items[1]: expected an object, got a number"},
        BadCase{R"({"items": [{"quantity": 1.5}]})",
                "order.items[0].quantity: expected an integer, got a number"},
        BadCase{R"({"tracking": {"state": "lost"}})",
                "order.tracking.state: unknown value \"lost\"; expected one of "
                "none, collected, "
                "in_transit, out_for_delivery, signed, exception"},
        BadCase{R"({"buyer": {"returning": "yes"}})",
                "order.buyer.returning: expected true or false, got a string"},
        BadCase{R"({"promise_ship_hours": 1e12})",
                "order.promise_ship_hours: must be more than 0 and at most "
                "8760"},
        // Replies quote it: "付款后0小时内发货" is never right.
        BadCase{R"({"promise_ship_hours": 0})",
                "order.promise_ship_hours: must be more than 0 and at most "
                "8760"},
        BadCase{R"({"amount": -1e308})",
                "order.amount: must be between 0 and 1000000000"},
        BadCase{R"({"amount": 1e308})",
                "order.amount: must be between 0 and 1000000000"},
        BadCase{R"({"restock_days": -0.5})",
                "order.restock_days: must be between 0 and 365"},
        // Beyond int64: read as unsigned, never wrapped into the range.
        BadCase{R"({"items": [{"quantity": 18446744073709551615}]})",
                "order.items[0].quantity: must be between 0 and 1000000"},
        BadCase{R"({"items": [{"quantity": 9223372036854775808}]})",
                "order.items[0].quantity: must be between 0 and 1000000"},
        BadCase{R"({"items": [{"quantity": -9223372036854775808}]})",
                "order.items[0].quantity: must be between 0 and 1000000"},
        BadCase{R"({"items": [{"quantity": 1e300}]})",
                "order.items[0].quantity: expected an integer, got a number"},
        BadCase{R"([1, 2])", "order: expected an object, got an array"}));

TEST(OrderTest, TextLimitIsEnforced) {
  json j = {{"id", std::string(Order::kMaxTextBytes + 1, 'x')}};
  Result<Order> r = ParseOrder(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "order.id: is 1025 bytes; the limit is 1024");
}

TEST(OrderTest, TooManyItems) {
  json j = {{"items", json::array()}};
  for (size_t i = 0; i <= Order::kMaxItems; ++i)
    j["items"].push_back({{"name", "x"}});
  Result<Order> r = ParseOrder(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "order.items: has 101 items; the limit is 100");
}

TEST(TimeTest, Rfc3339RoundTripsAndRejectsNonsense) {
  Result<UnixSeconds> t = ParseRfc3339("2026-11-23T10:00:00+08:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1795399200);
  EXPECT_EQ(FormatRfc3339(*t, 480), "2026-11-23T10:00:00+08:00");
  EXPECT_EQ(FormatRfc3339(*t, 0), "2026-11-23T02:00:00Z");
  EXPECT_EQ(*ParseRfc3339("2026-11-23T02:00:00.123Z"), *t);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T00:00:00Z") + 86400,
            *ParseRfc3339("2024-03-01T00:00:00Z"));
  for (const char* bad :
       {"2026-02-30T00:00:00Z", "2026-11-23", "2026-11-23T25:00:00Z",
        "2026-11-23T10:00:00", "2026-11-23T10:00:00+8", ""}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace reply

// Order: what the shop's system knows about the order a buyer writes about,
// parsed from the order contract of docs/orders.md.
//
//   Result<Order> order = ParseOrder(json);   // json: nlohmann::json object
//   if (!order.ok()) ...  // "order.shipping.carrier: expected a string, got
//   number"
//
// Every field is optional (absent or null), unknown fields are ignored (with
// a warning naming the field it likely meant: "order.paidAt: unknown field,
// ignored (did you mean 'paid_at'?)"), and a field of the wrong type or
// outside its range is an error naming the field. Whether the times make a
// possible order is CheckTimeline's (timeline.h), since it needs the clock.
// Enumerated fields hold one of the values listed below, as static strings.
//
// Limits: text fields up to kMaxTextBytes, up to kMaxItems items.
//
// Thread safety: a plain value.
#ifndef REPLY_ENGINE_ORDER_ORDER_H_
#define REPLY_ENGINE_ORDER_ORDER_H_

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/base/time.h"

namespace reply {

inline constexpr std::array<std::string_view, 7> kOrderStatuses = {
    "unpaid",    "paid",     "shipped", "delivered",
    "refunding", "refunded", "closed"};
inline constexpr std::array<std::string_view, 2> kStockStates = {
    "in_stock", "out_of_stock"};
inline constexpr std::array<std::string_view, 6> kTrackingStates = {
    "none",   "collected", "in_transit", "out_for_delivery",
    "signed", "exception"};

struct OrderItem {
  std::optional<std::string> name;
  std::optional<std::string> sku;
  std::optional<std::string> size;
  std::optional<std::string> color;
  std::optional<int64_t> quantity;
};

struct Order {
  static constexpr size_t kMaxTextBytes = 1024;
  static constexpr size_t kMaxItems = 100;

  std::optional<std::string> id;
  std::optional<std::string_view> status;  // one of kOrderStatuses
  std::optional<UnixSeconds> created_at;
  std::optional<UnixSeconds> paid_at;
  std::optional<UnixSeconds> shipped_at;
  std::optional<UnixSeconds> delivered_at;
  std::optional<double> amount;
  std::optional<double> promise_ship_hours;
  std::vector<OrderItem> items;
  std::optional<std::string_view> stock;  // one of kStockStates
  std::optional<double> restock_days;
  // shipping
  std::optional<std::string> carrier;
  std::optional<std::string> tracking_number;
  std::optional<std::string> region;
  // tracking
  std::optional<std::string_view> tracking_state;  // one of kTrackingStates
  std::optional<UnixSeconds> last_event_at;
  std::optional<std::string> last_event;
  std::optional<std::string> signed_by;
  // buyer
  std::optional<std::string> buyer_name;
  std::optional<bool> buyer_returning;
};

// `json` must be an object; field paths in errors start with "order.".
// Warnings about unknown fields are appended to `warnings` when given.
Result<Order> ParseOrder(const nlohmann::json& json,
                         std::vector<std::string>* warnings = nullptr);

}  // namespace reply

#endif  // REPLY_ENGINE_ORDER_ORDER_H_

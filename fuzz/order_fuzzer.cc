// Fuzzes the order contract: JSON text -> ParseJson -> ParseOrder (as an
// order file or a request's "order" is read), then the facts derived from
// a parsed order at several instants (a pinned clock, and on and an hour
// after each time the order holds). Every number fact must be finite, and
// compensation, when known, between 1 cent and the amount paid.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/json_parse.h"
#include "engine/base/time.h"
#include "engine/order/facts.h"
#include "engine/order/order.h"
#include "engine/order/shop_policy.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  reply::Result<nlohmann::json> json =
      reply::ParseJson(text, "order file", "order");
  if (!json.ok() || !json->is_object()) return 0;
  reply::Result<reply::Order> order = reply::ParseOrder(*json);
  if (!order.ok()) {
    FUZZ_CHECK(!order.status().message().empty(), "an error without a reason");
    return 0;
  }

  static const reply::UnixSeconds kPinned =
      *reply::ParseRfc3339("2026-11-23T10:00:00+08:00");
  std::vector<reply::UnixSeconds> instants = {kPinned};
  for (const std::optional<reply::UnixSeconds>& t :
       {order->created_at, order->paid_at, order->shipped_at,
        order->delivered_at, order->last_event_at}) {
    if (!t) continue;
    instants.push_back(*t);
    instants.push_back(*t + 3600);
  }
  const reply::ShopPolicy policy;
  for (const reply::UnixSeconds now : instants) {
    const reply::Facts facts = reply::DeriveFacts(&*order, policy, now);
    for (const reply::FactDef& def : reply::FactDefs()) {
      if (def.type != reply::FactType::kNumber || !facts.Known(def.fact)) {
        continue;
      }
      FUZZ_CHECK(std::isfinite(facts.Number(def.fact)),
                 std::string(def.name) + " is not finite");
    }
    if (facts.Known(reply::Fact::kCompensation)) {
      const double compensation = facts.Number(reply::Fact::kCompensation);
      FUZZ_CHECK(compensation >= 0.01 && order->amount &&
                     compensation <= *order->amount,
                 "compensation " + std::to_string(compensation) +
                     " for an amount of " +
                     std::to_string(order->amount.value_or(-1)));
    }
  }
  return 0;
}

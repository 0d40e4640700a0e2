#include "engine/order/timeline.h"

#include <optional>
#include <string>

namespace reply {
namespace {

struct Stamp {
  const char* field;
  const std::optional<UnixSeconds>& time;
};

std::string Quote(UnixSeconds t) { return FormatRfc3339(t, 0); }

}  // namespace

Status CheckTimeline(const Order& o, UnixSeconds now) {
  // In the order an order goes through them.
  const Stamp steps[] = {{"created_at", o.created_at},
                         {"paid_at", o.paid_at},
                         {"shipped_at", o.shipped_at},
                         {"delivered_at", o.delivered_at}};
  const Stamp* last = nullptr;
  for (const Stamp& step : steps) {
    if (!step.time) continue;
    if (last != nullptr && *step.time + kClockSkewSeconds < *last->time) {
      return Status::BadOrder(
          std::string("order.") + step.field + ": " + Quote(*step.time) +
          " is before order." + last->field + " (" + Quote(*last->time) +
          "); an order is created, paid, shipped and delivered in that "
          "order: check both times and their UTC offsets");
    }
    last = &step;
  }
  const Stamp all[] = {steps[0],
                       steps[1],
                       steps[2],
                       steps[3],
                       {"tracking.last_event_at", o.last_event_at}};
  for (const Stamp& stamp : all) {
    if (stamp.time && *stamp.time > now + kClockSkewSeconds) {
      return Status::BadOrder(
          std::string("order.") + stamp.field + ": " + Quote(*stamp.time) +
          " is in the future (now is " + Quote(now) + ", allowing " +
          std::to_string(kClockSkewSeconds / 60) +
          " minutes of clock skew): check the year and the UTC offset, or "
          "pin `now` in the request");
    }
  }
  return Status::Ok();
}

}  // namespace reply

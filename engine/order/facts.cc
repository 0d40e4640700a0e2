#include "engine/order/facts.h"

#include <algorithm>
#include <cmath>

namespace reply {
namespace {

constexpr FactDef kDefs[] = {
    {Fact::kHasOrder,
     "has_order",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the request carried an order; false for a bare message"},
    {Fact::kStatus, "status", FactType::kEnum, FactDisplay::kPlain,
     kOrderStatuses, "the order's status"},
    {Fact::kAmount,
     "amount",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "the amount paid, in the shop's currency"},
    {Fact::kItemCount,
     "item_count",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "number of item lines in the order"},
    {Fact::kHoursSinceCreated,
     "hours_since_created",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "hours since the order was placed"},
    {Fact::kHoursSincePaid,
     "hours_since_paid",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "hours since payment"},
    {Fact::kPaidToday,
     "paid_today",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "payment was made today, shop time"},
    {Fact::kPaidBeforeCutoff,
     "paid_before_cutoff",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "payment was made before the shop's same-day cutoff time of its day"},
    {Fact::kBeforeCutoff,
     "before_cutoff",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "it is now before today's same-day cutoff, shop time"},
    {Fact::kPromiseHours,
     "promise_hours",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "hours after payment the order must ship: the order's promise_ship_hours, "
     "else the shop's"},
    {Fact::kShipDeadline,
     "ship_deadline",
     FactType::kTime,
     FactDisplay::kPlain,
     {},
     "paid_at + promise_hours: when the order must have shipped"},
    {Fact::kHoursToDeadline,
     "hours_to_deadline",
     FactType::kNumber,
     FactDisplay::kCeil,
     {},
     "hours from now to the ship deadline; negative once it has passed"},
    {Fact::kOverdue,
     "overdue",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the ship deadline passed before the order shipped (or it has not "
     "shipped and the deadline is past)"},
    {Fact::kHoursOverdue,
     "hours_overdue",
     FactType::kNumber,
     FactDisplay::kCeil,
     {},
     "hours past the ship deadline; 0 when not overdue"},
    {Fact::kCompensation,
     "compensation",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "compensation for a broken shipping promise: the shop's rate of the "
     "amount, within its minimum and maximum and never more than the "
     "amount; unknown when that is 0"},
    {Fact::kStock, "stock", FactType::kEnum, FactDisplay::kPlain, kStockStates,
     "whether the ordered item is in stock"},
    {Fact::kOutOfStock,
     "out_of_stock",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the order says its item is out of stock; false when it says in_stock "
     "or says nothing (orders are taken from stock)"},
    {Fact::kRestockDays,
     "restock_days",
     FactType::kNumber,
     FactDisplay::kCeil,
     {},
     "days until the item is back in stock"},
    {Fact::kHoursSinceShipped,
     "hours_since_shipped",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "hours since the order shipped"},
    {Fact::kHasTrackingNumber,
     "has_tracking_number",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the order has a tracking number"},
    {Fact::kTrackingState, "tracking_state", FactType::kEnum,
     FactDisplay::kPlain, kTrackingStates, "the carrier's latest state"},
    {Fact::kWithinTrackingGrace,
     "within_tracking_grace",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "shipped less than the shop's tracking_appears_hours ago, so no "
     "tracking yet is normal"},
    {Fact::kHoursSinceTrackingEvent,
     "hours_since_tracking_event",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "hours since the last tracking event"},
    {Fact::kTrackingStale,
     "tracking_stale",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "no tracking event for the shop's stale_tracking_hours or more"},
    {Fact::kRemoteRegion,
     "remote_region",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the shipping region is one of the shop's remote regions"},
    {Fact::kDaysSinceDelivered,
     "days_since_delivered",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "whole days since delivery"},
    {Fact::kWithinReturnWindow,
     "within_return_window",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "delivered no more than the shop's return_window_days ago"},
    {Fact::kBuyerReturning,
     "buyer_returning",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "the buyer has ordered from the shop before"},
    {Fact::kTimesAsked,
     "times_asked",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "how many times the buyer has raised this intent in the conversation, "
     "now included (1 for a message without history); buyer turns between "
     "two agent turns are one ask, and an agent reply of the intent answered "
     "one"},
    {Fact::kTimesSent,
     "times_sent",
     FactType::kNumber,
     FactDisplay::kPlain,
     {},
     "how many agent turns of the history were a reply of this intent (their "
     "`template` is one of its variants); 0 without history"},
    {Fact::kMinutesWaiting,
     "minutes_waiting",
     FactType::kNumber,
     FactDisplay::kFloor,
     {},
     "minutes since the last agent turn (with no agent turn: since the first "
     "buyer turn); unknown without history or when that turn has no `at`"},
    {Fact::kBuyerEscalated,
     "buyer_escalated",
     FactType::kBool,
     FactDisplay::kPlain,
     {},
     "earlier in the conversation the buyer threatened a complaint or a bad "
     "review, or asked for a person (a buyer turn of the history matched a "
     "`handoff` intent); false without history"},
};
static_assert(std::size(kDefs) == static_cast<size_t>(Fact::kCount));

double Hours(UnixSeconds from, UnixSeconds to) {
  return static_cast<double>(to - from) / 3600.0;
}

int MinuteOfDay(UnixSeconds t, int offset) {
  const CivilTime c = ToCivil(t, offset);
  return c.hour * 60 + c.minute;
}

bool SameLocalDay(UnixSeconds a, UnixSeconds b, int offset) {
  const CivilTime x = ToCivil(a, offset);
  const CivilTime y = ToCivil(b, offset);
  return x.year == y.year && x.month == y.month && x.day == y.day;
}

}  // namespace

std::span<const FactDef> FactDefs() { return kDefs; }

const FactDef& DefOf(Fact fact) { return kDefs[static_cast<size_t>(fact)]; }

const FactDef* FindFact(std::string_view name) {
  for (const FactDef& def : kDefs) {
    if (def.name == name) return &def;
  }
  return nullptr;
}

Facts DeriveFacts(const Order* order, const ShopPolicy& policy,
                  UnixSeconds now) {
  Facts f;
  f.SetBool(Fact::kHasOrder, order != nullptr);
  if (order == nullptr) return f;
  const Order& o = *order;
  const int tz = policy.utc_offset_minutes;

  if (o.status) f.SetEnum(Fact::kStatus, *o.status);
  if (o.amount) {
    f.SetNumber(Fact::kAmount, *o.amount);
    // The policy's rate of the amount within its minimum and maximum, but
    // never more than the buyer paid (the minimum of 1 yuan would pay back
    // more than a 0.5 yuan order cost), in whole cents. Nothing to
    // compensate (a free order, a rate of 0) leaves the fact unknown, so no
    // reply promises "补偿您0元": the variants that quote it are skipped.
    const double paid_cents = std::floor(*o.amount * 100 + 1e-6);
    const double cents = std::min(
        std::clamp(std::round(*o.amount * policy.compensation_rate * 100),
                   std::round(policy.compensation_min * 100),
                   std::round(policy.compensation_max * 100)),
        paid_cents);
    if (cents >= 1) f.SetNumber(Fact::kCompensation, cents / 100);
  }
  if (!o.items.empty()) {
    f.SetNumber(Fact::kItemCount, static_cast<double>(o.items.size()));
  }
  if (o.created_at) {
    f.SetNumber(Fact::kHoursSinceCreated, Hours(*o.created_at, now));
  }
  f.SetBool(Fact::kBeforeCutoff,
            MinuteOfDay(now, tz) < policy.same_day_cutoff_minutes);

  const double promise =
      o.promise_ship_hours.value_or(policy.promise_ship_hours);
  f.SetNumber(Fact::kPromiseHours, promise);
  if (o.paid_at) {
    const UnixSeconds paid = *o.paid_at;
    f.SetNumber(Fact::kHoursSincePaid, Hours(paid, now));
    f.SetBool(Fact::kPaidToday, SameLocalDay(paid, now, tz));
    f.SetBool(Fact::kPaidBeforeCutoff,
              MinuteOfDay(paid, tz) < policy.same_day_cutoff_minutes);
    const UnixSeconds deadline =
        paid + static_cast<UnixSeconds>(std::llround(promise * 3600));
    f.SetTime(Fact::kShipDeadline, deadline);
    f.SetNumber(Fact::kHoursToDeadline, Hours(now, deadline));
    // Shipped: was it late? Not shipped: is it late now? Shipped on an
    // unknown date: cannot tell.
    std::optional<UnixSeconds> settled;
    if (o.shipped_at) {
      settled = *o.shipped_at;
    } else if (!o.status || *o.status == "unpaid" || *o.status == "paid") {
      settled = now;
    }
    if (settled) {
      const bool overdue = *settled > deadline;
      f.SetBool(Fact::kOverdue, overdue);
      f.SetNumber(Fact::kHoursOverdue, overdue ? Hours(deadline, *settled) : 0);
    }
  }

  if (o.stock) f.SetEnum(Fact::kStock, *o.stock);
  f.SetBool(Fact::kOutOfStock, o.stock && *o.stock == "out_of_stock");
  if (o.restock_days) f.SetNumber(Fact::kRestockDays, *o.restock_days);

  if (o.shipped_at) {
    const double since = Hours(*o.shipped_at, now);
    f.SetNumber(Fact::kHoursSinceShipped, since);
    f.SetBool(Fact::kWithinTrackingGrace,
              since < policy.tracking_appears_hours);
  }
  f.SetBool(Fact::kHasTrackingNumber,
            o.tracking_number.has_value() && !o.tracking_number->empty());
  if (o.tracking_state) f.SetEnum(Fact::kTrackingState, *o.tracking_state);
  if (o.last_event_at) {
    const double since = Hours(*o.last_event_at, now);
    f.SetNumber(Fact::kHoursSinceTrackingEvent, since);
    f.SetBool(Fact::kTrackingStale, since >= policy.stale_tracking_hours);
  }
  if (o.region) {
    const bool remote =
        std::any_of(policy.remote_regions.begin(), policy.remote_regions.end(),
                    [&](const std::string& r) {
                      return o.region->find(r) != std::string::npos;
                    });
    f.SetBool(Fact::kRemoteRegion, remote);
  }
  if (o.delivered_at) {
    const UnixSeconds elapsed = now - *o.delivered_at;
    f.SetNumber(Fact::kDaysSinceDelivered,
                std::floor(static_cast<double>(elapsed) / 86400.0));
    f.SetBool(Fact::kWithinReturnWindow,
              elapsed <= UnixSeconds{policy.return_window_days} * 86400);
  }
  if (o.buyer_returning) f.SetBool(Fact::kBuyerReturning, *o.buyer_returning);
  return f;
}

}  // namespace reply

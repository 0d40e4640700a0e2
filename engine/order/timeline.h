// CheckTimeline: whether the order's times describe an order that can exist.
// ParseOrder checks each field on its own; this checks them against each
// other and against the clock, since a shop system that sends `shipped_at`
// before `paid_at`, or a `paid_at` next year (a wrong year or time zone),
// would otherwise have replies quote a deadline that never was.
//
//   if (Status s = CheckTimeline(order, now); !s.ok()) return s;
//   // bad_order "order.shipped_at: 2026-11-19T01:00:00Z is before
//   //            order.paid_at (2026-11-20T01:05:00Z); ..."
//
// An order happens in this order: created_at <= paid_at <= shipped_at <=
// delivered_at (absent times are skipped over), and none of its times
// (tracking.last_event_at included) is after `now`. Each comparison allows
// kClockSkewSeconds, since the shop's systems and ours keep separate clocks.
//
// Thread safety: a pure function.
#ifndef REPLY_ENGINE_ORDER_TIMELINE_H_
#define REPLY_ENGINE_ORDER_TIMELINE_H_

#include "engine/base/status.h"
#include "engine/base/time.h"
#include "engine/order/order.h"

namespace reply {

// Five minutes: more than machines synchronised by NTP drift apart, far less
// than any mistake of a day, an hour of time zone, or a year.
inline constexpr UnixSeconds kClockSkewSeconds = 300;

Status CheckTimeline(const Order& order, UnixSeconds now);

}  // namespace reply

#endif  // REPLY_ENGINE_ORDER_TIMELINE_H_

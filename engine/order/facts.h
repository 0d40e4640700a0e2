// Facts: what the engine can state about an order at a given instant,
// derived from the order, the shop's policy and the clock. Reply variants
// choose on facts (`when: status == "paid" and overdue`) and quote them
// ({{facts.hours_to_deadline}}).
//
//   Facts f = DeriveFacts(&order, policy, now);
//   if (f.Known(Fact::kOverdue) && f.Bool(Fact::kOverdue)) ...
//
// A fact is unknown when its inputs are missing (no paid_at: no deadline);
// a condition over an unknown fact is never true, and a reply never quotes
// one. The full list, with types and meaning, is FactDefs(); docs/
// authoring.md lists them too, and a test keeps the two in step.
//
// Thread safety: plain values; FactDefs() is immutable.
#ifndef REPLY_ENGINE_ORDER_FACTS_H_
#define REPLY_ENGINE_ORDER_FACTS_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/base/time.h"
#include "engine/order/order.h"
#include "engine/order/shop_policy.h"
#include "engine/order/slots.h"

namespace reply {

enum class Fact : uint8_t {
  kHasOrder,
  kStatus,
  kAmount,
  kItemCount,
  kHoursSinceCreated,
  kHoursSincePaid,
  kPaidToday,
  kPaidBeforeCutoff,
  kBeforeCutoff,
  kPromiseHours,
  kShipDeadline,
  kHoursToDeadline,
  kOverdue,
  kHoursOverdue,
  kCompensation,
  kStock,
  kOutOfStock,
  kRestockDays,
  kHoursSinceShipped,
  kHasTrackingNumber,
  kTrackingState,
  kWithinTrackingGrace,
  kHoursSinceTrackingEvent,
  kTrackingStale,
  kRemoteRegion,
  kDaysSinceDelivered,
  kWithinReturnWindow,
  kBuyerReturning,
  // Conversation facts: set by the pipeline from the request's history
  // (engine/pipeline/conversation.h), per intent being answered; DeriveFacts
  // leaves them unknown.
  kTimesAsked,
  kTimesSent,
  kMinutesWaiting,
  kBuyerEscalated,
  kCount,
};

enum class FactType : uint8_t {
  kBool,
  kNumber,
  kEnum,  // one of FactDef::values
  kTime,  // an instant: quoted in replies, not compared in conditions
};

// How a number is written in a reply.
enum class FactDisplay : uint8_t {
  kPlain,  // up to 2 decimals, trailing zeros dropped
  kCeil,   // whole number rounded up: "3 hours left" when 2.2 are left
  kFloor,  // whole number rounded down: "2 days since delivery"
};

struct FactDef {
  Fact fact;
  std::string_view name;
  FactType type;
  FactDisplay display;
  std::span<const std::string_view> values;  // kEnum only
  std::string_view doc;
};

std::span<const FactDef> FactDefs();
const FactDef& DefOf(Fact fact);
// nullptr when no fact has that name.
const FactDef* FindFact(std::string_view name);

class Facts {
 public:
  bool Known(Fact f) const { return known_[Index(f)]; }
  bool Bool(Fact f) const { return values_[Index(f)].boolean; }
  double Number(Fact f) const { return values_[Index(f)].number; }
  std::string_view Enum(Fact f) const { return values_[Index(f)].text; }
  UnixSeconds Time(Fact f) const { return values_[Index(f)].time; }

  void SetBool(Fact f, bool v) { Set(f).boolean = v; }
  void SetNumber(Fact f, double v) { Set(f).number = v; }
  void SetEnum(Fact f, std::string_view v) { Set(f).text = v; }
  void SetTime(Fact f, UnixSeconds v) { Set(f).time = v; }

  // The slots the buyer said, for `when` tests on slots.NAME; null (no
  // slot said) unless the pipeline extracted some. Not owned: the slots
  // outlive the facts within one request. Lazy slots are extracted when
  // first read.
  const Slots* slots() const {
    return lazy_slots_ != nullptr ? &lazy_slots_->Get() : slots_;
  }
  void set_slots(const Slots* slots) {
    slots_ = slots;
    lazy_slots_ = nullptr;
  }
  void set_slots(const LazySlots* slots) {
    lazy_slots_ = slots;
    slots_ = nullptr;
  }

 private:
  union Value {
    bool boolean;
    double number;
    UnixSeconds time;
    std::string_view text;  // a static enum value
    Value() : number(0) {}
  };
  static size_t Index(Fact f) { return static_cast<size_t>(f); }
  Value& Set(Fact f) {
    known_[Index(f)] = true;
    return values_[Index(f)];
  }

  std::array<bool, static_cast<size_t>(Fact::kCount)> known_{};
  std::array<Value, static_cast<size_t>(Fact::kCount)> values_{};
  const Slots* slots_ = nullptr;
  const LazySlots* lazy_slots_ = nullptr;
};

// `order` may be null: a message with no order. Only has_order is known then.
Facts DeriveFacts(const Order* order, const ShopPolicy& policy,
                  UnixSeconds now);

}  // namespace reply

#endif  // REPLY_ENGINE_ORDER_FACTS_H_

#include "server/suggest_frame_decoder.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "engine/api/json_codec.h"
#include "server/strict_json_reader.h"

namespace reply::server {
namespace {

using strict_json::Is;
using strict_json::Number;
using strict_json::Reader;
using strict_json::ReadObject;

// Each known member at most once: with duplicates nlohmann keeps the last,
// which this single pass would have to undo. Bit `bit` of *seen.
bool FirstTime(uint32_t* seen, int bit) {
  if (*seen & (uint32_t{1} << bit)) return false;
  *seen |= uint32_t{1} << bit;
  return true;
}

// The order's field readers, each the rules of engine/order/order.cc's
// FieldReader for valid values; anything else gives up (the general path
// names the error).
class OrderReader {
 public:
  OrderReader(Reader& r, std::string* scratch) : r_(r), scratch_(scratch) {}

  bool Text(std::optional<std::string>* out) {
    if (r_.TakeNull()) return true;
    std::string_view s;
    if (!r_.String(&s, scratch_) || s.size() > Order::kMaxTextBytes) {
      return false;
    }
    out->emplace(s);
    return true;
  }

  template <size_t N>
  bool Enum(const std::array<std::string_view, N>& values,
            std::optional<std::string_view>* out) {
    if (r_.TakeNull()) return true;
    std::string_view s;
    if (!r_.String(&s, scratch_)) return false;
    for (std::string_view value : values) {
      if (s == value) {
        *out = value;  // the static string, not the text's bytes
        return true;
      }
    }
    return false;
  }

  bool Time(std::optional<UnixSeconds>* out) {
    if (r_.TakeNull()) return true;
    std::string_view s;
    if (!r_.String(&s, scratch_)) return false;
    Result<UnixSeconds> t = ParseRfc3339(s);
    if (!t.ok()) return false;
    *out = *t;
    return true;
  }

  bool NumberIn(double min, double max, std::optional<double>* out,
                bool above_min = false) {
    if (r_.TakeNull()) return true;
    Number n;
    if (!r_.ReadNumber(&n)) return false;
    const double d = n.AsDouble();
    if (!std::isfinite(d) || d < min || (above_min && d == min) || d > max) {
      return false;
    }
    *out = d;
    return true;
  }

  bool IntegerIn(int64_t min, int64_t max, std::optional<int64_t>* out) {
    if (r_.TakeNull()) return true;
    Number n;
    if (!r_.ReadNumber(&n) || !n.integer || n.i < min || n.i > max) {
      return false;
    }
    *out = n.i;
    return true;
  }

  bool Bool(std::optional<bool>* out) {
    switch (r_.Peek()) {
      case 'n':
        return r_.Literal("null");
      case 't':
        *out = true;
        return r_.Literal("true");
      case 'f':
        *out = false;
        return r_.Literal("false");
      default:
        return false;
    }
  }

  // A nested object of the order (shipping, tracking, buyer), or null.
  template <typename Member>
  bool Object(Member&& member) {
    if (r_.TakeNull()) return true;
    if (r_.Peek() != '{') return false;
    return ReadObject(r_, member, scratch_);
  }

  bool Item(OrderItem* item) {
    uint32_t seen = 0;
    return ReadObject(
        r_,
        [&](std::string_view key) {
          if (Is(key, "name")) return FirstTime(&seen, 0) && Text(&item->name);
          if (Is(key, "sku")) return FirstTime(&seen, 1) && Text(&item->sku);
          if (Is(key, "size")) return FirstTime(&seen, 2) && Text(&item->size);
          if (Is(key, "color"))
            return FirstTime(&seen, 3) && Text(&item->color);
          if (Is(key, "quantity")) {
            return FirstTime(&seen, 4) &&
                   IntegerIn(0, 1000000, &item->quantity);
          }
          return false;  // unknown: the general path warns
        },
        scratch_);
  }

  bool Items(std::vector<OrderItem>* items) {
    if (r_.TakeNull()) return true;
    if (!r_.Take('[')) return false;
    if (r_.Take(']')) return true;
    do {
      if (items->size() == Order::kMaxItems) return false;
      if (r_.Peek() != '{' || !Item(&items->emplace_back())) return false;
    } while (r_.Take(','));
    return r_.Take(']');
  }

  bool Read(Order* o) {
    // The limits of engine/order/order.cc.
    constexpr double kMaxAmount = 1e9;
    constexpr double kMaxHours = 24.0 * 365;
    constexpr double kMaxDays = 365;
    uint32_t seen = 0;
    return ReadObject(
        r_,
        [&](std::string_view key) {
          if (Is(key, "id")) return FirstTime(&seen, 0) && Text(&o->id);
          if (Is(key, "status")) {
            return FirstTime(&seen, 1) && Enum(kOrderStatuses, &o->status);
          }
          if (Is(key, "created_at")) {
            return FirstTime(&seen, 2) && Time(&o->created_at);
          }
          if (Is(key, "paid_at"))
            return FirstTime(&seen, 3) && Time(&o->paid_at);
          if (Is(key, "shipped_at")) {
            return FirstTime(&seen, 4) && Time(&o->shipped_at);
          }
          if (Is(key, "delivered_at")) {
            return FirstTime(&seen, 5) && Time(&o->delivered_at);
          }
          if (Is(key, "amount")) {
            return FirstTime(&seen, 6) && NumberIn(0, kMaxAmount, &o->amount);
          }
          if (Is(key, "promise_ship_hours")) {
            return FirstTime(&seen, 7) &&
                   NumberIn(0, kMaxHours, &o->promise_ship_hours,
                            /*above_min=*/true);
          }
          if (Is(key, "stock")) {
            return FirstTime(&seen, 8) && Enum(kStockStates, &o->stock);
          }
          if (Is(key, "restock_days")) {
            return FirstTime(&seen, 9) &&
                   NumberIn(0, kMaxDays, &o->restock_days);
          }
          if (Is(key, "items")) return FirstTime(&seen, 10) && Items(&o->items);
          if (Is(key, "shipping")) {
            uint32_t inner = 0;
            return FirstTime(&seen, 11) && Object([&](std::string_view k) {
                     if (Is(k, "carrier")) {
                       return FirstTime(&inner, 0) && Text(&o->carrier);
                     }
                     if (Is(k, "tracking_number")) {
                       return FirstTime(&inner, 1) && Text(&o->tracking_number);
                     }
                     if (Is(k, "region")) {
                       return FirstTime(&inner, 2) && Text(&o->region);
                     }
                     return false;  // unknown: the general path warns
                   });
          }
          if (Is(key, "tracking")) {
            uint32_t inner = 0;
            return FirstTime(&seen, 12) && Object([&](std::string_view k) {
                     if (Is(k, "state")) {
                       return FirstTime(&inner, 0) &&
                              Enum(kTrackingStates, &o->tracking_state);
                     }
                     if (Is(k, "last_event_at")) {
                       return FirstTime(&inner, 1) && Time(&o->last_event_at);
                     }
                     if (Is(k, "last_event")) {
                       return FirstTime(&inner, 2) && Text(&o->last_event);
                     }
                     if (Is(k, "signed_by")) {
                       return FirstTime(&inner, 3) && Text(&o->signed_by);
                     }
                     return false;  // unknown: the general path warns
                   });
          }
          if (Is(key, "buyer")) {
            uint32_t inner = 0;
            return FirstTime(&seen, 13) && Object([&](std::string_view k) {
                     if (Is(k, "name")) {
                       return FirstTime(&inner, 0) && Text(&o->buyer_name);
                     }
                     if (Is(k, "returning")) {
                       return FirstTime(&inner, 1) && Bool(&o->buyer_returning);
                     }
                     return false;  // unknown: the general path warns
                   });
          }
          return false;  // unknown: the general path warns
        },
        scratch_);
  }

 private:
  Reader& r_;
  std::string* scratch_;
};

}  // namespace

bool DecodeSuggestFrame(std::string_view text, ClientMessage* out,
                        FrameBytes bytes) {
  Reader r(text, bytes);
  std::string scratch;
  std::optional<std::string_view> type;
  bool have_id = false, have_message = false;
  uint32_t seen = 0;
  Request& request = out->request;
  // A string member of at most `limit` bytes; null is "not given".
  const auto optional_string = [&](size_t limit, std::string* value,
                                   bool* given) {
    if (r.TakeNull()) return true;
    std::string_view s;
    if (!r.String(&s, &scratch) || s.size() > limit) return false;
    value->assign(s);
    *given = true;
    return true;
  };
  const bool ok = ReadObject(
      r,
      [&](std::string_view key) {
        bool ignored = false;
        if (Is(key, "type")) {
          std::string_view s;
          if (!FirstTime(&seen, 0) || !r.String(&s, &scratch)) return false;
          if (s != "suggest" && s != "trigger") return false;
          type = s == "suggest" ? "suggest" : "trigger";
          return true;
        }
        if (Is(key, "id")) {
          return FirstTime(&seen, 1) &&
                 optional_string(kMaxIdBytes, &out->id, &have_id);
        }
        if (Is(key, "message")) {
          return FirstTime(&seen, 2) &&
                 optional_string(Request::kMaxMessageBytes, &request.message,
                                 &have_message);
        }
        if (Is(key, "conversation_id")) {
          return FirstTime(&seen, 3) &&
                 optional_string(kMaxIdBytes, &out->conversation_id, &ignored);
        }
        if (Is(key, "locale")) {
          return FirstTime(&seen, 4) &&
                 optional_string(std::string::npos, &request.locale, &ignored);
        }
        if (Is(key, "max")) {
          if (!FirstTime(&seen, 5)) return false;
          if (r.TakeNull()) return true;
          Number n;
          if (!r.ReadNumber(&n) || !n.integer || n.i < 1 ||
              n.i > Request::kMaxSuggestions) {
            return false;
          }
          request.max = static_cast<int>(n.i);
          return true;
        }
        if (Is(key, "now")) {
          if (!FirstTime(&seen, 6)) return false;
          if (r.TakeNull()) return true;
          std::string_view s;
          if (!r.String(&s, &scratch)) return false;
          Result<UnixSeconds> now = ParseRfc3339(s);
          if (!now.ok()) return false;
          request.now = *now;
          return true;
        }
        if (Is(key, "order")) {
          if (!FirstTime(&seen, 7)) return false;
          if (r.TakeNull()) return true;
          if (r.Peek() != '{') return false;
          return OrderReader(r, &scratch).Read(&request.order.emplace());
        }
        // A conversation is rarer and has more to check: the general path
        // reads it (null is no history).
        if (Is(key, "history")) return FirstTime(&seen, 8) && r.TakeNull();
        // A near miss of a field (conversationId) is answered with a
        // warning, which the general path writes.
        if (!RequestFieldHint(key, kSuggestFrameFields).empty()) return false;
        // "trigger" among them: the message type decides.
        return r.SkipValue(1, &scratch);
      },
      &scratch);
  r.SkipSpace();
  // An empty id is refused (DecodeFrame says why): not this path's to judge.
  if (!ok || !r.AtEnd() || !type || !have_id || out->id.empty()) return false;
  const bool trigger = *type == "trigger";
  out->type = trigger ? MessageType::kTrigger : MessageType::kSuggest;
  request.trigger = trigger;
  if (trigger ? !request.order : !have_message) return false;
  // Wording experiments choose a conversation's arm by it.
  request.conversation_id = out->conversation_id;
  return true;
}

}  // namespace reply::server

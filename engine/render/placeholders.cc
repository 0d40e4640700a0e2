#include "engine/render/placeholders.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace reply {
namespace {

std::vector<PlaceholderDef> BuildDefs() {
  std::vector<PlaceholderDef> defs = {
      {"order.id", PlaceholderKind::kText, "the order number"},
      {"order.status", PlaceholderKind::kText, "the order's status, as sent"},
      {"order.amount", PlaceholderKind::kText, "the amount paid"},
      {"order.item", PlaceholderKind::kText, "the first item's name"},
      {"order.sku", PlaceholderKind::kText, "the first item's SKU"},
      {"order.size", PlaceholderKind::kText, "the first item's size"},
      {"order.color", PlaceholderKind::kText, "the first item's colour"},
      {"order.quantity", PlaceholderKind::kText, "the first item's quantity"},
      {"order.items", PlaceholderKind::kList,
       "every item: {{#order.items}}{{name}} {{size}}{{/order.items}}"},
      {"order.restock_days", PlaceholderKind::kText,
       "days until the item is back in stock"},
      {"order.carrier", PlaceholderKind::kText, "the carrier (快递公司)"},
      {"order.tracking_number", PlaceholderKind::kText, "the tracking number"},
      {"order.region", PlaceholderKind::kText, "the shipping region"},
      {"order.last_event", PlaceholderKind::kText,
       "the carrier's last tracking event"},
      {"order.last_event_at", PlaceholderKind::kText,
       "when the last tracking event happened, shop time"},
      {"order.signed_by", PlaceholderKind::kText,
       "who signed for the parcel (门卫, 驿站, ...)"},
      {"order.created_at", PlaceholderKind::kText, "when the order was placed"},
      {"order.paid_at", PlaceholderKind::kText, "when it was paid"},
      {"order.shipped_at", PlaceholderKind::kText, "when it shipped"},
      {"order.delivered_at", PlaceholderKind::kText, "when it was delivered"},
      {"buyer.name", PlaceholderKind::kText, "the buyer's name or nickname"},
      {"buyer.returning", PlaceholderKind::kFlag,
       "the buyer has ordered before"},
      {"shop.name", PlaceholderKind::kText, "the shop's name"},
      {"shop.promise_hours", PlaceholderKind::kText,
       "the shop's shipping promise, hours after payment"},
      {"shop.same_day_cutoff", PlaceholderKind::kText,
       "orders paid before this time ship the same day (16:00)"},
      {"shop.return_window_days", PlaceholderKind::kText,
       "days after delivery a return is accepted"},
      {"shop.carriers", PlaceholderKind::kText,
       "the carriers the shop ships with, listed"},
      {"shop.tracking_appears_hours", PlaceholderKind::kText,
       "hours after shipping within which tracking shows"},
      {"shop.stale_tracking_hours", PlaceholderKind::kText,
       "hours without a tracking event that count as stuck"},
      {"shop.signed_followup_days", PlaceholderKind::kText,
       "days within which we report back on a missing parcel"},
      {"shop.compensation_percent", PlaceholderKind::kText,
       "compensation for a broken shipping promise, percent of the amount"},
      {"shop.compensation_min", PlaceholderKind::kText,
       "the least compensation"},
      {"shop.compensation_max", PlaceholderKind::kText,
       "the most compensation"},
      {"shop.signature", PlaceholderKind::kText,
       "the shop's sign-off in the reply's language"},
  };
  for (const FactDef& f : FactDefs()) {
    defs.push_back({"facts." + std::string(f.name),
                    f.type == FactType::kBool ? PlaceholderKind::kFlag
                                              : PlaceholderKind::kText,
                    std::string(f.doc)});
  }
  return defs;
}

std::string Join(const std::vector<std::string>& parts,
                 std::string_view locale) {
  const std::string sep = locale == "zh" ? "、" : ", ";
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::optional<std::string> Opt(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::nullopt;
  return *s;
}

std::optional<std::string> Time(const std::optional<UnixSeconds>& t,
                                const RenderInputs& in) {
  if (!t) return std::nullopt;
  return FormatLocalTime(*t, in.shop->utc_offset_minutes, in.locale);
}

std::optional<std::string> FactText(std::string_view name,
                                    const RenderInputs& in) {
  const FactDef* def = FindFact(name);
  if (def == nullptr || in.facts == nullptr || !in.facts->Known(def->fact)) {
    return std::nullopt;
  }
  switch (def->type) {
    case FactType::kNumber:
      return FormatNumber(in.facts->Number(def->fact), def->display, in.locale);
    case FactType::kEnum:
      return std::string(in.facts->Enum(def->fact));
    case FactType::kTime:
      return FormatLocalTime(in.facts->Time(def->fact),
                             in.shop->utc_offset_minutes, in.locale);
    case FactType::kBool:
      break;
  }
  return std::nullopt;
}

}  // namespace

const std::vector<PlaceholderDef>& PlaceholderDefs() {
  static const std::vector<PlaceholderDef>* defs =
      new std::vector<PlaceholderDef>(BuildDefs());
  return *defs;
}

const PlaceholderDef* FindPlaceholder(std::string_view name) {
  // slots.NAME: any slot the pack defines (the loader checks the name
  // against the pack's slots, which this layer does not know).
  if (name.starts_with("slots.") && name.size() > 6) {
    static const PlaceholderDef* slot = new PlaceholderDef{
        "slots.", PlaceholderKind::kText, "a value the buyer said"};
    return slot;
  }
  // Rendering looks names up for every tag, so by hash, not by scan.
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string_view, const PlaceholderDef*>;
    for (const PlaceholderDef& def : PlaceholderDefs())
      map->emplace(def.name, &def);
    return map;
  }();
  auto it = index->find(name);
  return it == index->end() ? nullptr : it->second;
}

bool IsItemField(std::string_view name) {
  return name == "name" || name == "sku" || name == "size" || name == "color" ||
         name == "quantity";
}

std::optional<std::string> ItemFieldText(std::string_view name,
                                         const OrderItem& item) {
  if (name == "name") return Opt(item.name);
  if (name == "sku") return Opt(item.sku);
  if (name == "size") return Opt(item.size);
  if (name == "color") return Opt(item.color);
  if (name == "quantity" && item.quantity) {
    return std::to_string(*item.quantity);
  }
  return std::nullopt;
}

std::string FormatNumber(double value, FactDisplay display,
                         std::string_view locale) {
  switch (display) {
    case FactDisplay::kCeil:
      value = std::ceil(value - 1e-9);
      break;
    case FactDisplay::kFloor:
      value = std::floor(value + 1e-9);
      break;
    case FactDisplay::kPlain:
      value = std::round(value * 100) / 100;
      break;
  }
  if (value == 0) value = 0;  // no "-0"
  char buf[32];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 2);
  std::string s(buf, end);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  if (locale == "vi") std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string FormatLocalTime(UnixSeconds t, int utc_offset_minutes,
                            std::string_view locale) {
  const CivilTime c = ToCivil(t, utc_offset_minutes);
  char buf[64];
  if (locale == "zh") {
    std::snprintf(buf, sizeof buf, "%d月%d日 %02d:%02d", c.month, c.day, c.hour,
                  c.minute);
  } else if (locale == "vi") {
    std::snprintf(buf, sizeof buf, "%02d:%02d ngày %02d/%02d", c.hour, c.minute,
                  c.day, c.month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month,
                  c.day, c.hour, c.minute);
  }
  return buf;
}

std::optional<std::string> PlaceholderText(std::string_view name,
                                           const RenderInputs& in) {
  const ShopPolicy& shop = *in.shop;
  if (name.starts_with("facts.")) return FactText(name.substr(6), in);
  if (name.starts_with("slots.")) {
    const Slots* slots = in.facts == nullptr ? nullptr : in.facts->slots();
    const SlotValue* v =
        slots == nullptr ? nullptr : slots->Find(name.substr(6));
    if (v == nullptr) return std::nullopt;
    return v->value;
  }
  if (name.starts_with("shop.")) {
    const std::string_view key = name.substr(5);
    if (key == "name") {
      const std::string& name = shop.NameFor(in.locale);
      return name.empty() ? std::nullopt : std::optional(name);
    }
    if (key == "promise_hours")
      return FormatNumber(shop.promise_ship_hours, FactDisplay::kPlain,
                          in.locale);
    if (key == "same_day_cutoff") {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d:%02d",
                    shop.same_day_cutoff_minutes / 60,
                    shop.same_day_cutoff_minutes % 60);
      return std::string(buf);
    }
    if (key == "return_window_days")
      return std::to_string(shop.return_window_days);
    if (key == "carriers") {
      const std::vector<std::string>& carriers = shop.CarriersFor(in.locale);
      if (carriers.empty()) return std::nullopt;
      return Join(carriers, in.locale);
    }
    if (key == "tracking_appears_hours")
      return FormatNumber(shop.tracking_appears_hours, FactDisplay::kPlain,
                          in.locale);
    if (key == "stale_tracking_hours")
      return FormatNumber(shop.stale_tracking_hours, FactDisplay::kPlain,
                          in.locale);
    if (key == "signed_followup_days")
      return FormatNumber(shop.signed_followup_days, FactDisplay::kPlain,
                          in.locale);
    if (key == "compensation_percent")
      return FormatNumber(shop.compensation_rate * 100, FactDisplay::kPlain,
                          in.locale);
    if (key == "compensation_min")
      return FormatNumber(shop.compensation_min, FactDisplay::kPlain,
                          in.locale);
    if (key == "compensation_max")
      return FormatNumber(shop.compensation_max, FactDisplay::kPlain,
                          in.locale);
    if (key == "signature") {
      auto it = shop.signature.find(std::string(in.locale));
      if (it == shop.signature.end() || it->second.empty()) return std::nullopt;
      return it->second;
    }
    return std::nullopt;
  }
  if (in.order == nullptr) return std::nullopt;
  const Order& o = *in.order;
  const OrderItem* first = o.items.empty() ? nullptr : &o.items.front();
  if (name == "buyer.name") return Opt(o.buyer_name);
  if (!name.starts_with("order.")) return std::nullopt;
  const std::string_view key = name.substr(6);
  if (key == "id") return Opt(o.id);
  if (key == "status")
    return o.status ? std::optional(std::string(*o.status)) : std::nullopt;
  if (key == "amount")
    return o.amount ? std::optional(FormatNumber(*o.amount, FactDisplay::kPlain,
                                                 in.locale))
                    : std::nullopt;
  if (key == "item") return first ? Opt(first->name) : std::nullopt;
  if (key == "sku") return first ? Opt(first->sku) : std::nullopt;
  if (key == "size") return first ? Opt(first->size) : std::nullopt;
  if (key == "color") return first ? Opt(first->color) : std::nullopt;
  if (key == "quantity") {
    return first && first->quantity
               ? std::optional(std::to_string(*first->quantity))
               : std::nullopt;
  }
  if (key == "restock_days") {
    return o.restock_days ? std::optional(FormatNumber(
                                *o.restock_days, FactDisplay::kCeil, in.locale))
                          : std::nullopt;
  }
  if (key == "carrier") return Opt(o.carrier);
  if (key == "tracking_number") return Opt(o.tracking_number);
  if (key == "region") return Opt(o.region);
  if (key == "last_event") return Opt(o.last_event);
  if (key == "last_event_at") return Time(o.last_event_at, in);
  if (key == "signed_by") return Opt(o.signed_by);
  if (key == "created_at") return Time(o.created_at, in);
  if (key == "paid_at") return Time(o.paid_at, in);
  if (key == "shipped_at") return Time(o.shipped_at, in);
  if (key == "delivered_at") return Time(o.delivered_at, in);
  return std::nullopt;
}

std::optional<bool> PlaceholderFlag(std::string_view name,
                                    const RenderInputs& in) {
  if (name.starts_with("facts.")) {
    const FactDef* def = FindFact(name.substr(6));
    if (def == nullptr || in.facts == nullptr || !in.facts->Known(def->fact)) {
      return std::nullopt;
    }
    return in.facts->Bool(def->fact);
  }
  if (name == "buyer.returning" && in.order != nullptr) {
    return in.order->buyer_returning;
  }
  return std::nullopt;
}

}  // namespace reply

// Placeholders: the names a reply template may quote
// ({{order.tracking_number}},
// {{buyer.name}}, {{facts.hours_to_deadline}}, {{shop.promise_hours}},
// {{slots.size}}: a value the buyer said, read from facts->slots()) and
// their values for one request, written the way a reply should read them
// (hours as whole numbers, money with at most two decimals, times in the
// shop's time zone and the reply's language).
//
// Thread safety: pure functions over immutable inputs.
#ifndef REPLY_ENGINE_RENDER_PLACEHOLDERS_H_
#define REPLY_ENGINE_RENDER_PLACEHOLDERS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/order/facts.h"
#include "engine/order/order.h"
#include "engine/order/shop_policy.h"

namespace reply {

enum class PlaceholderKind {
  kText,  // quoted as text; a section {{#x}} renders when it has a value
  kFlag,  // true/false, for sections only: {{#facts.remote_region}}..{{/..}}
  kList,  // order.items: a section repeated per item, fields inside
};

struct PlaceholderDef {
  std::string name;
  PlaceholderKind kind;
  std::string doc;
};

// Every placeholder, facts.* included, in documentation order; slots.* are
// the pack's own (FindPlaceholder knows any slots.NAME).
const std::vector<PlaceholderDef>& PlaceholderDefs();
const PlaceholderDef* FindPlaceholder(std::string_view name);
// Fields of one element inside {{#order.items}}: name, sku, size, color,
// quantity.
bool IsItemField(std::string_view name);
// The text of item field `name` of `item`, or nullopt when it has none.
std::optional<std::string> ItemFieldText(std::string_view name,
                                         const OrderItem& item);

struct RenderInputs {
  const Order* order = nullptr;  // null: no order
  const Facts* facts = nullptr;
  const ShopPolicy* shop = nullptr;
  std::string_view locale;  // "zh", "vi": how times are written
};

// The text of a kText placeholder, or nullopt when the request lacks it.
std::optional<std::string> PlaceholderText(std::string_view name,
                                           const RenderInputs& in);
// The value of a kFlag placeholder, or nullopt when unknown.
std::optional<bool> PlaceholderFlag(std::string_view name,
                                    const RenderInputs& in);

// "6.45", "30", "1.5": at most two decimals, no trailing zeros; Vietnamese
// ("vi") writes the decimal separator as a comma: "6,45".
std::string FormatNumber(double value, FactDisplay display,
                         std::string_view locale = "");
// "11月25日 10:00" (zh), "10:00 ngày 25/11" (vi), shop time.
std::string FormatLocalTime(UnixSeconds t, int utc_offset_minutes,
                            std::string_view locale);

}  // namespace reply

#endif  // REPLY_ENGINE_RENDER_PLACEHOLDERS_H_

#include "engine/order/order.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"

namespace reply {
namespace {

using nlohmann::json;

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "null";
  }
}

// Reads the fields of one JSON object, remembering the first error with the
// full path of the field ("order.shipping.carrier").
class FieldReader {
 public:
  FieldReader(const json& object, std::string path, Status* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  // The field, or nullptr when absent, null, or an error is already set.
  const json* Get(const char* name) const {
    if (!error_->ok()) return nullptr;
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::string Path(const char* name) const { return path_ + "." + name; }

  void Fail(const char* name, const std::string& why) const {
    if (error_->ok()) *error_ = Status::BadOrder(Path(name) + ": " + why);
  }

  void Text(const char* name, std::optional<std::string>* out) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_string())
      return Fail(name, "expected a string, got " + TypeName(*v));
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > Order::kMaxTextBytes) {
      return Fail(name, "is " + std::to_string(s.size()) +
                            " bytes; the limit is " +
                            std::to_string(Order::kMaxTextBytes));
    }
    if (FindInvalidUtf8(s) != std::string_view::npos) {
      return Fail(name, "is not valid UTF-8");
    }
    *out = s;
  }

  template <size_t N>
  void Enum(const char* name, const std::array<std::string_view, N>& values,
            std::optional<std::string_view>* out) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_string())
      return Fail(name, "expected a string, got " + TypeName(*v));
    const auto& s = v->get_ref<const std::string&>();
    for (std::string_view value : values) {
      if (s == value) {
        *out = value;
        return;
      }
    }
    std::string allowed;
    for (std::string_view value : values) {
      if (!allowed.empty()) allowed += ", ";
      allowed += value;
    }
    Fail(name, "unknown value \"" + s.substr(0, 64) + "\"; expected one of " +
                   allowed);
  }

  // A number in [min, max], or in (min, max] when `above_min`.
  void Number(const char* name, double min, double max,
              std::optional<double>* out, bool above_min = false) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_number())
      return Fail(name, "expected a number, got " + TypeName(*v));
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < min || (above_min && d == min) || d > max) {
      return Fail(
          name,
          (above_min ? "must be more than " + Format(min) + " and at most "
                     : "must be between " + Format(min) + " and ") +
              Format(max));
    }
    *out = d;
  }

  void Integer(const char* name, int64_t min, int64_t max,
               std::optional<int64_t>* out) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_number_integer()) {
      return Fail(name, "expected an integer, got " + TypeName(*v));
    }
    // Read unsigned when it is: a value beyond int64 must not wrap around
    // into the range.
    const bool above = v->is_number_unsigned() &&
                       v->get<uint64_t>() > static_cast<uint64_t>(max);
    const int64_t i = above ? max : v->get<int64_t>();
    if (above || i < min || i > max) {
      return Fail(name, "must be between " + std::to_string(min) + " and " +
                            std::to_string(max));
    }
    *out = i;
  }

  void Bool(const char* name, std::optional<bool>* out) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_boolean())
      return Fail(name, "expected true or false, got " + TypeName(*v));
    *out = v->get<bool>();
  }

  void Time(const char* name, std::optional<UnixSeconds>* out) const {
    const json* v = Get(name);
    if (v == nullptr) return;
    if (!v->is_string()) {
      return Fail(name,
                  "expected an RFC 3339 time string, got " + TypeName(*v));
    }
    Result<UnixSeconds> t = ParseRfc3339(v->get_ref<const std::string&>());
    if (!t.ok()) return Fail(name, t.status().message());
    *out = *t;
  }

  // Appends a warning for each field of the object not in `known`, with
  // the name it most likely meant: an unknown field is ignored, so a
  // misspelt one (paidAt) would otherwise degrade replies in silence.
  void WarnUnknown(std::initializer_list<std::string_view> known,
                   std::vector<std::string>* warnings) const {
    if (warnings == nullptr) return;
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end())
        continue;
      warnings->push_back(path_ + "." + it.key().substr(0, 64) +
                          ": unknown field, ignored" +
                          FieldNameHint(it.key(), known));
    }
  }

  // The nested object `name`, or nullptr (absent, or not an object: error).
  const json* Object(const char* name) const {
    const json* v = Get(name);
    if (v == nullptr) return nullptr;
    if (!v->is_object()) {
      Fail(name, "expected an object, got " + TypeName(*v));
      return nullptr;
    }
    return v;
  }

 private:
  static std::string Format(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  const json& object_;
  std::string path_;
  Status* error_;
};

constexpr double kMaxAmount = 1e9;
constexpr double kMaxHours = 24.0 * 365;
constexpr double kMaxDays = 365;

}  // namespace

Result<Order> ParseOrder(const json& j, std::vector<std::string>* warnings) {
  if (!j.is_object()) {
    return Status::BadOrder("order: expected an object, got " + TypeName(j));
  }
  Status error;
  Order o;
  const FieldReader r(j, "order", &error);
  r.WarnUnknown({"id", "status", "created_at", "paid_at", "shipped_at",
                 "delivered_at", "amount", "promise_ship_hours", "items",
                 "stock", "restock_days", "shipping", "tracking", "buyer"},
                warnings);
  r.Text("id", &o.id);
  r.Enum("status", kOrderStatuses, &o.status);
  r.Time("created_at", &o.created_at);
  r.Time("paid_at", &o.paid_at);
  r.Time("shipped_at", &o.shipped_at);
  r.Time("delivered_at", &o.delivered_at);
  r.Number("amount", 0, kMaxAmount, &o.amount);
  // Replies quote it ("付款后48小时内发货"): a promise of 0 hours is a mistake.
  r.Number("promise_ship_hours", 0, kMaxHours, &o.promise_ship_hours,
           /*above_min=*/true);
  r.Enum("stock", kStockStates, &o.stock);
  r.Number("restock_days", 0, kMaxDays, &o.restock_days);
  if (const json* items = r.Get("items")) {
    if (!items->is_array()) {
      r.Fail("items", "expected an array, got " + TypeName(*items));
    } else if (items->size() > Order::kMaxItems) {
      r.Fail("items", "has " + std::to_string(items->size()) +
                          " items; the limit is " +
                          std::to_string(Order::kMaxItems));
    } else {
      for (size_t i = 0; i < items->size() && error.ok(); ++i) {
        const std::string path =
            r.Path("items") + "[" + std::to_string(i) + "]";
        const json& item = (*items)[i];
        if (!item.is_object()) {
          error = Status::BadOrder(path + ": expected an object, got " +
                                   TypeName(item));
          break;
        }
        const FieldReader ir(item, path, &error);
        ir.WarnUnknown({"name", "sku", "size", "color", "quantity"}, warnings);
        OrderItem& out = o.items.emplace_back();
        ir.Text("name", &out.name);
        ir.Text("sku", &out.sku);
        ir.Text("size", &out.size);
        ir.Text("color", &out.color);
        ir.Integer("quantity", 0, 1000000, &out.quantity);
      }
    }
  }
  if (const json* shipping = r.Object("shipping")) {
    const FieldReader sr(*shipping, r.Path("shipping"), &error);
    sr.WarnUnknown({"carrier", "tracking_number", "region"}, warnings);
    sr.Text("carrier", &o.carrier);
    sr.Text("tracking_number", &o.tracking_number);
    sr.Text("region", &o.region);
  }
  if (const json* tracking = r.Object("tracking")) {
    const FieldReader tr(*tracking, r.Path("tracking"), &error);
    tr.WarnUnknown({"state", "last_event_at", "last_event", "signed_by"},
                   warnings);
    tr.Enum("state", kTrackingStates, &o.tracking_state);
    tr.Time("last_event_at", &o.last_event_at);
    tr.Text("last_event", &o.last_event);
    tr.Text("signed_by", &o.signed_by);
  }
  if (const json* buyer = r.Object("buyer")) {
    const FieldReader br(*buyer, r.Path("buyer"), &error);
    br.WarnUnknown({"name", "returning"}, warnings);
    br.Text("name", &o.buyer_name);
    br.Bool("returning", &o.buyer_returning);
  }
  if (!error.ok()) return error;
  return o;
}

}  // namespace reply

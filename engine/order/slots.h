// Slots: values the buyer said in the conversation (the size they want, an
// order number, a quantity), captured by the pack's slot patterns
// (engine/pipeline/slot_extractor.h) and validated against the pack's slot
// definitions. Replies quote them ({{slots.size}}) and `when` tests them
// (`slots.size`, `slots.size == "XL"`, `slots.size >= 40`).
//
//   Slots slots;
//   slots.Set({"size", "43", /*turn=*/-1, "换43"});
//   if (const SlotValue* v = slots.Find("size")) ...   // v->value == "43"
//
// A slot said again later replaces the earlier value (latest wins).
//
// Thread safety: plain values.
#ifndef REPLY_ENGINE_ORDER_SLOTS_H_
#define REPLY_ENGINE_ORDER_SLOTS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reply {

struct SlotValue {
  std::string name;   // "size"
  std::string value;  // as replies quote it: "XL", "43", "E2026112500123"
  int turn = -1;      // the history turn it was said in; -1: the message
  std::string text;   // the words it was said in, as the buyer wrote them
};

class Slots {
 public:
  // Null when the slot was not said.
  const SlotValue* Find(std::string_view name) const {
    for (const SlotValue& v : values_) {
      if (v.name == name) return &v;
    }
    return nullptr;
  }
  // Adds the value, replacing one of the same name.
  void Set(SlotValue value) {
    for (SlotValue& v : values_) {
      if (v.name == value.name) {
        v = std::move(value);
        return;
      }
    }
    values_.push_back(std::move(value));
  }
  bool empty() const { return values_.empty(); }
  const std::vector<SlotValue>& values() const { return values_; }

 private:
  std::vector<SlotValue> values_;  // a handful: a scan beats a map
};

// Slots extracted on first use. Extraction costs a normalization and an RE2
// search with submatches per capture per buyer turn (~2,800 instructions a
// message, bench/server_cost.sh), and most requests whose intents capture a
// slot never read one: `not has_order and slots.order_number` stops at
// has_order when the request carries an order.
//
// Thread safety: none; one request's, on one thread.
class LazySlots {
 public:
  explicit LazySlots(std::function<Slots()> extract)
      : extract_(std::move(extract)) {}

  const Slots& Get() const {
    if (!slots_) slots_ = extract_();
    return *slots_;
  }

 private:
  std::function<Slots()> extract_;
  mutable std::optional<Slots> slots_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_ORDER_SLOTS_H_

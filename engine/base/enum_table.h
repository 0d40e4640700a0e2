// EnumName tables: an enum's names written once, in one table in enum
// order, and the count of values taken from the table, so adding a value
// means adding one row (the pattern of FactDefs() in engine/order/facts.h).
//
//   enum class Half { kDev, kHeldOut };
//   inline constexpr EnumName<Half> kHalfNames[] = {
//       {Half::kDev, "dev"}, {Half::kHeldOut, "heldout"}};
//   static_assert(InEnumOrder(kHalfNames));
//   NameOf(kHalfNames, Half::kHeldOut);      // "heldout"
//   FromName(kHalfNames, "dev");             // Half::kDev
//   std::size(kHalfNames);                   // 2: arrays sized by it
//
// Thread safety: constexpr tables and pure functions.
#ifndef REPLY_ENGINE_BASE_ENUM_TABLE_H_
#define REPLY_ENGINE_BASE_ENUM_TABLE_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace reply {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The functions below take any table whose rows have `value` and `name`
// (EnumName, or a row with more columns such as ErrorCodeDef).

// True when row i holds the value i: what lets NameOf index the table.
template <typename Row, size_t N>
constexpr bool InEnumOrder(const Row (&table)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (static_cast<size_t>(table[i].value) != i) return false;
  }
  return true;
}

template <typename Row, size_t N, typename E>
constexpr std::string_view NameOf(const Row (&table)[N], E value) {
  return table[static_cast<size_t>(value)].name;
}

template <typename Row, size_t N>
constexpr std::optional<decltype(Row::value)> FromName(const Row (&table)[N],
                                                       std::string_view name) {
  for (const Row& row : table) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_ENUM_TABLE_H_

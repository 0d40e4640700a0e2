// Condition::Node: the parsed form of a `when` condition, a tree of and /
// or / not over fact tests. Shared by the parser (condition_parser.h), which
// builds it, and Condition (condition.h), which evaluates it; nothing else
// should need it.
//
// Thread safety: immutable once built.
#ifndef REPLY_ENGINE_CONDITION_CONDITION_NODE_H_
#define REPLY_ENGINE_CONDITION_CONDITION_NODE_H_

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "engine/condition/condition.h"
#include "engine/order/facts.h"

namespace reply {

// A literal of a comparison: a number, a string (enum value) or a bool.
using Literal = std::variant<double, std::string, bool>;

struct Condition::Node {
  enum class Kind {
    kAnd,
    kOr,
    kNot,
    kBoolFact,
    kCompare,
    kCompareFacts,
    kIn,
    kSlot,         // slots.size: said or not (never unknown)
    kSlotCompare,  // slots.size == "XL", slots.size >= 40
    kSlotIn,       // slots.size in ["S", "M"]
  };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

  Kind kind;
  std::vector<std::shared_ptr<const Node>> children;  // and, or, not
  Fact fact = Fact::kHasOrder;
  Fact other = Fact::kHasOrder;  // kCompareFacts
  Op op = Op::kEq;
  std::vector<Literal> values;  // kCompare: one; kIn: several
  std::string slot;             // the slot's name, for the kSlot kinds
  // A test's place in the condition text, [begin, end) in bytes.
  size_t begin = 0;
  size_t end = 0;
};

}  // namespace reply

#endif  // REPLY_ENGINE_CONDITION_CONDITION_NODE_H_

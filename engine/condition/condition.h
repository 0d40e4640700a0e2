// Condition: the `when` of a reply variant, a small boolean language over
// facts, parsed and type-checked when the pack loads.
//
//   Result<Condition> c = Condition::Parse(
//       R"(status == "paid" and not overdue and hours_to_deadline <= 24)");
//   Tri t = c->Evaluate(facts);   // kTrue, kFalse or kUnknown
//
// Grammar (keywords are lower case):
//   expr    := and ("or" and)*
//   and     := unary ("and" unary)*
//   unary   := "not" unary | "(" expr ")" | test
//   test    := FACT                                  (a bool fact)
//            | FACT ("=="|"!="|"<"|"<="|">"|">=") VALUE
//            | FACT "in" "[" VALUE ("," VALUE)* "]"
//            | SLOT | SLOT OP VALUE | SLOT "in" "[" VALUE ("," VALUE)* "]"
//   SLOT    := "slots." name       (a value the buyer said: slots.size)
//   VALUE   := number | "string" | 'string' | true | false | FACT
//
// Facts the engine does not have are unknown, and logic is three-valued
// (Kleene): `not overdue` is unknown, not true, when there is no deadline,
// so a variant is offered only when its condition is known to hold and a
// reply never rests on a fact the engine lacks. A slot (engine/order/
// slots.h) is known to be said or not: `slots.size` is true or false, a
// comparison of a slot not said is unknown.
//
// Limits: parentheses and `not` nest at most kMaxConditionDepth levels.
//
// Thread safety: immutable after Parse.
#ifndef REPLY_ENGINE_CONDITION_CONDITION_H_
#define REPLY_ENGINE_CONDITION_CONDITION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/enum_table.h"
#include "engine/base/status.h"
#include "engine/order/facts.h"

namespace reply {

enum class Tri : uint8_t { kFalse, kTrue, kUnknown };
inline constexpr EnumName<Tri> kTriNames[] = {
    {Tri::kFalse, "false"}, {Tri::kTrue, "true"}, {Tri::kUnknown, "unknown"}};
static_assert(InEnumOrder(kTriNames));

// The parser, the evaluator, explain's walk and the tree's destructor all
// recurse once per level of `not` and parentheses. Unbounded, a `when` of
// 20,000 nested parentheses overflowed replyctl's stack and 50,000 the
// server's reloader thread. People write two or three levels; 50 keeps
// every walk within a few kilobytes of stack on any thread, sanitizer
// builds included.
inline constexpr int kMaxConditionDepth = 50;

class Condition {
 public:
  // Errors read "column 12: unknown fact 'overdu' (did you mean 'overdue'?)".
  static Result<Condition> Parse(std::string_view text);
  // The condition that always holds (a variant without `when`).
  static Condition Always();

  Tri Evaluate(const Facts& facts) const;

  // How many fact tests the condition makes: more tests, more specific, and
  // more specific variants are offered first.
  int specificity() const { return specificity_; }
  const std::string& text() const { return text_; }
  // The facts the condition reads, for explain.
  const std::vector<Fact>& facts_used() const { return facts_used_; }
  // The numbers it compares facts with (`hours_to_deadline <= 12`: 12),
  // ascending, each once. A lint that reasons about every case of a
  // condition tries values on either side of each.
  const std::vector<double>& numbers() const { return numbers_; }
  // The slots it tests (slots.size: "size"), each once: the pack loader
  // checks they are slots of the pack.
  const std::vector<std::string>& slots_used() const { return slots_used_; }

  // One test of the condition (a fact, a comparison or an `in`), as written,
  // with its value for some facts.
  struct TestValue {
    std::string text;  // "status == \"paid\""
    Tri value;
    std::vector<Fact> facts;  // the facts it reads: one, or two compared
  };
  // Every test, in the order written, with its value: explain shows which
  // part of a condition failed. Empty for Always().
  std::vector<TestValue> ExplainTests(const Facts& facts) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;  // null: always true
  int specificity_ = 0;
  std::string text_;
  std::vector<Fact> facts_used_;
  std::vector<double> numbers_;
  std::vector<std::string> slots_used_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_CONDITION_CONDITION_H_

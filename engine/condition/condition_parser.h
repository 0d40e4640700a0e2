// ParseCondition: the text of a `when` condition (grammar in condition.h)
// to its tree, type-checked against the facts the engine knows.
//
//   Result<ParsedCondition> p = ParseCondition("overdue and amount >= 100");
//   // p->root, p->tests == 2, p->facts_used, p->numbers == {100}
//
// Errors name the column and the reason, with a suggestion for a misspelt
// fact: "column 1: unknown fact 'overdu' (did you mean 'overdue'?)".
//
// Thread safety: a pure function.
#ifndef REPLY_ENGINE_CONDITION_CONDITION_PARSER_H_
#define REPLY_ENGINE_CONDITION_CONDITION_PARSER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/condition/condition_node.h"
#include "engine/order/facts.h"

namespace reply {

struct ParsedCondition {
  std::shared_ptr<const Condition::Node> root;
  int tests = 0;                 // fact tests made: the specificity
  std::vector<Fact> facts_used;  // in the order written
  std::vector<double> numbers;   // compared with, ascending, each once
  // The slots tested (slots.size: "size"), each once, in the order written.
  std::vector<std::string> slots_used;
};

Result<ParsedCondition> ParseCondition(std::string_view text);

}  // namespace reply

#endif  // REPLY_ENGINE_CONDITION_CONDITION_PARSER_H_

#include "engine/condition/condition.h"

#include <charconv>

#include "engine/condition/condition_node.h"
#include "engine/condition/condition_parser.h"

namespace reply {
namespace {

using Node = Condition::Node;

Tri Not(Tri t) {
  return t == Tri::kUnknown ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}

Tri FromBool(bool b) { return b ? Tri::kTrue : Tri::kFalse; }

bool Compare(Node::Op op, double a, double b) {
  switch (op) {
    case Node::Op::kEq:
      return a == b;
    case Node::Op::kNe:
      return a != b;
    case Node::Op::kLt:
      return a < b;
    case Node::Op::kLe:
      return a <= b;
    case Node::Op::kGt:
      return a > b;
    case Node::Op::kGe:
      return a >= b;
  }
  return false;
}

bool Equals(const Facts& facts, Fact fact, const Literal& value) {
  switch (DefOf(fact).type) {
    case FactType::kNumber:
      return facts.Number(fact) == std::get<double>(value);
    case FactType::kBool:
      return facts.Bool(fact) == std::get<bool>(value);
    case FactType::kEnum:
      return facts.Enum(fact) == std::get<std::string>(value);
    case FactType::kTime:
      break;
  }
  return false;
}

const SlotValue* SlotOf(const Node& n, const Facts& facts) {
  return facts.slots() == nullptr ? nullptr : facts.slots()->Find(n.slot);
}

// A slot against a literal: a number compares as a number (unknown when the
// value is not one: "XL" >= 40), a string as the value's exact text.
Tri SlotEquals(const SlotValue& v, const Literal& literal, Node::Op op) {
  if (const double* number = std::get_if<double>(&literal)) {
    double value = 0;
    const char* end = v.value.data() + v.value.size();
    auto [ptr, ec] = std::from_chars(v.value.data(), end, value);
    if (ec != std::errc() || ptr != end) return Tri::kUnknown;
    return FromBool(Compare(op, value, *number));
  }
  const bool eq = v.value == std::get<std::string>(literal);
  return FromBool(op == Node::Op::kEq ? eq : !eq);
}

Tri Eval(const Node& n, const Facts& facts) {
  switch (n.kind) {
    case Node::Kind::kAnd: {
      Tri result = Tri::kTrue;
      for (const auto& c : n.children) {
        const Tri t = Eval(*c, facts);
        if (t == Tri::kFalse) return Tri::kFalse;
        if (t == Tri::kUnknown) result = Tri::kUnknown;
      }
      return result;
    }
    case Node::Kind::kOr: {
      Tri result = Tri::kFalse;
      for (const auto& c : n.children) {
        const Tri t = Eval(*c, facts);
        if (t == Tri::kTrue) return Tri::kTrue;
        if (t == Tri::kUnknown) result = Tri::kUnknown;
      }
      return result;
    }
    case Node::Kind::kNot:
      return Not(Eval(*n.children[0], facts));
    case Node::Kind::kBoolFact:
      return facts.Known(n.fact) ? FromBool(facts.Bool(n.fact)) : Tri::kUnknown;
    case Node::Kind::kCompare: {
      if (!facts.Known(n.fact)) return Tri::kUnknown;
      const Literal& v = n.values[0];
      if (DefOf(n.fact).type == FactType::kNumber) {
        return FromBool(
            Compare(n.op, facts.Number(n.fact), std::get<double>(v)));
      }
      const bool eq = Equals(facts, n.fact, v);
      return FromBool(n.op == Node::Op::kEq ? eq : !eq);
    }
    case Node::Kind::kCompareFacts: {
      if (!facts.Known(n.fact) || !facts.Known(n.other)) return Tri::kUnknown;
      switch (DefOf(n.fact).type) {
        case FactType::kNumber:
          return FromBool(
              Compare(n.op, facts.Number(n.fact), facts.Number(n.other)));
        case FactType::kBool: {
          const bool eq = facts.Bool(n.fact) == facts.Bool(n.other);
          return FromBool(n.op == Node::Op::kEq ? eq : !eq);
        }
        case FactType::kEnum: {
          const bool eq = facts.Enum(n.fact) == facts.Enum(n.other);
          return FromBool(n.op == Node::Op::kEq ? eq : !eq);
        }
        case FactType::kTime:
          break;
      }
      return Tri::kUnknown;
    }
    case Node::Kind::kSlot:
      return FromBool(SlotOf(n, facts) != nullptr);
    case Node::Kind::kSlotCompare: {
      const SlotValue* v = SlotOf(n, facts);
      if (v == nullptr) return Tri::kUnknown;
      return SlotEquals(*v, n.values[0], n.op);
    }
    case Node::Kind::kSlotIn: {
      const SlotValue* v = SlotOf(n, facts);
      if (v == nullptr) return Tri::kUnknown;
      Tri result = Tri::kFalse;
      for (const Literal& literal : n.values) {
        const Tri t = SlotEquals(*v, literal, Node::Op::kEq);
        if (t == Tri::kTrue) return t;
        if (t == Tri::kUnknown) result = t;
      }
      return result;
    }
    case Node::Kind::kIn: {
      if (!facts.Known(n.fact)) return Tri::kUnknown;
      for (const Literal& v : n.values) {
        if (Equals(facts, n.fact, v)) return Tri::kTrue;
      }
      return Tri::kFalse;
    }
  }
  return Tri::kUnknown;
}

// Appends the tests under `n`, leftmost first, with their values.
void CollectTests(const Node& n, std::string_view text, const Facts& facts,
                  std::vector<Condition::TestValue>* out) {
  switch (n.kind) {
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
    case Node::Kind::kNot:
      for (const auto& c : n.children) CollectTests(*c, text, facts, out);
      return;
    case Node::Kind::kCompareFacts:
      out->push_back({std::string(text.substr(n.begin, n.end - n.begin)),
                      Eval(n, facts),
                      {n.fact, n.other}});
      return;
    case Node::Kind::kSlot:
    case Node::Kind::kSlotCompare:
    case Node::Kind::kSlotIn:
      out->push_back({std::string(text.substr(n.begin, n.end - n.begin)),
                      Eval(n, facts),
                      {}});
      return;
    default:
      out->push_back({std::string(text.substr(n.begin, n.end - n.begin)),
                      Eval(n, facts),
                      {n.fact}});
      return;
  }
}

}  // namespace

Result<Condition> Condition::Parse(std::string_view text) {
  Result<ParsedCondition> parsed = ParseCondition(text);
  if (!parsed.ok()) return parsed.status();
  Condition c;
  c.root_ = std::move(parsed->root);
  c.specificity_ = parsed->tests;
  c.text_ = std::string(text);
  c.facts_used_ = std::move(parsed->facts_used);
  c.numbers_ = std::move(parsed->numbers);
  c.slots_used_ = std::move(parsed->slots_used);
  return c;
}

std::vector<Condition::TestValue> Condition::ExplainTests(
    const Facts& facts) const {
  std::vector<TestValue> out;
  if (root_ != nullptr) CollectTests(*root_, text_, facts, &out);
  return out;
}

Condition Condition::Always() { return Condition(); }

Tri Condition::Evaluate(const Facts& facts) const {
  return root_ == nullptr ? Tri::kTrue : Eval(*root_, facts);
}

}  // namespace reply

#include "engine/condition/condition_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>
#include <vector>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"

namespace reply {
namespace {

using Node = Condition::Node;

struct Token {
  enum class Type { kIdent, kNumber, kString, kOp, kPunct, kEnd } type;
  std::string text;
  double number = 0;
  size_t column = 0;  // 1-based
};

// 'name', for errors. (Built by appending: GCC 12 reports a false
// -Wrestrict/-Wstringop-overflow on "'" + std::string(...) + ... here.)
std::string Quoted(std::string_view s) {
  std::string out = "'";
  out += s;
  out += '\'';
  return out;
}

std::string FactHint(std::string_view name) {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const FactDef& def : FactDefs()) names.push_back(def.name);
    return names;
  }();
  return DidYouMean(name, kNames);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::shared_ptr<const Node>> Parse() {
    Status s = Tokenize();
    if (!s.ok()) return s;
    auto root = Or();
    if (!error_.ok()) return error_;
    if (Peek().type != Token::Type::kEnd) {
      return Fail(Peek(), "unexpected '" + Peek().text + "'");
    }
    return root;
  }

  int tests() const { return tests_; }
  std::vector<Fact> facts_used() const { return facts_used_; }
  std::vector<std::string> slots_used() const { return slots_used_; }
  std::vector<double> numbers() const {
    std::vector<double> out = numbers_;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  Status Fail(const Token& at, const std::string& why) {
    if (error_.ok()) {
      error_ =
          Status::PackError("column " + std::to_string(at.column) + ": " + why);
    }
    return error_;
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      const size_t column = i + 1;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        // A dot inside a name is a namespace: slots.size.
        while (j < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[j])) ||
                text_[j] == '_' ||
                (text_[j] == '.' && j + 1 < text_.size() &&
                 std::isalpha(static_cast<unsigned char>(text_[j + 1]))))) {
          ++j;
        }
        tokens_.push_back({Token::Type::kIdent,
                           std::string(text_.substr(i, j - i)), 0, column});
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
                 c == '.') {
        double value = 0;
        auto [end, ec] = std::from_chars(text_.data() + i,
                                         text_.data() + text_.size(), value);
        if (ec != std::errc()) {
          return Status::PackError("column " + std::to_string(column) +
                                   ": bad number");
        }
        const size_t j = end - text_.data();
        tokens_.push_back({Token::Type::kNumber,
                           std::string(text_.substr(i, j - i)), value, column});
        i = j;
      } else if (c == '"' || c == '\'') {
        const size_t close = text_.find(c, i + 1);
        if (close == std::string_view::npos) {
          return Status::PackError("column " + std::to_string(column) +
                                   ": unterminated string");
        }
        tokens_.push_back({Token::Type::kString,
                           std::string(text_.substr(i + 1, close - i - 1)), 0,
                           column});
        i = close + 1;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        const bool two = i + 1 < text_.size() && text_[i + 1] == '=';
        std::string op(text_.substr(i, two ? 2 : 1));
        if (op == "=" || op == "!") {
          return Status::PackError(
              "column " + std::to_string(column) + ": '" + op +
              "' is not an operator; use == or != (and 'not')");
        }
        tokens_.push_back({Token::Type::kOp, op, 0, column});
        i += op.size();
      } else if (c == '&' || c == '|') {
        // Authors who write code write && and || first.
        const bool two = i + 1 < text_.size() && text_[i + 1] == c;
        return Status::PackError("column " + std::to_string(column) + ": '" +
                                 std::string(two ? 2 : 1, c) +
                                 "' is not an operator; write '" +
                                 (c == '&' ? "and" : "or") + "'");
      } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
        tokens_.push_back({Token::Type::kPunct, std::string(1, c), 0, column});
        ++i;
      } else {
        // Quote the whole character, not its first byte: an error message
        // must stay UTF-8 ("unexpected '，'", a full-width comma).
        const unsigned char lead = static_cast<unsigned char>(c);
        const size_t width = lead < 0xC0   ? 1
                             : lead < 0xE0 ? 2
                             : lead < 0xF0 ? 3
                                           : 4;
        return Status::PackError("column " + std::to_string(column) +
                                 ": unexpected " +
                                 Quoted(SanitizeUtf8(text_.substr(i, width))));
      }
    }
    tokens_.push_back(
        {Token::Type::kEnd, "end of condition", 0, text_.size() + 1});
    return Status::Ok();
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() {
    return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_];
  }
  bool IsWord(const char* word) const {
    return Peek().type == Token::Type::kIdent && Peek().text == word;
  }
  bool IsPunct(char c) const {
    return Peek().type == Token::Type::kPunct && Peek().text[0] == c;
  }

  std::shared_ptr<const Node> Or() {
    return Chain("or", Node::Kind::kOr, &Parser::And);
  }
  std::shared_ptr<const Node> And() {
    return Chain("and", Node::Kind::kAnd, &Parser::Unary);
  }

  // operand (`word` operand)*: one node of `kind` over the operands, or the
  // lone operand itself.
  std::shared_ptr<const Node> Chain(
      const char* word, Node::Kind kind,
      std::shared_ptr<const Node> (Parser::*operand)()) {
    auto left = (this->*operand)();
    if (!IsWord(word)) return left;
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->children.push_back(left);
    while (IsWord(word) && error_.ok()) {
      Next();
      node->children.push_back((this->*operand)());
    }
    return node;
  }

  std::shared_ptr<const Node> Unary() {
    if (!error_.ok()) return nullptr;
    if (!IsWord("not") && !IsPunct('(')) return Test();
    if (depth_ == kMaxConditionDepth) {
      Fail(Peek(), "nested more than " + std::to_string(kMaxConditionDepth) +
                       " levels deep (parentheses and 'not'): write it "
                       "flatter, or split the variant");
      return nullptr;
    }
    ++depth_;
    auto node = Nested();
    --depth_;
    return node;
  }

  // A `not` or a parenthesized condition: one level deeper.
  std::shared_ptr<const Node> Nested() {
    if (IsWord("not")) {
      Next();
      auto node = std::make_shared<Node>();
      node->kind = Node::Kind::kNot;
      node->children.push_back(Unary());
      return node;
    }
    Next();  // '(': Unary checked it is one or the other
    auto inner = Or();
    if (!IsPunct(')')) {
      Fail(Peek(), "expected ')' but found '" + Peek().text + "'");
      return nullptr;
    }
    Next();
    return inner;
  }

  const FactDef* ReadFact() {
    const Token& t = Next();
    if (t.type != Token::Type::kIdent) {
      Fail(t, "expected a fact name but found '" + t.text + "'");
      return nullptr;
    }
    const FactDef* def = FindFact(t.text);
    if (def == nullptr) {
      Fail(t, "unknown fact '" + t.text + "'" + FactHint(t.text));
      return nullptr;
    }
    if (def->type == FactType::kTime) {
      Fail(t, "'" + t.text +
                  "' is a time: quote it in a reply, compare the "
                  "hours_ facts instead");
      return nullptr;
    }
    if (std::find(facts_used_.begin(), facts_used_.end(), def->fact) ==
        facts_used_.end()) {
      facts_used_.push_back(def->fact);
    }
    ++tests_;
    return def;
  }

  // Reads a literal and checks it suits `def`.
  bool ReadValue(const FactDef& def, Literal* out) {
    const Token& t = Next();
    switch (def.type) {
      case FactType::kNumber:
        if (t.type != Token::Type::kNumber) {
          Fail(t, Quoted(def.name) + " is a number; found " + Quoted(t.text));
          return false;
        }
        *out = t.number;
        numbers_.push_back(t.number);
        return true;
      case FactType::kBool:
        if (t.type != Token::Type::kIdent ||
            (t.text != "true" && t.text != "false")) {
          Fail(t,
               Quoted(def.name) + " is true or false; found " + Quoted(t.text));
          return false;
        }
        *out = t.text == "true";
        return true;
      case FactType::kEnum: {
        if (t.type != Token::Type::kString) {
          Fail(t, Quoted(def.name) +
                      " is compared with a quoted value; found " +
                      Quoted(t.text));
          return false;
        }
        if (std::find(def.values.begin(), def.values.end(), t.text) ==
            def.values.end()) {
          std::string allowed;
          for (std::string_view v : def.values) {
            if (!allowed.empty()) allowed += ", ";
            allowed += v;
          }
          Fail(t, "'" + t.text + "' is not a value of '" +
                      std::string(def.name) + "'; expected one of " + allowed);
          return false;
        }
        *out = t.text;
        return true;
      }
      case FactType::kTime:
        break;
    }
    Fail(t, "cannot compare '" + std::string(def.name) + "'");
    return false;
  }

  // A test, with its span in the text.
  std::shared_ptr<const Node> Test() {
    const size_t begin = Peek().column - 1;
    std::shared_ptr<Node> node = TestBody();
    if (node == nullptr) return nullptr;
    size_t end = std::min(Peek().column - 1, text_.size());
    while (end > begin &&
           std::isspace(static_cast<unsigned char>(text_[end - 1]))) {
      --end;
    }
    node->begin = begin;
    node->end = end;
    return node;
  }

  // A test of a slot the buyer said (slots.size): said or not, compared
  // with a number or a quoted value, or `in` a list. Whether the pack
  // defines the slot is the loader's check (it knows the pack's slots).
  std::shared_ptr<Node> SlotTest() {
    const Token name = Next();
    auto node = std::make_shared<Node>();
    node->slot = name.text.substr(6);
    if (node->slot.empty() || node->slot.find('.') != std::string::npos) {
      Fail(name, "expected a slot name after 'slots.' (slots.size)");
      return nullptr;
    }
    if (std::find(slots_used_.begin(), slots_used_.end(), node->slot) ==
        slots_used_.end()) {
      slots_used_.push_back(node->slot);
    }
    ++tests_;
    const auto read_value = [&](Literal* out) {
      const Token& t = Next();
      if (t.type == Token::Type::kNumber) {
        *out = t.number;
        numbers_.push_back(t.number);
        return true;
      }
      if (t.type == Token::Type::kString) {
        *out = t.text;
        return true;
      }
      Fail(t, Quoted(name.text) + " is compared with a number or a quoted " +
                  "value; found " + Quoted(SanitizeUtf8(t.text)));
      return false;
    };
    if (IsWord("in")) {
      Next();
      if (!IsPunct('[')) {
        Fail(Peek(), "expected '[' after 'in'");
        return nullptr;
      }
      Next();
      node->kind = Node::Kind::kSlotIn;
      do {
        Literal v;
        if (!read_value(&v)) return nullptr;
        node->values.push_back(std::move(v));
      } while (IsPunct(',') && (Next(), true));
      if (!IsPunct(']')) {
        Fail(Peek(), "expected ']' but found '" + Peek().text + "'");
        return nullptr;
      }
      Next();
      return node;
    }
    if (Peek().type != Token::Type::kOp) {
      node->kind = Node::Kind::kSlot;
      return node;
    }
    const Token op = Next();
    static constexpr std::pair<std::string_view, Node::Op> kOps[] = {
        {"==", Node::Op::kEq}, {"!=", Node::Op::kNe}, {"<", Node::Op::kLt},
        {"<=", Node::Op::kLe}, {">", Node::Op::kGt},  {">=", Node::Op::kGe}};
    for (const auto& [text, value] : kOps) {
      if (op.text == text) node->op = value;
    }
    node->kind = Node::Kind::kSlotCompare;
    Literal v;
    if (!read_value(&v)) return nullptr;
    if (node->op != Node::Op::kEq && node->op != Node::Op::kNe &&
        !std::holds_alternative<double>(v)) {
      Fail(op, "'" + op.text + "' needs a number to compare " +
                   Quoted(name.text) + " with");
      return nullptr;
    }
    node->values.push_back(std::move(v));
    return node;
  }

  std::shared_ptr<Node> TestBody() {
    const Token& start = Peek();
    if (start.type == Token::Type::kIdent && start.text.starts_with("slots.")) {
      return SlotTest();
    }
    const FactDef* def = ReadFact();
    if (def == nullptr) return nullptr;
    auto node = std::make_shared<Node>();
    node->fact = def->fact;
    if (IsWord("in")) {
      Next();
      if (!IsPunct('[')) {
        Fail(Peek(), "expected '[' after 'in'");
        return nullptr;
      }
      Next();
      node->kind = Node::Kind::kIn;
      do {
        Literal v;
        if (!ReadValue(*def, &v)) return nullptr;
        node->values.push_back(std::move(v));
      } while (IsPunct(',') && (Next(), true));
      if (!IsPunct(']')) {
        Fail(Peek(), "expected ']' but found '" + Peek().text + "'");
        return nullptr;
      }
      Next();
      return node;
    }
    if (Peek().type != Token::Type::kOp) {
      if (def->type != FactType::kBool) {
        Fail(start,
             Quoted(def->name) +
                 " is not true or false by itself; compare it, e.g. " +
                 std::string(def->name) +
                 (def->type == FactType::kNumber ? " > 0" : " == \"...\""));
        return nullptr;
      }
      node->kind = Node::Kind::kBoolFact;
      return node;
    }
    const Token op = Next();
    static constexpr std::pair<std::string_view, Node::Op> kOps[] = {
        {"==", Node::Op::kEq}, {"!=", Node::Op::kNe}, {"<", Node::Op::kLt},
        {"<=", Node::Op::kLe}, {">", Node::Op::kGt},  {">=", Node::Op::kGe}};
    for (const auto& [text, value] : kOps) {
      if (op.text == text) node->op = value;
    }
    const bool ordering =
        node->op != Node::Op::kEq && node->op != Node::Op::kNe;
    if (ordering && def->type != FactType::kNumber) {
      Fail(op, "'" + op.text + "' needs a number, and '" +
                   std::string(def->name) + "' is not one");
      return nullptr;
    }
    // Fact against fact (hours_since_paid > promise_hours).
    if (Peek().type == Token::Type::kIdent && Peek().text != "true" &&
        Peek().text != "false") {
      if (def->type == FactType::kEnum && FindFact(Peek().text) == nullptr) {
        Fail(Peek(), "quote the value: \"" + Peek().text + "\"");
        return nullptr;
      }
      const Token& other_token = Peek();
      const FactDef* other = ReadFact();
      if (other == nullptr) return nullptr;
      if (other->type != def->type) {
        Fail(other_token, "cannot compare '" + std::string(def->name) +
                              "' with '" + std::string(other->name) +
                              "': different types");
        return nullptr;
      }
      node->kind = Node::Kind::kCompareFacts;
      node->other = other->fact;
      return node;
    }
    node->kind = Node::Kind::kCompare;
    Literal v;
    if (!ReadValue(*def, &v)) return nullptr;
    node->values.push_back(std::move(v));
    return node;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;  // of `not` and parentheses around the current token
  Status error_;
  int tests_ = 0;
  std::vector<Fact> facts_used_;
  std::vector<double> numbers_;
  std::vector<std::string> slots_used_;
};

}  // namespace

Result<ParsedCondition> ParseCondition(std::string_view text) {
  Parser parser(text);
  auto root = parser.Parse();
  if (!root.ok()) return root.status();
  return ParsedCondition{std::move(*root), parser.tests(), parser.facts_used(),
                         parser.numbers(), parser.slots_used()};
}

}  // namespace reply

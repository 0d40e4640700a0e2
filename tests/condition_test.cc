#include "engine/condition/condition.h"

#include <gtest/gtest.h>

#include "engine/base/utf8.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

Tri Eval(const std::string& condition, const Facts& facts) {
  Result<Condition> c = Condition::Parse(condition);
  EXPECT_TRUE(c.ok()) << condition << ": " << c.status().ToString();
  return c.ok() ? c->Evaluate(facts) : Tri::kUnknown;
}

std::string Error(const std::string& condition) {
  Result<Condition> c = Condition::Parse(condition);
  EXPECT_FALSE(c.ok()) << condition;
  return c.ok() ? "" : c.status().message();
}

class ConditionTest : public ::testing::Test {
 protected:
  ConditionTest() {
    order_ = testing::ParseOrderOrDie(
        R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 129,
            "tracking": {"state": "none"}})");
    facts_ = DeriveFacts(&order_, ShopPolicy(),
                         testing::T("2026-11-23T10:00:00+08:00"));
  }
  Order order_;
  Facts facts_;
};

TEST_F(ConditionTest, ComparesEveryKindOfFact) {
  EXPECT_EQ(Eval(R"(status == "paid")", facts_), Tri::kTrue);
  EXPECT_EQ(Eval(R"(status != "paid")", facts_), Tri::kFalse);
  EXPECT_EQ(Eval(R"(status in ["unpaid", "paid"])", facts_), Tri::kTrue);
  EXPECT_EQ(Eval(R"(status in ['shipped'])", facts_), Tri::kFalse);
  EXPECT_EQ(Eval("overdue", facts_), Tri::kTrue);
  EXPECT_EQ(Eval("overdue == false", facts_), Tri::kFalse);
  EXPECT_EQ(Eval("hours_since_paid >= 72", facts_), Tri::kTrue);
  EXPECT_EQ(Eval("hours_since_paid > 72", facts_), Tri::kFalse);
  EXPECT_EQ(Eval("hours_to_deadline < -23.5", facts_), Tri::kTrue);
  EXPECT_EQ(Eval("hours_since_paid > promise_hours", facts_), Tri::kTrue);
  EXPECT_EQ(Eval("compensation <= 6.45 and compensation >= 6.45", facts_),
            Tri::kTrue);
}

TEST_F(ConditionTest, LogicIsThreeValued) {
  // No delivery: within_return_window is unknown, and so is its negation.
  EXPECT_EQ(Eval("within_return_window", facts_), Tri::kUnknown);
  EXPECT_EQ(Eval("not within_return_window", facts_), Tri::kUnknown);
  EXPECT_EQ(Eval("overdue or within_return_window", facts_), Tri::kTrue);
  EXPECT_EQ(Eval("not overdue or within_return_window", facts_), Tri::kUnknown);
  EXPECT_EQ(Eval("not overdue and within_return_window", facts_), Tri::kFalse);
  EXPECT_EQ(Eval("overdue and within_return_window", facts_), Tri::kUnknown);
  EXPECT_EQ(
      Eval("(overdue or within_return_window) and status == \"paid\"", facts_),
      Tri::kTrue);
  EXPECT_EQ(Eval("days_since_delivered > 1", facts_), Tri::kUnknown);
  EXPECT_EQ(Condition::Always().Evaluate(facts_), Tri::kTrue);
}

TEST_F(ConditionTest, SpecificityCountsFactTests) {
  EXPECT_EQ(Condition::Parse(R"(status == "paid")")->specificity(), 1);
  EXPECT_EQ(
      Condition::Parse(R"(status == "paid" and not overdue and out_of_stock)")
          ->specificity(),
      3);
  EXPECT_EQ(Condition::Always().specificity(), 0);
}

// Explain shows each test as written, with its own value, so an author sees
// which part of a condition failed.
TEST_F(ConditionTest, ExplainTestsGivesEachTestItsValue) {
  const Result<Condition> c = Condition::Parse(
      R"(status == "paid"  and not (within_return_window or)"
      R"( hours_since_paid > promise_hours ) and tracking_state in ["none"])");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const std::vector<Condition::TestValue> tests = c->ExplainTests(facts_);
  ASSERT_EQ(tests.size(), 4u);
  EXPECT_EQ(tests[0].text, R"(status == "paid")");
  EXPECT_EQ(tests[0].value, Tri::kTrue);
  EXPECT_EQ(tests[0].facts, std::vector<Fact>{Fact::kStatus});
  EXPECT_EQ(tests[1].text, "within_return_window");
  EXPECT_EQ(tests[1].value, Tri::kUnknown);
  EXPECT_EQ(tests[2].text, "hours_since_paid > promise_hours");
  EXPECT_EQ(tests[2].value, Tri::kTrue);
  EXPECT_EQ(tests[2].facts,
            (std::vector<Fact>{Fact::kHoursSincePaid, Fact::kPromiseHours}));
  EXPECT_EQ(tests[3].text, R"(tracking_state in ["none"])");
  EXPECT_EQ(tests[3].value, Tri::kTrue);
  EXPECT_EQ(c->Evaluate(facts_), Tri::kFalse);
  EXPECT_TRUE(Condition::Always().ExplainTests(facts_).empty());
}

TEST(ConditionNumbersTest, ListsTheNumbersComparedWithOnce) {
  const Result<Condition> c = Condition::Parse(
      "hours_to_deadline <= 12 and amount > 0 or hours_since_paid > 12 or "
      "restock_days in [3, -1.5]");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->numbers(), (std::vector<double>{-1.5, 0, 3, 12}));
  EXPECT_TRUE(Condition::Parse("overdue")->numbers().empty());
}

TEST(ConditionErrorTest, SaysWhereAndWhy) {
  EXPECT_EQ(Error("overdu"),
            "column 1: unknown fact 'overdu' (did you mean 'overdue'?)");
  EXPECT_EQ(Error(R"(status == "shiped")"),
            "column 11: 'shiped' is not a value of 'status'; expected one of "
            "unpaid, paid, "
            "shipped, delivered, refunding, refunded, closed");
  EXPECT_EQ(Error("status == paid"), "column 11: quote the value: \"paid\"");
  EXPECT_EQ(Error("overdue > 3"),
            "column 9: '>' needs a number, and 'overdue' is not one");
  EXPECT_EQ(Error("hours_since_paid"),
            "column 1: 'hours_since_paid' is not true or false by itself; "
            "compare it, e.g. "
            "hours_since_paid > 0");
  EXPECT_EQ(Error("ship_deadline"),
            "column 1: 'ship_deadline' is a time: quote it in a reply, compare "
            "the hours_ facts "
            "instead");
  EXPECT_EQ(Error("overdue = true"),
            "column 9: '=' is not an operator; use == or != (and 'not')");
  EXPECT_EQ(Error("(overdue"),
            "column 9: expected ')' but found 'end of condition'");
  EXPECT_EQ(Error("overdue overdue"), "column 9: unexpected 'overdue'");
  // A character outside ASCII is quoted whole, never as a broken byte.
  EXPECT_EQ(Error("overdue \xEF\xBC\x8C has_order"),
            "column 9: unexpected '\xEF\xBC\x8C'");
  EXPECT_EQ(reply::FindInvalidUtf8(Error("overdue \xEF\xBC")),
            std::string_view::npos);
  EXPECT_EQ(Error("overdue && has_order"),
            "column 9: '&&' is not an operator; write 'and'");
  EXPECT_EQ(Error("overdue || has_order"),
            "column 9: '||' is not an operator; write 'or'");
  EXPECT_EQ(Error(R"(status == "paid)"), "column 11: unterminated string");
  EXPECT_EQ(Error("hours_since_paid > 'x'"),
            "column 20: 'hours_since_paid' is a number; found 'x'");
  EXPECT_EQ(
      Error("overdue == amount"),
      "column 12: cannot compare 'overdue' with 'amount': different types");
}

// Parentheses and `not` nest at most kMaxConditionDepth levels: deeper, the
// parser (and every walk of the tree) recursed until the stack ran out, at
// 20,000 levels in replyctl. Each form is refused at the column where it
// goes one level too deep, however deep it goes.
TEST(ConditionDepthTest, NestingBeyondTheLimitIsAnErrorNotACrash) {
  const auto parens = [](int depth) {
    return std::string(depth, '(') + "overdue" + std::string(depth, ')');
  };
  const auto nots = [](int depth) {
    std::string out;
    for (int i = 0; i < depth; ++i) out += "not ";
    return out + "overdue";
  };
  const auto mixed = [](int depth) {  // not (not (not (... overdue)))
    std::string out;
    for (int i = 0; i < depth / 2; ++i) out += "not (";
    return out + "overdue" + std::string(depth / 2, ')');
  };
  EXPECT_TRUE(Condition::Parse(parens(kMaxConditionDepth)).ok());
  EXPECT_TRUE(Condition::Parse(nots(kMaxConditionDepth)).ok());
  EXPECT_TRUE(Condition::Parse(mixed(kMaxConditionDepth)).ok());
  const std::string too_deep =
      ": nested more than 50 levels deep (parentheses and 'not'): write it "
      "flatter, or split the variant";
  for (int depth : {kMaxConditionDepth + 1, 20000, 100000}) {
    EXPECT_EQ(Error(parens(depth)), "column 51" + too_deep) << depth;
    EXPECT_EQ(Error(nots(depth)), "column 201" + too_deep) << depth;
    // 25 "not (" pairs are 50 levels; the 51st level is the 26th `not`.
    EXPECT_EQ(Error(mixed(depth + 2)), "column 126" + too_deep) << depth;
  }
  // Long but flat conditions are not nested: a chain of 100,000 tests.
  std::string chain = "overdue";
  for (int i = 0; i < 100000; ++i) chain += " and not overdue";
  Result<Condition> c = Condition::Parse(chain);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->specificity(), 100001);
}

// A slot is known to be said or not; a comparison of a slot not said is
// unknown, as a comparison of an unknown fact is.
TEST(ConditionSlotTest, PresenceIsKnownComparisonsNeedTheValue) {
  Facts facts;
  EXPECT_EQ(Eval("slots.size", facts), Tri::kFalse);
  EXPECT_EQ(Eval("not slots.size", facts), Tri::kTrue);
  EXPECT_EQ(Eval("slots.size == \"XL\"", facts), Tri::kUnknown);
  Slots slots;
  slots.Set({"size", "XL", -1, "换成XL"});
  facts.set_slots(&slots);
  EXPECT_EQ(Eval("slots.size", facts), Tri::kTrue);
  EXPECT_EQ(Eval("slots.size == \"XL\"", facts), Tri::kTrue);
  EXPECT_EQ(Eval("slots.size in [\"S\", \"M\"]", facts), Tri::kFalse);
  // "XL" is no number: an ordering is unknown, not false.
  EXPECT_EQ(Eval("slots.size >= 40", facts), Tri::kUnknown);
  slots.Set({"size", "43", 0, "换43"});
  EXPECT_EQ(Eval("slots.size >= 40 and slots.size < 44", facts), Tri::kTrue);
  EXPECT_EQ(Eval("slots.order_number", facts), Tri::kFalse);
}

TEST(ConditionSlotTest, ListsTheSlotsItTests) {
  Result<Condition> c =
      Condition::Parse("slots.size and (slots.size > 40 or slots.colour)");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->slots_used(), (std::vector<std::string>{"size", "colour"}));
  EXPECT_EQ(c->specificity(), 3);
}

TEST(ConditionSlotTest, Errors) {
  EXPECT_EQ(Error("slots.size > \"XL\""),
            "column 12: '>' needs a number to compare 'slots.size' with");
  EXPECT_EQ(Error("slots.size == true"),
            "column 15: 'slots.size' is compared with a number or a quoted "
            "value; found 'true'");
}

}  // namespace
}  // namespace reply

#include "engine/render/reply_template.h"

#include <gtest/gtest.h>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

class ReplyTemplateTest : public ::testing::Test {
 protected:
  ReplyTemplateTest() {
    policy_.carriers = {"中通", "韵达"};
    policy_.signature["zh"] = "小林家居客服";
    SetOrder(
        R"({"id": "E1", "status": "delivered", "paid_at": "2026-11-20T10:00:00+08:00",
                 "amount": 129, "items": [{"name": "开衫", "size": "M"}, {"name": "围巾"}],
                 "shipping": {"carrier": "中通", "tracking_number": "ZT<7&3>"},
                 "tracking": {"state": "signed", "signed_by": "门卫"},
                 "buyer": {"name": "小林"}})");
  }
  void SetOrder(const std::string& json) {
    order_ = testing::ParseOrderOrDie(json);
    facts_ =
        DeriveFacts(&order_, policy_, testing::T("2026-11-23T10:00:00+08:00"));
  }
  RenderInputs Inputs(bool with_order = true) {
    return {with_order ? &order_ : nullptr, &facts_, &policy_, "zh"};
  }
  std::string Render(const std::string& text, bool with_order = true) {
    Result<ReplyTemplate> t = ReplyTemplate::Parse(text);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    std::string out;
    std::vector<std::string> missing;
    EXPECT_TRUE(t->Render(Inputs(with_order), &out, &missing)) << text;
    return out;
  }
  std::vector<std::string> Missing(const std::string& text) {
    Result<ReplyTemplate> t = ReplyTemplate::Parse(text);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    std::string out;
    std::vector<std::string> missing;
    EXPECT_FALSE(t->Render(Inputs(), &out, &missing))
        << text << " gave " << out;
    return missing;
  }
  ShopPolicy policy_;
  Order order_;
  Facts facts_;
};

TEST_F(ReplyTemplateTest, FillsOrderFactsAndShopValues) {
  EXPECT_EQ(
      Render(
          "{{buyer.name}}，单号{{order.tracking_number}}（{{order.carrier}}），"
          "补偿{{facts.compensation}}元，{{shop.promise_hours}}小时，{{shop."
          "carriers}}。"
          "{{shop.signature}}"),
      "小林，单号ZT<7&3>（中通），补偿6."
      "45元，48小时，中通、韵达。小林家居客服");
}

TEST_F(ReplyTemplateTest, NoHtmlEscaping) {
  EXPECT_EQ(Render("{{order.tracking_number}}"), "ZT<7&3>");
  EXPECT_EQ(Render("{{{order.tracking_number}}}"), "ZT<7&3>");
}

TEST_F(ReplyTemplateTest, SectionsListsAndFlags) {
  EXPECT_EQ(Render("{{#order.items}}{{name}}{{#size}}({{size}}){{/size}};{{/"
                   "order.items}}"),
            "开衫(M);围巾;");
  EXPECT_EQ(Render("{{#order.signed_by}}由{{order.signed_by}}签收{{/"
                   "order.signed_by}}。"),
            "由门卫签收。");
  // Delivered with no shipping time: whether it shipped late is unknown, so
  // neither "late" nor "on time" may be said.
  EXPECT_EQ(Render("{{#facts.overdue}}已超时{{/facts.overdue}}好的"), "好的");
  SetOrder(R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00"})");
  EXPECT_EQ(Render("{{#facts.overdue}}已超时{{/facts.overdue}}"), "已超时");
  EXPECT_EQ(Render("{{^order.region}}地址未知{{/order.region}}"), "地址未知");
}

// As in kainjow's Mustache, which packs were written against: a line that a
// shown section leaves blank goes with its line break; one left blank by a
// section not shown stays (and trimming removes it at either end).
TEST_F(ReplyTemplateTest, LinesHoldingOnlyAShownSectionTagAreDropped) {
  const std::string signed_by =
      "亲\n{{#order.signed_by}}\n由{{order.signed_by}}签收\n"
      "{{/order.signed_by}}\n好的";
  EXPECT_EQ(Render(signed_by), "亲\n由门卫签收\n好的");
  EXPECT_EQ(Render("亲\r\n  {{#order.items}}\r\n- {{name}}\r\n"
                   "{{/order.items}}\r\n好的"),
            "亲\r\n- 开衫\r\n- 围巾\r\n好的");
  SetOrder(R"({"status": "delivered", "tracking": {"state": "signed"}})");
  EXPECT_EQ(Render(signed_by), "亲\n\n好的");
  EXPECT_EQ(Render("亲\n{{! a note }}\n好的"), "亲\n\n好的");
}

TEST_F(ReplyTemplateTest, ItemFieldsComeFromTheItemShown) {
  SetOrder(R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00",
               "items": [{"name": "开衫", "quantity": 2}, {"name": "围巾"}]})");
  EXPECT_EQ(Render("{{#order.items}}{{name}}{{#quantity}}x{{quantity}}"
                   "{{/quantity}} {{/order.items}}"),
            "开衫x2 围巾");
  EXPECT_EQ(Render("{{#order.items}}{{name}}{{/order.items}}{{order.item}}"),
            "开衫围巾开衫");
  // Missing in any item shown: no reply, the field named once.
  EXPECT_EQ(Missing("{{#order.items}}{{quantity}}{{/order.items}}"),
            std::vector<std::string>{"quantity"});
}

TEST_F(ReplyTemplateTest, VietnameseWritesADecimalComma) {
  RenderInputs in = Inputs();
  in.locale = "vi";
  Result<ReplyTemplate> t = ReplyTemplate::Parse("{{facts.compensation}} tệ");
  std::string out;
  ASSERT_TRUE(t->Render(in, &out, nullptr));
  EXPECT_EQ(out, "6,45 tệ");
  EXPECT_EQ(Render("{{facts.compensation}}元"), "6.45元");
}

TEST_F(ReplyTemplateTest, TimesAreInShopTime) {
  SetOrder(R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00"})");
  EXPECT_EQ(Render("最晚{{facts.ship_deadline}}前"), "最晚11月22日 10:00前");
  EXPECT_EQ(Render("{{facts.hours_overdue}}"), "24");
}

TEST_F(ReplyTemplateTest, AnUnfillablePlaceholderMeansNoReply) {
  EXPECT_EQ(Missing("您的包裹在{{order.region}}"),
            std::vector<std::string>{"order.region"});
  EXPECT_EQ(Missing("{{#order.items}}{{color}}{{/order.items}}"),
            std::vector<std::string>{"color"});
  EXPECT_EQ(Missing("{{facts.restock_days}}天"),
            std::vector<std::string>{"facts.restock_days"});
  // Without an order nothing about the order can be quoted.
  Result<ReplyTemplate> t =
      ReplyTemplate::Parse("单号{{order.tracking_number}}");
  std::string out;
  std::vector<std::string> missing;
  EXPECT_FALSE(t->Render(Inputs(/*with_order=*/false), &out, &missing));
  // A template that renders to nothing is no reply either.
  Result<ReplyTemplate> empty =
      ReplyTemplate::Parse("{{#order.region}}x{{/order.region}}");
  EXPECT_FALSE(empty->Render(Inputs(), &out, &missing));
}

TEST_F(ReplyTemplateTest, ShopValuesWorkWithoutAnOrder) {
  EXPECT_EQ(
      Render("承诺{{shop.promise_hours}}小时，{{shop.same_day_cutoff}}前当天发",
             false),
      "承诺48小时，16:00前当天发");
}

TEST(ReplyTemplateParseTest, RejectsWhatCanNeverRender) {
  const auto error = [](const std::string& text) {
    Result<ReplyTemplate> t = ReplyTemplate::Parse(text);
    EXPECT_FALSE(t.ok()) << text;
    return t.ok() ? "" : t.status().message();
  };
  EXPECT_EQ(error("单号{{order.trackingnumber}}"),
            "line 1: unknown placeholder 'order.trackingnumber'; "
            "docs/authoring.md lists them");
  EXPECT_EQ(error("a\n{{>partial}}"),
            "line 2: partials ({{>name}}) are not supported");
  EXPECT_EQ(error("{{=<% %>=}}"),
            "line 1: changing delimiters is not supported");
  EXPECT_EQ(error("{{size}}"),
            "line 1: 'size' is an item field; use it inside "
            "{{#order.items}}...{{/order.items}}");
  EXPECT_EQ(error("{{facts.overdue}}"),
            "line 1: 'facts.overdue' is true or false; use it as a section: "
            "{{#facts.overdue}}...{{/facts.overdue}}");
  EXPECT_EQ(error("{{order.items}}"),
            "line 1: 'order.items' is a list; use "
            "{{#order.items}}{{name}}{{/order.items}}");
  EXPECT_EQ(error("{{order.id"), "line 1: unclosed tag");
  EXPECT_EQ(error("{{^facts.overdue}}还没超时{{/facts.overdue}}"),
            "line 1: {{^facts.overdue}} would also show when 'facts.overdue' "
            "is unknown; "
            "choose the variant with a `when` instead");
  EXPECT_TRUE(ReplyTemplate::Parse("{{^buyer.name}}亲{{/buyer.name}}").ok());
  EXPECT_EQ(error("a\n{{#order.id}}x"),
            "line 2: section 'order.id' is not closed: end it with "
            "{{/order.id}}");
  EXPECT_EQ(error("x{{/order.id}}"),
            "line 1: {{/order.id}} closes no open section");
  EXPECT_EQ(error("{{#order.id}}\n{{#buyer.name}}{{/order.id}}{{/buyer.name}}"),
            "line 2: {{/order.id}} does not close 'buyer.name' (line 2): "
            "close it first with {{/buyer.name}}");
  // A placeholder's error comes first: it is the likelier typo.
  EXPECT_EQ(error("{{#order.id}}{{order.idd}}"),
            "line 1: unknown placeholder 'order.idd'; docs/authoring.md lists "
            "them");
}

// Rendering walks sections by recursion, a level per nested section:
// sections nest at most ReplyTemplate::kMaxSectionDepth.
TEST_F(ReplyTemplateTest, SectionsNestedBeyondTheLimitAreAnError) {
  const auto nested = [](size_t depth) {
    std::string out;
    for (size_t i = 0; i < depth; ++i) out += "{{#buyer.name}}\n";
    out += "亲";
    for (size_t i = 0; i < depth; ++i) out += "{{/buyer.name}}";
    return out;
  };
  EXPECT_EQ(Render(nested(ReplyTemplate::kMaxSectionDepth)), "亲");
  for (size_t depth : {ReplyTemplate::kMaxSectionDepth + 1, size_t{50000}}) {
    Result<ReplyTemplate> t = ReplyTemplate::Parse(nested(depth));
    ASSERT_FALSE(t.ok()) << depth;
    EXPECT_EQ(t.status().message(),
              "line 17: sections nested more than 16 deep: close some with "
              "{{/name}}");
  }
}

}  // namespace
}  // namespace reply

// The engine through its public API: the JSON contract, Traditional in and
// out, no unfilled reply ever, and reloads. Bad requests and the errors
// that name them: engine_request_errors_test.cc; vague questions the order
// resolves: engine_order_resolution_test.cc.
#include "engine/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/api/json_codec.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/pipeline.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

using nlohmann::json;
using testing::BundledEngine;
using ::testing::HasSubstr;
using testing::SuggestJson;

TEST(EngineJsonTest, AnswersTheContract) {
  const json r = SuggestJson(
      R"({"message": "怎么还不发货", "now": "2026-11-23T10:00:00+08:00",
      "order": {"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 129}})");
  ASSERT_FALSE(r.contains("error")) << r.dump();
  EXPECT_EQ(r["normalized"], "怎么还不发货");
  EXPECT_EQ(r["script"], "Hans");
  EXPECT_EQ(r["locale"], "zh");
  ASSERT_EQ(r["intents"].size(), 1u);
  EXPECT_EQ(r["intents"][0]["name"], "urge_shipment");
  EXPECT_THAT(r["intents"][0]["pattern"].get<std::string>(),
              HasSubstr("intents/zh/shipping.yaml:"));
  ASSERT_EQ(r["suggestions"].size(), 3u);
  EXPECT_EQ(r["suggestions"][0]["template"], "urge_shipment.overdue_wait");
  EXPECT_EQ(r["suggestions"][0]["handoff"], false);
  EXPECT_THAT(r["suggestions"][0]["text"].get<std::string>(),
              HasSubstr("6.45元"));
  EXPECT_EQ(r["pack_version"], BundledEngine().pack()->version);
}

TEST(EngineJsonTest, MaxLimitsTheSuggestions) {
  const json r = SuggestJson(
      R"({"message": "怎么还不发货", "max": 1, "now": "2026-11-23T10:00:00+08:00",
      "order": {"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 129}})");
  EXPECT_EQ(r["suggestions"].size(), 1u);
}

// Traditional replies in the buyer's region's words: Taiwan's unless the
// message has Hong Kong's characters, or the region the request names.
TEST(EngineTest, TraditionalRepliesUseTheRegionsWords) {
  const Order order = testing::ParseOrderOrDie(
      R"({"status": "paid", "paid_at": "2026-11-23T09:00:00+08:00",
          "amount": 129})");
  const auto first = [&](const std::string& message,
                         const std::string& locale) {
    Request r;
    r.message = message;
    r.locale = locale;
    r.order = order;
    r.now = testing::T("2026-11-23T10:00:00+08:00");
    Result<Response> resp = BundledEngine().Suggest(r);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    if (!resp.ok()) return std::string();
    std::string all;
    for (const Suggestion& s : resp->suggestions) all += s.text + "\n";
    return all;
  };
  // Taiwan, guessed: 備註, not ICU's mainland 備注.
  EXPECT_THAT(first("可以幫我指定快遞嗎", ""), HasSubstr("備註"));
  EXPECT_THAT(first("可以幫我指定快遞嗎", ""),
              ::testing::Not(HasSubstr("備注")));
  // Hong Kong, guessed from Cantonese: 着急, not Taiwan's 著急.
  const std::string hk = first("幾時發貨呀，唔該", "");
  EXPECT_THAT(hk, HasSubstr("着急"));
  EXPECT_THAT(hk, ::testing::Not(HasSubstr("著急")));
  // Named: a Simplified message answered in the region's Traditional.
  EXPECT_THAT(first("还要等多久才发货", "zh-HK"), HasSubstr("着急"));
  EXPECT_THAT(first("还要等多久才发货", "zh-TW"), HasSubstr("著急"));
  EXPECT_THAT(first("还要等多久才发货", ""), HasSubstr("着急"))
      << "Simplified stays Simplified (着 is Simplified too)";
  EXPECT_THAT(first("还要等多久才发货", ""), HasSubstr("亲"));
}

TEST(EngineTest, TraditionalInTraditionalOut) {
  Request r;
  r.message = "顯示簽收了但我沒收到";
  Result<Response> resp = BundledEngine().Suggest(r);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->script, Script::kHant);
  EXPECT_EQ(resp->normalized, "显示签收了但我没收到");
  ASSERT_FALSE(resp->suggestions.empty());
  const std::string& text = resp->suggestions[0].text;
  EXPECT_THAT(text, HasSubstr("訂單號"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("订单号")));
  // The same message in Simplified is answered in Simplified.
  r.message = "显示签收了但我没收到";
  Result<Response> simplified = BundledEngine().Suggest(r);
  EXPECT_THAT(simplified->suggestions[0].text, HasSubstr("订单号"));
  EXPECT_EQ(BundledEngine().normalizer().ToTraditional(
                simplified->suggestions[0].text),
            text);
}

TEST(EngineTest, NoMessageWithoutAnOrderQuotesAnOrderFact) {
  Request r;
  r.message = "怎么还不发货";
  Result<Response> resp = BundledEngine().Suggest(r);
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->suggestions.size(), 1u);
  EXPECT_EQ(resp->suggestions[0].template_id, "urge_shipment.no_order");
  EXPECT_THAT(resp->suggestions[0].text, HasSubstr("订单号"));
}

// Whatever the order looks like, a reply never carries a raw or empty
// placeholder: every example of every intent against a spread of orders,
// many with fields missing.
TEST(EngineTest, NoReplyEverHasAHole) {
  const std::vector<std::string> orders = {
      "{}",
      R"({"status": "unpaid"})",
      R"({"status": "paid"})",
      R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00"})",
      R"({"status": "paid", "paid_at": "2026-11-23T09:00:00+08:00", "amount": 10})",
      R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "stock": "out_of_stock"})",
      R"({"status": "paid", "paid_at": "2026-11-22T10:00:00+08:00", "stock": "out_of_stock", "restock_days": 2, "items": [{"name": "开衫"}]})",
      R"({"status": "shipped"})",
      R"({"status": "shipped", "shipping": {"tracking_number": "ZT1"}})",
      R"({"status": "shipped", "shipped_at": "2026-11-21T10:00:00+08:00", "shipping": {"carrier": "中通"}, "tracking": {"state": "none"}})",
      R"({"status": "shipped", "tracking": {"state": "in_transit", "last_event_at": "2026-11-19T10:00:00+08:00"}, "shipping": {"region": "新疆"}})",
      R"({"status": "shipped", "tracking": {"state": "exception"}})",
      R"({"status": "delivered"})",
      R"({"status": "delivered", "delivered_at": "2026-11-20T10:00:00+08:00", "tracking": {"state": "signed"}})",
      R"({"status": "delivered", "delivered_at": "2026-11-01T10:00:00+08:00", "tracking": {"state": "signed", "signed_by": "驿站"}})",
      R"({"status": "refunding"})",
      R"({"status": "closed", "buyer": {"name": "小林"}})",
  };
  const auto pack = BundledEngine().pack();
  size_t replies = 0;
  for (const LocalePack& lp : pack->locales) {
    for (const IntentDef& intent : lp.intents) {
      std::vector<std::string> messages = intent.examples;
      if (intent.trigger) messages = {""};
      for (const std::string& message : messages) {
        for (const std::string& order : orders) {
          Request r;
          r.message = message;
          r.trigger = intent.trigger.has_value();
          r.locale = lp.locale;
          r.max = Request::kMaxSuggestions;
          r.order = testing::ParseOrderOrDie(order);
          r.now = testing::T("2026-11-23T10:00:00+08:00");
          Result<Response> resp = BundledEngine().Suggest(r);
          ASSERT_TRUE(resp.ok()) << resp.status().ToString();
          for (const Suggestion& s : resp->suggestions) {
            EXPECT_EQ(s.text.find("{{"), std::string::npos) << s.template_id;
            EXPECT_EQ(s.text.find("}}"), std::string::npos) << s.template_id;
            EXPECT_FALSE(s.text.empty()) << s.template_id;
            // An empty value between two pieces of text would show as
            // doubled punctuation.
            EXPECT_EQ(s.text.find("，，"), std::string::npos)
                << s.template_id << ": " << s.text;

            ++replies;
          }
        }
      }
    }
  }
  EXPECT_GT(replies, 200u);
}

// A pack directory under test control, to reload good and broken packs.
class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("reload");
    namespace fs = std::filesystem;
    fs::copy_file(testing::SourceDir() / "shop.yaml", dir_ / "shop.yaml");
    for (const char* sub : {"intents", "templates"}) {
      fs::copy(testing::SourceDir() / sub, dir_ / sub,
               fs::copy_options::recursive);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ReloadTest, GoodReloadSwapsBrokenReloadKeepsServing) {
  auto engine = Engine::Open({.pack_dir = dir_.string()});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  const std::string v1 = (*engine)->pack()->version;
  Request r;
  r.message = "怎么还不发货";
  EXPECT_THAT((*engine)->Suggest(r)->suggestions[0].text, HasSubstr("订单号"));

  // A good edit: the new reply is served after the reload.
  const auto path = dir_ / "templates/zh/urge_shipment.yaml";
  std::string t = testing::ReadFile(path);
  t.replace(t.find("麻烦您把订单号发给我"),
            std::string("麻烦您把订单号发给我").size(), "麻烦您告诉我订单编号");
  testing::WriteFile(path, t);
  ASSERT_TRUE((*engine)->Reload().ok());
  const std::string v2 = (*engine)->pack()->version;
  EXPECT_NE(v1, v2);
  EXPECT_THAT((*engine)->Suggest(r)->suggestions[0].text,
              HasSubstr("订单编号"));

  // A broken edit: the reload fails with file:line and the old pack serves.
  testing::WriteFile(
      dir_ / "intents/zh/broken.yaml",
      "intents:\n  - id: broken\n    patterns: ['(']\n    examples: [x]\n"
      "    counter_examples: [y]\n");
  std::vector<PackIssue> issues;
  Status s = (*engine)->Reload(&issues);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("intents/zh/broken.yaml:3"));
  EXPECT_EQ((*engine)->pack()->version, v2);
  EXPECT_THAT((*engine)->Suggest(r)->suggestions[0].text,
              HasSubstr("订单编号"));
}

TEST(EngineOpenTest, BrokenPackDoesNotOpen) {
  std::vector<PackIssue> issues;
  auto engine = Engine::Open({.pack_dir = "/nonexistent/packs"}, &issues);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), Status::Code::kPackError);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].ToString(), "/nonexistent/packs: not a directory");
}

TEST(EngineClockTest, TheInjectedClockIsUsedWhenNowIsAbsent) {
  UnixSeconds now = testing::T("2026-11-22T09:59:00+08:00");
  auto engine = Engine::Open({.pack_dir = testing::SourceDir().string(),
                              .clock = [&now] { return now; }});
  ASSERT_TRUE(engine.ok());
  Request r;
  r.message = "怎么还不发货";
  r.order = testing::ParseOrderOrDie(
      R"({"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 99})");
  EXPECT_EQ((*engine)->Suggest(r)->suggestions[0].template_id,
            "urge_shipment.within_promise");
  now = testing::T("2026-11-22T10:01:00+08:00");
  EXPECT_EQ((*engine)->Suggest(r)->suggestions[0].template_id,
            "urge_shipment.overdue_wait");
}

// Explain answers exactly as Suggest does, and traces the way there: the
// normalized text maps back into the message, the matching pattern and the
// variants considered are recorded, and the trace keeps its pack.
// The conversation facts each intent's replies are chosen on, read from
// the history: asks (an agent reply of the intent answers one; the buyer's
// turns since the last agent turn are the current ask), replies sent,
// minutes since the last agent turn, an earlier threat.
TEST(EngineTest, ConversationFactsComeFromTheHistory) {
  using testing::T;
  Request r;
  r.message = "怎么还不发货";
  r.now = T("2026-11-23T09:40:00+08:00");
  r.history = {
      {Role::kBuyer, "在吗", T("2026-11-23T08:50:00+08:00"), ""},
      {Role::kAgent, "亲，在的", T("2026-11-23T08:51:00+08:00"), ""},
      {Role::kBuyer, "还没发吗", T("2026-11-23T09:00:00+08:00"), ""},
      {Role::kAgent, "亲，在排单了", T("2026-11-23T09:10:00+08:00"),
       "urge_shipment.within_promise"},
      {Role::kSystem, "订单已备注加急", std::nullopt, ""},
      {Role::kBuyer, "我要投诉你们", T("2026-11-23T09:20:00+08:00"), ""},
  };
  Trace trace;
  Result<Response> response = BundledEngine().Explain(r, &trace);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(trace.intent_facts.size(), trace.intents.size());
  const int urge = trace.locale_pack->FindIntent("urge_shipment");
  const auto at = std::find(trace.intents.begin(), trace.intents.end(), urge);
  ASSERT_NE(at, trace.intents.end());
  const Facts& f = trace.intent_facts[at - trace.intents.begin()];
  EXPECT_EQ(f.Number(Fact::kTimesAsked), 2);
  EXPECT_EQ(f.Number(Fact::kTimesSent), 1);
  EXPECT_EQ(f.Number(Fact::kMinutesWaiting), 30);
  EXPECT_TRUE(f.Bool(Fact::kBuyerEscalated));
  // The threat was a fragment of this ask: its intent is named with its turn.
  bool handoff_from_turn = false;
  for (const IntentMatch& m : response->intents) {
    handoff_from_turn |= m.name == "human_handoff" && m.turn == 5;
  }
  EXPECT_TRUE(handoff_from_turn) << ResponseToJson(*response);

  // Without a history: the first ask, nothing sent, no threat, no wait.
  r.history.clear();
  Trace alone;
  ASSERT_TRUE(BundledEngine().Explain(r, &alone).ok());
  EXPECT_TRUE(alone.intent_facts.empty());
  EXPECT_EQ(alone.facts.Number(Fact::kTimesAsked), 1);
  EXPECT_EQ(alone.facts.Number(Fact::kTimesSent), 0);
  EXPECT_FALSE(alone.facts.Bool(Fact::kBuyerEscalated));
  EXPECT_FALSE(alone.facts.Known(Fact::kMinutesWaiting));
}

TEST(EngineTest, ExplainAnswersLikeSuggestAndTracesTheWay) {
  Request r;
  r.message = "怎麼還不發貨？？";
  r.now = testing::T("2026-11-23T10:00:00+08:00");
  Trace trace;
  Result<Response> explained = BundledEngine().Explain(r, &trace);
  Result<Response> suggested = BundledEngine().Suggest(r);
  ASSERT_TRUE(explained.ok()) << explained.status().ToString();
  EXPECT_EQ(ResponseToJson(*explained), ResponseToJson(*suggested));

  ASSERT_NE(trace.pack, nullptr);
  ASSERT_NE(trace.locale_pack, nullptr);
  EXPECT_EQ(trace.now, *r.now);
  EXPECT_EQ(trace.normalized.text, "怎么还不发货");
  // 还 (bytes 6-9 of the key) came from 還 (bytes 6-9 of the message).
  EXPECT_EQ(trace.normalized.SourceSpan(6, 18),
            (std::pair<size_t, size_t>(6, 18)));
  ASSERT_FALSE(trace.intents.empty());
  EXPECT_EQ(trace.locale_pack->intents[trace.intents[0]].id, "urge_shipment");
  bool pattern_of_intent = false;
  for (int p : trace.matched_patterns) {
    pattern_of_intent |=
        trace.locale_pack->patterns[p].intent == trace.intents[0];
  }
  EXPECT_TRUE(pattern_of_intent);
  // Every variant but the fallbacks was considered (one was offered, so
  // the fallbacks were not); without an order only the no_order reply holds.
  size_t non_fallback = 0;
  for (int v : trace.locale_pack->variants_of[trace.intents[0]]) {
    non_fallback += !trace.locale_pack->variants[v].fallback;
  }
  EXPECT_EQ(trace.variants.size(), non_fallback);
  std::vector<std::string> offered;
  for (const VariantDecision& d : trace.variants) {
    if (d.offered) offered.push_back(trace.locale_pack->variants[d.variant].id);
  }
  EXPECT_EQ(offered, std::vector<std::string>{"urge_shipment.no_order"});

  r.max = 0;  // validated like Suggest
  EXPECT_EQ(BundledEngine().Explain(r, &trace).status().code(),
            Status::Code::kBadRequest);
}

}  // namespace
}  // namespace reply

// explain frames against a real server on an ephemeral port with a real
// Beast client: why a suggestion was made, and the order alone.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class ExplainMessagesTest : public ServerTestBase {};

// explain: the suggest fields answered with why (the console's why
// panel): the words matched, the variant's rule, the arithmetic of the
// compensation; and with `gloss`, a Vietnamese reply in Chinese.
TEST_F(ExplainMessagesTest, ExplainAnswersWhyAndGlossesAnotherLocale) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("x1");
  frame["type"] = "explain";
  const json answer = Ask(*client, frame);
  ASSERT_EQ(answer["type"], "explanation") << answer;
  EXPECT_EQ(answer["id"], "x1");
  const json& e = answer["explanation"];
  EXPECT_EQ(e["suggestions"][0]["template"], "urge_shipment.overdue_wait");
  EXPECT_FALSE(e["suggestions"][0].contains("suggestion_id"));
  bool matched = false;
  for (const json& p : e["patterns"]) {
    matched |=
        p["intent"] == "urge_shipment" && p.contains("span") &&
        p["span"]["text"].get<std::string>().find("发货") != std::string::npos;
  }
  EXPECT_TRUE(matched) << e["patterns"];
  ASSERT_EQ(e["amounts"].size(), 1u) << e;
  EXPECT_EQ(e["amounts"][0]["fact"], "compensation");
  EXPECT_DOUBLE_EQ(e["amounts"][0]["value"].get<double>(), 6.45);
  EXPECT_DOUBLE_EQ(e["amounts"][0]["amount"].get<double>(), 129);
  EXPECT_DOUBLE_EQ(e["amounts"][0]["rate"].get<double>(), 0.05);
  EXPECT_FALSE(e.contains("glosses")) << "no gloss asked for";

  frame = SuggestFrame("x2", "sao chưa giao hàng");
  frame["type"] = "explain";
  frame["gloss"] = "zh";
  const json vi = Ask(*client, frame);
  ASSERT_EQ(vi["type"], "explanation") << vi;
  const json& glosses = vi["explanation"]["glosses"];
  ASSERT_EQ(glosses.size(), vi["explanation"]["suggestions"].size());
  EXPECT_EQ(glosses[0]["template"], "urge_shipment.overdue_wait");
  EXPECT_EQ(glosses[0]["locale"], "zh");
  const std::string text = glosses[0]["text"].get<std::string>();
  EXPECT_NE(text.find("6.45"), std::string::npos) << text;
  EXPECT_EQ(text.find("{{"), std::string::npos) << text;

  frame["gloss"] = "fr";
  const json bad = Ask(*client, frame);
  EXPECT_EQ(bad["code"], "bad_request");
  EXPECT_NE(bad["message"].get<std::string>().find("gloss"), std::string::npos);
  // explain never makes a suggestion id, so nothing can be fed back on it;
  // the connection keeps serving.
  EXPECT_EQ(Ask(*client, SuggestFrame("ok"))["type"], "suggestions");
}

// explain without a message explains the order alone (a trigger): the
// facts the engine derives and the policy they are measured against, which
// a console's order panel shows before the buyer writes anything.
TEST_F(ExplainMessagesTest, ExplainWithoutAMessageExplainsTheOrder) {
  Start(Config());
  auto client = Connect();
  json frame = SuggestFrame("o1");
  frame["type"] = "explain";
  frame.erase("message");
  const json answer = Ask(*client, frame);
  ASSERT_EQ(answer["type"], "explanation") << answer;
  const json& e = answer["explanation"];
  EXPECT_EQ(e["facts"]["overdue"], true) << e["facts"];
  EXPECT_GT(e["facts"]["hours_overdue"].get<double>(), 0) << e["facts"];
  EXPECT_TRUE(e["facts"]["ship_deadline"].is_string()) << e["facts"];
  EXPECT_DOUBLE_EQ(e["facts"]["compensation"].get<double>(), 6.45);
  EXPECT_EQ(e["policy"]["return_window_days"], 7);
  EXPECT_DOUBLE_EQ(e["policy"]["promise_ship_hours"].get<double>(), 48);
  // The proactive reply the order calls for is what it explains.
  ASSERT_FALSE(e["suggestions"].empty()) << e;
  EXPECT_EQ(e["suggestions"][0]["intent"], "notify_overdue");

  // A message that is null is still a missing message, not a trigger.
  frame["message"] = nullptr;
  EXPECT_EQ(Ask(*client, frame)["code"], "bad_request");
}

}  // namespace
}  // namespace reply::testing

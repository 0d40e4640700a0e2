// The plain HTTP side of the port: /healthz, /metrics, /stats and the
// static files of the web root.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class HttpTest : public ServerTestBase {};

TEST_F(HttpTest, HealthzReportsThePackVersion) {
  Start(Config());
  HttpResult res = HttpGet(port_, "/healthz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers["Content-Type"], "application/json");
  const json body = json::parse(res.body);
  EXPECT_EQ(body["status"], "ok");
  auto client = Connect();
  EXPECT_EQ(body["pack_version"],
            Ask(*client, SuggestFrame("r1"))["pack_version"]);
  EXPECT_FALSE(body.contains("load_error"));
}

TEST_F(HttpTest, MetricsAndStatsCountRequestsIntentsAndFeedback) {
  Start(Config());
  auto client = Connect();
  const json first = Ask(*client, SuggestFrame("r1"));
  const json second = Ask(*client, SuggestFrame("r2"));
  Ask(*client, {{"type", "suggest"}, {"id", "r3"}});  // bad_request
  const json& s0 = first["suggestions"][0];
  const json& s1 = first["suggestions"][1];
  // The same message twice: the same templates in the same order.
  ASSERT_EQ(second["suggestions"][0]["template"], s0["template"]);
  ASSERT_EQ(second["suggestions"][1]["template"], s1["template"]);
  for (const auto& [id, sid, action] :
       {std::tuple{"f1", s0["suggestion_id"], "shown"},
        std::tuple{"f2", s0["suggestion_id"], "accepted"},
        std::tuple{"f3", s0["suggestion_id"], "accepted"},  // a resend
        std::tuple{"f4", second["suggestions"][0]["suggestion_id"], "shown"},
        std::tuple{"f5", second["suggestions"][0]["suggestion_id"], "rejected"},
        std::tuple{"f6", s1["suggestion_id"], "edited"},  // shown: implied
        std::tuple{"f7", second["suggestions"][1]["suggestion_id"], "shown"}}) {
    json frame = {{"type", "feedback"},
                  {"id", id},
                  {"suggestion_id", sid},
                  {"action", action}};
    if (std::string(action) == "edited") frame["final_text"] = "改过的回复";
    ASSERT_EQ(Ask(*client, frame)["type"], "ack");
  }

  const HttpResult metrics = HttpGet(port_, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  const std::string& m = metrics.body;
  const std::string t0 = s0["template"], t1 = s1["template"];
  for (const std::string& line : {
           std::string(
               "replyd_requests_total{type=\"suggest\",outcome=\"ok\"} 2"),
           std::string("replyd_requests_total{type=\"suggest\",outcome=\"bad_"
                       "request\"} 1"),
           std::string(
               "replyd_requests_total{type=\"feedback\",outcome=\"ok\"} 7"),
           std::string(
               "replyd_intent_matches_total{intent=\"urge_shipment\"} 2"),
           "replyd_feedback_total{template=\"" + t0 +
               "\",action=\"accepted\"} 1",
           "replyd_feedback_total{template=\"" + t0 +
               "\",action=\"rejected\"} 1",
           "replyd_feedback_total{template=\"" + t0 + "\",action=\"shown\"} 2",
           "replyd_feedback_total{template=\"" + t1 + "\",action=\"edited\"} 1",
           "replyd_feedback_total{template=\"" + t1 + "\",action=\"shown\"} 1",
           std::string("replyd_connections 2"),  // the client and this request
           std::string("replyd_request_duration_seconds_count 2"),
           std::string("replyd_reloads_total{result=\"ok\"} 0"),
       }) {
    EXPECT_NE(m.find(line + "\n"), std::string::npos)
        << "missing: " << line << "\n"
        << m;
  }

  const HttpResult stats = HttpGet(port_, "/stats");
  EXPECT_EQ(stats.status, 200);
  const json body = json::parse(stats.body);
  ASSERT_EQ(body["templates"].size(), 2u);
  // Rates are over the suggestions shown.
  for (const json& row : body["templates"]) {
    if (row["template"] == t0) {
      EXPECT_EQ(row["shown"], 2);
      EXPECT_EQ(row["accepted"], 1);
      EXPECT_EQ(row["rejected"], 1);
      EXPECT_EQ(row["total"], 2);
      EXPECT_DOUBLE_EQ(row["acceptance_rate"].get<double>(), 0.5);
    } else {
      EXPECT_EQ(row["template"], t1);
      EXPECT_EQ(row["shown"], 2);
      EXPECT_EQ(row["edited"], 1);
      EXPECT_DOUBLE_EQ(row["acceptance_rate"].get<double>(), 0.0);
      EXPECT_DOUBLE_EQ(row["used_rate"].get<double>(), 0.5);
    }
  }
  ASSERT_EQ(body["intents"].size(), 1u);
  EXPECT_EQ(body["intents"][0]["intent"], "urge_shipment");
  EXPECT_EQ(body["intents"][0]["shown"], 4);
  EXPECT_EQ(body["intents"][0]["total"], 3);
  EXPECT_EQ(body["intents"][0]["own_replies"], 0);
  EXPECT_DOUBLE_EQ(body["intents"][0]["acceptance_rate"].get<double>(), 0.25);
}

TEST_F(HttpTest, TemplatesListsEveryVariantPerLocaleWithItsTextAndLabel) {
  Start(Config());
  HttpResult res = HttpGet(port_, "/templates");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers["Content-Type"], "application/json");
  const json body = json::parse(res.body);
  auto client = Connect();
  EXPECT_EQ(body["pack_version"],
            Ask(*client, SuggestFrame("r1"))["pack_version"]);
  std::map<std::string, json> by_locale;
  for (const json& locale : body["locales"]) {
    by_locale[locale["locale"]] = locale["templates"];
  }
  ASSERT_TRUE(by_locale.contains("zh"));
  ASSERT_TRUE(by_locale.contains("vi"));
  bool found = false;
  for (const json& t : by_locale["zh"]) {
    if (t["template"] != "urge_shipment.overdue_wait") continue;
    found = true;
    EXPECT_EQ(t["intent"], "urge_shipment");
    EXPECT_EQ(t["label"], "已超时：道歉、补偿、等");
    EXPECT_EQ(t["handoff"], false);
    // As written: a console fills or shows the placeholders itself.
    EXPECT_NE(t["text"].get<std::string>().find("{{facts.compensation}}"),
              std::string::npos)
        << t;
  }
  EXPECT_TRUE(found);
  // The intents' labels, per locale in that locale's language.
  for (const json& locale : body["locales"]) {
    for (const json& intent : locale["intents"]) {
      if (intent["intent"] != "urge_shipment") continue;
      EXPECT_EQ(intent["label"],
                locale["locale"] == "zh" ? "催发货" : "Giục giao hàng");
    }
  }
}

TEST_F(HttpTest, ServesTheWebRootAndNothingOutsideIt) {
  WriteFile(dir_ / "web/index.html", "<!doctype html><title>replyd</title>");
  WriteFile(dir_ / "web/widget/app.js", "console.log('widget');");
  WriteFile(dir_ / "secret.txt", "not for the web");
  Start(Config());
  HttpResult index = HttpGet(port_, "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>replyd</title>");
  EXPECT_EQ(index.headers["Content-Type"], "text/html; charset=utf-8");
  HttpResult js = HttpGet(port_, "/widget/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('widget');");
  EXPECT_EQ(js.headers["Content-Type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(HttpGet(port_, "/missing.html").status, 404);
  EXPECT_EQ(HttpGet(port_, "/../secret.txt").status, 400);
  EXPECT_EQ(HttpGet(port_, "/widget/../../secret.txt").status, 400);
  EXPECT_EQ(HttpGet(port_, "/ws").status, 426) << "/ws without an upgrade";
}

}  // namespace
}  // namespace reply::testing

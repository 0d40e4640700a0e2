// Wording experiments through the real server: a copy of the bundled packs
// whose urge_shipment.overdue_wait has two arms; each conversation gets one
// arm, always the same; feedback stores the arm in the SQLite file; /stats
// reports the arms with the control first.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

constexpr const char* kTemplate = "urge_shipment.overdue_wait";

class ExperimentTest : public ServerTestBase {
 protected:
  // The bundled packs with overdue_wait's text as the arm `apology` and a
  // shorter wording as the arm `short`.
  std::string PacksWithExperiment() {
    const std::filesystem::path packs = dir_ / "packs";
    std::filesystem::create_directories(packs);
    CopyBundledPacks(packs);
    const std::filesystem::path file =
        packs / "templates/zh/urge_shipment.yaml";
    std::string yaml = ReadFile(file);
    const size_t at = yaml.find("  - id: overdue_wait\n");
    const size_t text = yaml.find("    text: |-\n", at);
    const size_t end = yaml.find("\n\n", text);
    EXPECT_NE(end, std::string::npos);
    std::string arms =
        "    arms:\n"
        "      - id: apology\n"
        "        text: |-\n";
    size_t line = text + std::string("    text: |-\n").size();
    while (line < end) {
      const size_t nl = std::min(yaml.find('\n', line), end);
      arms += "    " + yaml.substr(line, nl - line) + "\n";
      line = nl + 1;
    }
    arms +=
        "      - id: short\n"
        "        weight: 1\n"
        "        text: |-\n"
        "          亲，抱歉让您久等了，订单已加急，今天优先发出；"
        "补偿您{{facts.compensation}}元。";
    yaml.replace(text, end - text, arms);
    WriteFile(file, yaml);
    return packs.string();
  }

  // The overdue_wait suggestion of a suggest in `conversation`.
  json Suggestion(WsClient& client, const std::string& conversation) {
    json frame = SuggestFrame(conversation + "-r");
    frame["conversation_id"] = conversation;
    const json answer = Ask(client, frame);
    for (const json& s : answer["suggestions"]) {
      if (s["template"] == kTemplate) return s;
    }
    ADD_FAILURE() << "no " << kTemplate << " in " << answer;
    return json::object();
  }
};

// /templates lists an experiment's arms with their weights and texts; the
// variant's text is the control's, as a request without a conversation
// gets.
TEST_F(ExperimentTest, TemplatesListsTheArms) {
  server::ServerConfig config = Config();
  config.packs = PacksWithExperiment();
  Start(config);
  const json body = json::parse(HttpGet(port_, "/templates").body);
  json row, plain;
  for (const json& locale : body["locales"]) {
    for (const json& t : locale["templates"]) {
      if (t["template"] == kTemplate) row = t;
      if (t["template"] == "urge_shipment.overdue_alternative") plain = t;
    }
  }
  ASSERT_TRUE(row.is_object()) << body;
  ASSERT_EQ(row["arms"].size(), 2u) << row;
  EXPECT_EQ(row["arms"][0]["arm"], "apology");
  EXPECT_EQ(row["arms"][0]["weight"], 1);
  EXPECT_EQ(row["arms"][1]["arm"], "short");
  EXPECT_NE(row["arms"][1]["text"].get<std::string>().find("今天优先发出"),
            std::string::npos);
  EXPECT_EQ(row["text"], row["arms"][0]["text"]);
  EXPECT_FALSE(row["text"].get<std::string>().empty());
  ASSERT_TRUE(plain.is_object());
  EXPECT_FALSE(plain.contains("arms")) << plain;
}

TEST_F(ExperimentTest, AConversationKeepsItsArmAndFeedbackRecordsIt) {
  server::ServerConfig config = Config();
  config.packs = PacksWithExperiment();
  config.rate_burst = 1000;  // 120 frames in a row
  Start(config);
  auto client = Connect();
  std::map<std::string, std::set<std::string>> texts;  // arm -> texts
  std::map<std::string, int> accepted;
  for (int i = 0; i < 40; ++i) {
    const std::string conversation = NumberedId("c", i);
    const json first = Suggestion(*client, conversation);
    const json again = Suggestion(*client, conversation);
    ASSERT_TRUE(first.contains("arm")) << first;
    EXPECT_EQ(again["arm"], first["arm"]) << conversation;
    EXPECT_EQ(again["text"], first["text"]) << conversation;
    texts[first["arm"]].insert(first["text"].get<std::string>());
    const json ack = Ask(*client, {{"type", "feedback"},
                                   {"id", conversation + "-f"},
                                   {"suggestion_id", first["suggestion_id"]},
                                   {"action", "accepted"}});
    ASSERT_EQ(ack["type"], "ack") << ack;
    ++accepted[first["arm"]];
  }
  // Both arms were offered, each with its own wording.
  ASSERT_EQ(texts.size(), 2u);
  ASSERT_EQ(texts["apology"].size(), 1u);
  ASSERT_EQ(texts["short"].size(), 1u);
  EXPECT_NE(texts["short"].begin()->find("今天优先发出"), std::string::npos);

  // Without a conversation: the control's wording, no arm.
  json plain_frame = SuggestFrame("plain");
  plain_frame.erase("conversation_id");
  const json plain = Ask(*client, plain_frame);
  for (const json& s : plain["suggestions"]) {
    if (s["template"] != kTemplate) continue;
    EXPECT_FALSE(s.contains("arm")) << s;
    EXPECT_EQ(s["text"], *texts["apology"].begin());
  }

  const auto rows = QueryDb(dir_ / "feedback.db",
                            "SELECT arm, COUNT(*) FROM feedback WHERE "
                            "template = 'urge_shipment.overdue_wait' "
                            "GROUP BY arm ORDER BY arm");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "apology", std::to_string(accepted["apology"])}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{
                         "short", std::to_string(accepted["short"])}));

  const json stats = json::parse(HttpGet(port_, "/stats").body);
  ASSERT_EQ(stats["experiments"].size(), 1u) << stats;
  const json& e = stats["experiments"][0];
  EXPECT_EQ(e["template"], kTemplate);
  ASSERT_EQ(e["arms"].size(), 2u);
  EXPECT_EQ(e["arms"][0]["arm"], "apology");
  EXPECT_EQ(e["arms"][0]["verdict"], "control");
  EXPECT_EQ(e["arms"][0]["accepted"], accepted["apology"]);
  EXPECT_EQ(e["arms"][1]["arm"], "short");
  EXPECT_EQ(e["arms"][1]["verdict"], "not yet known");  // too few shown
  EXPECT_EQ(e["arms"][1]["ci95"].size(), 2u);
}

}  // namespace
}  // namespace reply::testing

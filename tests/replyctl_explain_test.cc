// replyctl explain and suggest, run as the real binary. Explain's output on
// the fixture pack is compared exactly with golden files (tests/golden/;
// run with REPLY_UPDATE_GOLDEN=1 to rewrite them after an intended change,
// then review the diff); the clock is pinned so the output is the same on
// every machine. suggest --json prints exactly the engine's response.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "tests/replyctl_runner.h"

namespace reply {
namespace {

using testing::CtlResult;
using testing::FixtureDir;
using ::testing::HasSubstr;
using testing::RunReplyctl;

constexpr char kOverdueNow[] = "2026-11-23T10:00:00+08:00";

std::filesystem::path FixturePack() { return FixtureDir() / "pack"; }
std::string OrderFile() { return (FixtureDir() / "order_paid.json").string(); }

void ExpectGolden(const std::string& name, const CtlResult& r) {
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::filesystem::path path =
      testing::SourceDir() / "tests" / "golden" / name;
  if (const char* update = std::getenv("REPLY_UPDATE_GOLDEN");
      update != nullptr && std::string(update) == "1") {
    testing::WriteFile(path, r.out);
    return;
  }
  const std::string golden = testing::ReadFile(path);
  ASSERT_FALSE(golden.empty()) << path << " is missing";
  EXPECT_EQ(r.out, golden) << "differs from " << path
                           << " (REPLY_UPDATE_GOLDEN=1 rewrites it)";
}

// Traditional input, two intents, an order past its deadline: spans map
// back into the original characters, facts and every variant's tests.
TEST(ReplyctlExplainTest, GoldenOverdueOrderInTraditional) {
  ExpectGolden("explain_overdue.txt",
               RunReplyctl({"explain", "怎麼還不發貨？？能換成L碼嗎", "--order",
                            OrderFile(), "--now", kOverdueNow},
                           FixturePack()));
}

// No order; an exclude removes the intent a pattern matched.
TEST(ReplyctlExplainTest, GoldenExcludeRemovesTheIntent) {
  ExpectGolden("explain_exclude.txt",
               RunReplyctl({"explain", "怎么还不发货？算了先别发货", "--now",
                            kOverdueNow},
                           FixturePack()));
}

// A proactive request, as JSON for tools.
TEST(ReplyctlExplainTest, GoldenTriggerAsJson) {
  ExpectGolden("explain_trigger.json",
               RunReplyctl({"explain", "--trigger", "--order", OrderFile(),
                            "--now", kOverdueNow, "--json"},
                           FixturePack()));
}

// --history: the conversation before the message. The bundled packs answer
// a third urging with the options, and explain names the turn an intent of
// an earlier fragment came from, and a follow-up.
TEST(ReplyctlExplainTest, HistoryFromAFile) {
  const std::string dir = testing::SourceDir().string();
  const CtlResult suggest = RunReplyctl(
      {"suggest", "到底什么时候发货", "--order",
       dir + "/docs/examples/order_overdue.json", "--history",
       dir + "/docs/examples/history_urged_twice.json", "--now", kOverdueNow},
      testing::SourceDir());
  EXPECT_EQ(suggest.exit_code, 0) << suggest.err;
  EXPECT_THAT(suggest.out, HasSubstr("1. [urge_shipment.third_ask_options]"));

  const std::filesystem::path history =
      std::filesystem::temp_directory_path() / "replyctl_history_test.json";
  {
    std::ofstream out(history);
    out << R"([{"role": "buyer", "text": "怎么还不发货"}])";
  }
  const CtlResult explain =
      RunReplyctl({"explain", "能换成L码吗", "--history", history.string(),
                   "--now", kOverdueNow},
                  testing::SourceDir());
  EXPECT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_THAT(explain.out,
              HasSubstr("matched in history[0], an earlier message of this "
                        "ask: 怎么还不发货"));

  const CtlResult bad = RunReplyctl({"suggest", "在吗", "--history",
                                     dir + "/docs/examples/order_overdue.json"},
                                    testing::SourceDir());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.out + bad.err,
              HasSubstr("history: expected an array of turns"));
  std::filesystem::remove(history);
}

// Slots: explain lists each value the buyer said with the words and the
// turn it came from, and the reply repeats the latest one back.
TEST(ReplyctlExplainTest, SlotsWithTheirTurns) {
  const std::filesystem::path history =
      std::filesystem::temp_directory_path() / "replyctl_slots_test.json";
  {
    std::ofstream out(history);
    out << R"([{"role": "buyer", "text": "衣服小了，想换成XL"},
               {"role": "agent", "text": "亲，好的，我看一下。"}])";
  }
  const CtlResult explain =
      RunReplyctl({"explain", "码数小了能换吗", "--history", history.string()},
                  testing::SourceDir());
  EXPECT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_THAT(explain.out,
              HasSubstr("slots.size = XL  from \"换成XL\" in history[0]: "
                        "衣服小了，想换成XL"));
  EXPECT_THAT(explain.out, HasSubstr("想换成XL码我记下了"));

  const CtlResult json =
      RunReplyctl({"explain", "42码小了换43", "--json"}, testing::SourceDir());
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(R"("slot": "size")"));
  EXPECT_THAT(json.out, HasSubstr(R"("value": "43")"));
  std::filesystem::remove(history);
}

TEST(ReplyctlExplainTest, BundledPacks) {
  const CtlResult r = RunReplyctl(
      {"explain", "怎麼還不發貨", "--now", kOverdueNow}, testing::SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("intents/zh/shipping.yaml:"));
  EXPECT_THAT(r.out, HasSubstr(" in ⟦怎麼還不發貨⟧\n"));
  EXPECT_THAT(r.out, HasSubstr("+ urge_shipment.no_order  "
                               "templates/zh/urge_shipment.yaml:"));
}

// Hong Kong Cantonese: the dialect words written out, each at its rule's
// line, and the matched span in the buyer's own characters.
TEST(ReplyctlExplainTest, CantoneseWrittenOut) {
  const CtlResult r =
      RunReplyctl({"explain", "簽咗收但唔係我簽", "--now", kOverdueNow},
                  testing::SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("normalized  签收了但不是我签 "));
  EXPECT_THAT(
      r.out,
      HasSubstr("written out 簽咗收 → 签收了 (intents/zh/cantonese.yaml:"));
  EXPECT_THAT(r.out, HasSubstr(", 唔 → 不 (intents/zh/cantonese.yaml:"));
  EXPECT_THAT(r.out, HasSubstr(" in ⟦簽咗收但唔係我簽⟧\n"));
}

// A pattern made of concepts: explain names the entry of each concept that
// matched, where it is written, and the buyer's own characters it matched.
TEST(ReplyctlExplainTest, ConceptEntriesThatMatched) {
  std::string orders =
      testing::ReadFile(FixturePack() / "intents/zh/orders.yaml");
  orders.replace(orders.find("    exclude:\n"), 0, "      - '{stuck}'\n");
  const std::filesystem::path dir = testing::FixturePackWith(
      {{"intents/zh/orders.yaml", orders},
       {"intents/zh/lexicon.yaml",
        "concepts:\n"                                    // 1
        "  parcel: [包裹, 快递]\n"                       // 2
        "  not_moving: [(没|不)(动|更新), 停(在|了)]\n"  // 3
        "  stuck: ['{parcel}.{0,3}{not_moving}']\n"}});  // 4
  const CtlResult r =
      RunReplyctl({"explain", "我的快遞三天沒動了", "--now", kOverdueNow}, dir);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("  intents/zh/orders.yaml:7  urge_shipment  {stuck}\n"
                        "      matched 快遞三天沒動 in 我的⟦快遞三天沒動⟧了\n"
                        "        {stuck} = {parcel}.{0,3}{not_moving}  "
                        "(intents/zh/lexicon.yaml:4), matched 快遞三天沒動\n"
                        "          {parcel} = 快递  "
                        "(intents/zh/lexicon.yaml:2), matched 快遞\n"
                        "          {not_moving} = (没|不)(动|更新)  "
                        "(intents/zh/lexicon.yaml:3), matched 沒動\n"));
}

// A vague intent resolved to one that the order resolves in turn: explain
// names both rules and the intent each step came from.
TEST(ReplyctlExplainTest, EveryRuleOfAResolutionChain) {
  std::string orders =
      testing::ReadFile(FixturePack() / "intents/zh/orders.yaml");
  orders.replace(orders.find("    patterns:"), 0,
                 "    resolve_by_order:\n"
                 "      - when: status == \"delivered\"\n"
                 "        intent: progress_lost\n");
  const std::filesystem::path dir = testing::FixturePackWith(
      {{"intents/zh/orders.yaml", orders},
       {"intents/zh/progress.yaml",
        "intents:\n"                       // 1
        "  - id: progress\n"               // 2
        "    resolve_by_order:\n"          // 3
        "      - when: has_order\n"        // 4
        "        intent: urge_shipment\n"  // 5
        "    patterns: [催催]\n"
        "    examples: [帮我催催]\n"
        "    counter_examples: [发票]\n"
        "  - id: progress_lost\n"
        "    patterns: [没收到货]\n"
        "    examples: [没收到货]\n"
        "    counter_examples: [发票]\n"},
       {"templates/zh/progress.yaml",
        "intent: progress\nvariants:\n  - id: any\n"
        "    text: 亲，我马上帮您查一下这笔订单。\n"},
       {"templates/zh/progress_lost.yaml",
        "intent: progress_lost\nvariants:\n  - id: any\n"
        "    text: 亲，我马上帮您联系快递查一下。\n"},
       {"delivered.json", "{\"status\": \"delivered\"}"}});
  const CtlResult r =
      RunReplyctl({"explain", "帮我催催", "--order",
                   (dir / "delivered.json").string(), "--now", kOverdueNow},
                  dir);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1. progress_lost  "));
  EXPECT_THAT(r.out,
              HasSubstr("     the message asked progress; the order decided, "
                        "by the rule at intents/zh/progress.yaml:5\n"));
  EXPECT_THAT(r.out, HasSubstr("     then urge_shipment was resolved by the "
                               "rule at intents/zh/orders.yaml:"));
}

TEST(ReplyctlExplainTest, ErrorsAndExitCodes) {
  CtlResult r =
      RunReplyctl({"explain", "你好", "--locale", "xx"}, FixturePack());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("error: bad_request: locale: no pack for 'xx'"));
  r = RunReplyctl({"explain", "你好", "--order", "/nonexistent.json"},
                  FixturePack());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.json: cannot open"));
  r = RunReplyctl({"explain"}, FixturePack());
  EXPECT_EQ(r.exit_code, 2);
  r = RunReplyctl({"explain", "你好", "--packs", "/nonexistent"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent is not a pack directory"));
}

// The server sends these very bytes, wrapped with its own type and id.
TEST(ReplyctlSuggestTest, JsonIsExactlyTheEnginesResponse) {
  Result<std::unique_ptr<Engine>> engine =
      Engine::Open({.pack_dir = FixturePack().string()});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  nlohmann::json request = {
      {"message", "怎么还不发货"},
      {"max", 3},
      {"now", kOverdueNow},
      {"order", nlohmann::json::parse(testing::ReadFile(OrderFile()))}};
  const CtlResult r = RunReplyctl({"suggest", "怎么还不发货", "--order",
                                   OrderFile(), "--now", kOverdueNow, "--json"},
                                  FixturePack());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, (*engine)->SuggestJson(request.dump()) + "\n");
  EXPECT_THAT(r.out, HasSubstr("\"template\":\"urge_shipment.overdue\""));
}

}  // namespace
}  // namespace reply

// Many threads suggesting while another reloads the packs, good and broken.
// Run in the ThreadSanitizer build (REPLY_TSAN), which CI runs: the design
// (immutable snapshots, a swapped pointer) must hold without data races,
// and every answer must come whole from one snapshot or the other.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "engine/engine.h"
#include "tests/test_util.h"

namespace reply {
namespace {

constexpr const char* kShop = "promise_ship_hours: 48\n";
constexpr const char* kIntents =
    "intents:\n"
    "  - id: urge_shipment\n"
    "    patterns: ['(还|怎么).{0,4}(没|不)发货', '什么时候发货']\n"
    "    examples: [怎么还不发货]\n"
    "    counter_examples: [发什么快递]\n"
    "  - id: missing_tracking\n"
    "    patterns: ['没有物流信息']\n"
    "    examples: [没有物流信息]\n"
    "    counter_examples: [物流很快]\n";

std::string Templates(const std::string& version) {
  return "intent: urge_shipment\n"
         "variants:\n"
         "  - id: no_order\n"
         "    when: not has_order\n"
         "    text: 亲，版本" +
         version +
         "，请发订单号。\n"
         "  - id: overdue\n"
         "    when: status == \"paid\" and overdue\n"
         "    text: 亲，版本" +
         version +
         "，补偿{{facts.compensation}}元。\n"
         "  - id: within\n"
         "    when: status == \"paid\" and not overdue\n"
         "    text: 亲，版本" +
         version + "，{{facts.ship_deadline}}前发出。\n";
}

constexpr const char* kTrackingTemplates =
    "intent: missing_tracking\n"
    "variants:\n"
    "  - id: no_order\n"
    "    when: not has_order\n"
    "    text: 亲，请发订单号，我查一下物流。\n";

TEST(ConcurrencyTest, SuggestDuringReloads) {
  const auto dir = testing::MakeTempDir("concurrency");
  testing::WriteFile(dir / "shop.yaml", kShop);
  testing::WriteFile(dir / "intents/zh/a.yaml", kIntents);
  testing::WriteFile(dir / "templates/zh/urge_shipment.yaml", Templates("A"));
  testing::WriteFile(dir / "templates/zh/missing_tracking.yaml",
                     kTrackingTemplates);
  auto opened = Engine::Open({.pack_dir = dir.string()});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& engine = **opened;

  std::atomic<bool> stop{false};
  std::atomic<int> answers{0}, failures{0};
  const std::vector<std::string> requests = {
      R"({"message": "怎么还不发货"})",
      R"({"message": "怎麼還沒發貨", "now": "2026-11-23T10:00:00+08:00",
          "order": {"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00", "amount": 129}})",
      R"({"message": "什么时候发货 没有物流信息", "now": "2026-11-21T10:00:00+08:00",
          "order": {"status": "paid", "paid_at": "2026-11-20T10:00:00+08:00"}})",
      R"({"message": "bad", "order": {"amount": "x"}})",
      "not json",
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; !stop.load() || i < 50; ++i) {
        const std::string out =
            engine.SuggestJson(requests[(i + t) % requests.size()]);
        const auto j = nlohmann::json::parse(out);
        if (j.contains("suggestions")) {
          for (const auto& s : j["suggestions"]) {
            const std::string text = s["text"];
            // Whole from one snapshot: version A or B, never a mix.
            const bool a = text.find("版本A") != std::string::npos;
            const bool b = text.find("版本B") != std::string::npos;
            const bool tracking = text.find("物流") != std::string::npos;
            if (!(a ^ b) && !tracking) failures.fetch_add(1);
          }
        }
        answers.fetch_add(1);
      }
    });
  }
  int good_reloads = 0, failed_reloads = 0;
  for (int round = 0; round < 20; ++round) {
    if (round % 5 == 4) {
      testing::WriteFile(
          dir / "templates/zh/urge_shipment.yaml",
          Templates("B") + "  - id: broken\n    when: overdu\n    text: x\n");
      failed_reloads += !engine.Reload().ok();
    } else {
      testing::WriteFile(dir / "templates/zh/urge_shipment.yaml",
                         Templates(round % 2 ? "B" : "A"));
      good_reloads += engine.Reload().ok();
    }
  }
  stop.store(true);
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(good_reloads, 16);
  EXPECT_EQ(failed_reloads, 4);
  EXPECT_GE(answers.load(), 200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace reply

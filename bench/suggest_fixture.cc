#include "bench/suggest_fixture.h"

#include <nlohmann/json.hpp>
#include <random>

#include "bench/corpus.h"
#include "engine/pack/pack.h"

namespace reply::bench {

Engine& BenchEngine() {
  static Engine* engine =
      Engine::Open({.pack_dir = REPLY_SOURCE_DIR})->release();
  return *engine;
}

Order OverdueOrder() {
  return *ParseOrder(nlohmann::json::parse(R"({
      "id": "E20261123001", "status": "paid",
      "paid_at": "2026-11-20T09:05:00+08:00", "amount": 129.0,
      "items": [{"name": "羊毛开衫", "size": "M"}],
      "shipping": {"carrier": "中通", "tracking_number": "ZT7312004455", "region": "浙江"},
      "buyer": {"name": "小林"}})"));
}

std::vector<std::string> MessagesWithIntent(size_t count, unsigned seed,
                                            unsigned pick_seed) {
  std::vector<std::string> examples;
  for (const IntentDef& intent : BenchEngine().pack()->Find("zh")->intents) {
    examples.insert(examples.end(), intent.examples.begin(),
                    intent.examples.end());
  }
  std::vector<std::string> out = UnseenMessages(count, seed);
  std::mt19937 rng(pick_seed);
  for (std::string& m : out) {
    m += examples[std::uniform_int_distribution<size_t>(
        0, examples.size() - 1)(rng)];
  }
  return out;
}

}  // namespace reply::bench

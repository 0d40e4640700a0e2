// The whole of suggest() on messages never seen before, with an order
// already parsed (the server parses each request's order once): normalize,
// match, derive facts, choose and render. "with_intent" messages carry an
// intent (an unseen prefix, then one of the packs' own examples), so the
// cost of choosing and rendering replies is in; "mixed" is the plain
// unseen stream, where most messages carry no core intent. "learned" runs
// with a learned ranking (engine/select/ranking.h) holding evidence for
// every template, as replyd serves by default: the cost of reordering.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "bench/corpus.h"
#include "bench/latency.h"
#include "bench/suggest_fixture.h"
#include "engine/engine.h"
#include "engine/pack/pack.h"
#include "engine/select/ranking.h"

namespace reply::bench {
namespace {

constexpr size_t kStream = 200000;

std::vector<std::string> WithIntent() {
  return MessagesWithIntent(kStream, 31, 5);
}

// Evidence for every template of the packs, acceptance varying by template.
std::shared_ptr<const Ranking> FullRanking() {
  Ranking::Evidence evidence;
  int k = 0;
  for (const LocalePack& lp : BenchEngine().pack()->locales) {
    for (const Variant& v : lp.variants) {
      evidence[""][v.id] = {100, 10 + (k++ * 37) % 80, 5, 10};
    }
  }
  return std::make_shared<const Ranking>(Ranking::Options{},
                                         std::move(evidence));
}

void BM_Suggest(benchmark::State& state) {
  const std::vector<std::string> stream =
      state.range(0) ? WithIntent() : UnseenMessages(kStream, 31);
  BenchEngine().SetRanking(state.range(1) ? FullRanking() : nullptr);
  Request request;
  request.order = OverdueOrder();
  request.now = *ParseRfc3339(kBenchNow);
  LatencyRecorder latency(kStream);
  size_t i = 0, suggestions = 0;
  for (auto _ : state) {
    request.message = stream[i++];
    latency.Time([&] {
      Result<Response> r = BenchEngine().Suggest(request);
      suggestions += r->suggestions.size();
    });
  }
  BenchEngine().SetRanking(nullptr);
  state.counters["suggestions/msg"] = double(suggestions) / state.iterations();
  state.counters["msgs/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  latency.Report(state);
}

// The same through JSON: parse the request (order included), suggest, write
// the response, as `replyctl suggest --jsonl` and the server do.
void BM_SuggestJson(benchmark::State& state) {
  const std::vector<std::string> stream = WithIntent();
  std::vector<std::string> requests;
  for (const std::string& m : stream) {
    nlohmann::json j = {{"message", m}, {"now", "2026-11-23T10:00:00+08:00"}};
    j["order"] = nlohmann::json::parse(R"({"id": "E1", "status": "paid",
        "paid_at": "2026-11-20T09:05:00+08:00", "amount": 129.0,
        "shipping": {"carrier": "中通", "tracking_number": "ZT7312004455"}})");
    requests.push_back(j.dump());
  }
  LatencyRecorder latency(kStream);
  size_t i = 0;
  for (auto _ : state) {
    const std::string& request = requests[i++];
    latency.Time(
        [&] { benchmark::DoNotOptimize(BenchEngine().SuggestJson(request)); });
  }
  state.counters["msgs/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  latency.Report(state);
}

BENCHMARK(BM_Suggest)
    ->ArgNames({"with_intent", "learned"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Iterations(kStream);
BENCHMARK(BM_SuggestJson)->Iterations(kStream);

}  // namespace
}  // namespace reply::bench

BENCHMARK_MAIN();

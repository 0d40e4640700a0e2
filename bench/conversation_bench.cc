// suggest() with a conversation's history against the same message alone
// (issue 12: 20 turns of history should cost at most 3x a single message).
// Every request is a conversation never seen before: buyer turns are unseen
// dev-set messages (bench/corpus.h), each with one of the packs' own
// examples spliced on so it carries an intent, and agent turns are the
// replies the engine gave to them, marked with their template. The message
// asked about is another unseen message with an intent.
//
//   conversation_bench --benchmark_filter=BM_SuggestWithHistory
//
// Arg: the turns of history (0: the message alone, as suggest_bench's
// BM_Suggest/with_intent:1).
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <random>

#include "bench/corpus.h"
#include "bench/latency.h"
#include "engine/engine.h"
#include "engine/pack/pack.h"

namespace reply::bench {
namespace {

constexpr size_t kRequests = 20000;

Engine& TheEngine() {
  static Engine* engine =
      Engine::Open({.pack_dir = REPLY_SOURCE_DIR})->release();
  return *engine;
}

Order PaidOrder() {
  return *ParseOrder(nlohmann::json::parse(R"({
      "id": "E20261123001", "status": "paid",
      "paid_at": "2026-11-20T09:05:00+08:00", "amount": 129.0,
      "items": [{"name": "羊毛开衫", "size": "M"}],
      "shipping": {"carrier": "中通", "tracking_number": "ZT7312004455", "region": "浙江"},
      "buyer": {"name": "小林"}})"));
}

// Unseen messages, each ending in an example of a zh intent.
std::vector<std::string> MessagesWithIntent(size_t count, unsigned seed) {
  std::vector<std::string> examples;
  for (const IntentDef& intent : TheEngine().pack()->Find("zh")->intents) {
    examples.insert(examples.end(), intent.examples.begin(),
                    intent.examples.end());
  }
  std::vector<std::string> out = UnseenMessages(count, seed);
  std::mt19937 rng(seed);
  for (std::string& m : out) {
    m += examples[std::uniform_int_distribution<size_t>(
        0, examples.size() - 1)(rng)];
  }
  return out;
}

struct Conversation {
  std::vector<Turn> history;
  std::string message;
};

// `turns` of history: buyer and agent alternating, the agent answering
// with the engine's first suggestion (its text and template).
std::vector<Conversation> Conversations(size_t count, size_t turns,
                                        const Request& base) {
  const std::vector<std::string> buyer =
      MessagesWithIntent(count * (turns / 2 + 1) + 1, 41);
  size_t next = 0;
  std::vector<Conversation> out(count);
  for (Conversation& c : out) {
    for (size_t t = 0; t < turns; t += 2) {
      Request ask = base;
      ask.message = buyer[next++];
      c.history.push_back({Role::kBuyer, ask.message, base.now, ""});
      Result<Response> r = TheEngine().Suggest(ask);
      if (t + 1 == turns) break;
      if (r.ok() && !r->suggestions.empty()) {
        c.history.push_back({Role::kAgent, r->suggestions[0].text, base.now,
                             r->suggestions[0].template_id});
      } else {
        c.history.push_back(
            {Role::kAgent, "亲，在的，请问有什么可以帮您？", base.now, ""});
      }
    }
    c.message = buyer[next++];
  }
  return out;
}

void BM_SuggestWithHistory(benchmark::State& state) {
  Request request;
  request.order = PaidOrder();
  request.now = *ParseRfc3339("2026-11-23T10:00:00+08:00");
  const std::vector<Conversation> conversations =
      Conversations(kRequests, static_cast<size_t>(state.range(0)), request);
  LatencyRecorder latency(kRequests);
  size_t i = 0, suggestions = 0;
  for (auto _ : state) {
    const Conversation& c = conversations[i++];
    request.message = c.message;
    request.history = c.history;  // copied outside the timed part
    latency.Time([&] {
      Result<Response> r = TheEngine().Suggest(request);
      suggestions += r->suggestions.size();
    });
  }
  state.counters["suggestions/msg"] = double(suggestions) / state.iterations();
  state.counters["msgs/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  latency.Report(state);
}

BENCHMARK(BM_SuggestWithHistory)
    ->ArgName("turns")
    ->Arg(0)
    ->Arg(20)
    ->Iterations(kRequests);

}  // namespace
}  // namespace reply::bench

BENCHMARK_MAIN();

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

#include "bench/corpus.h"
#include "bench/latency.h"
#include "bench/suggest_fixture.h"
#include "engine/engine.h"

namespace reply::bench {
namespace {

constexpr size_t kRequests = 20000;

struct Conversation {
  std::vector<Turn> history;
  std::string message;
};

// `turns` of history: buyer and agent alternating, the agent answering
// with the engine's first suggestion (its text and template).
std::vector<Conversation> Conversations(size_t count, size_t turns,
                                        const Request& base) {
  const std::vector<std::string> buyer =
      MessagesWithIntent(count * (turns / 2 + 1) + 1, 41, 41);
  size_t next = 0;
  std::vector<Conversation> out(count);
  for (Conversation& c : out) {
    for (size_t t = 0; t < turns; t += 2) {
      Request ask = base;
      ask.message = buyer[next++];
      c.history.push_back({Role::kBuyer, ask.message, base.now, ""});
      Result<Response> r = BenchEngine().Suggest(ask);
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
  request.order = OverdueOrder();
  request.now = *ParseRfc3339(kBenchNow);
  const std::vector<Conversation> conversations =
      Conversations(kRequests, static_cast<size_t>(state.range(0)), request);
  LatencyRecorder latency(kRequests);
  size_t i = 0, suggestions = 0;
  for (auto _ : state) {
    const Conversation& c = conversations[i++];
    request.message = c.message;
    request.history = c.history;  // copied outside the timed part
    latency.Time([&] {
      Result<Response> r = BenchEngine().Suggest(request);
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

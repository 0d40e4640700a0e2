// Intent matching cost on messages never seen before: our PatternSet
// (FilteredRE2 atoms + Aho-Corasick) against RE2::Set and a loop over
// separate RE2 objects, at 10 / 100 / 1,000 generated patterns, and the
// shipped packs' matcher.
//
// Each benchmark walks a stream of distinct normalized messages; the
// iteration count never exceeds the stream, so no message repeats.
#include <benchmark/benchmark.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <memory>

#include "bench/corpus.h"
#include "bench/latency.h"
#include "engine/engine.h"
#include "engine/match/pattern_set.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"

namespace reply::bench {
namespace {

constexpr size_t kStream = 200000;

const std::vector<std::string>& Stream() {
  static const auto* keys = [] {
    const Normalizer& norm = **Normalizer::Shared();
    auto* out = new std::vector<std::string>;
    NormalizedText key;
    for (const std::string& m : UnseenMessages(kStream, 11)) {
      norm.Normalize(m, &key);
      out->push_back(key.text);
    }
    return out;
  }();
  return *keys;
}

// Times `match` on each message of `stream` in turn (round again when the
// iterations outnumber it); `match` returns how many it found, reported
// per message as `counter`, with the latency percentiles.
template <typename Match>
void TimeOverStream(benchmark::State& state,
                    const std::vector<std::string>& stream, const char* counter,
                    Match match) {
  LatencyRecorder latency(kStream);
  size_t i = 0, found = 0;
  for (auto _ : state) {
    const std::string& text = stream[i++ % stream.size()];
    size_t n = 0;
    latency.Time([&] { n = match(text); });
    found += n;
  }
  state.counters[counter] = double(found) / state.iterations();
  latency.Report(state);
}

void BM_PatternSet(benchmark::State& state) {
  PatternSet set;
  for (const auto& p : GeneratePatterns(state.range(0))) {
    int id;
    if (!set.Add(p, &id).ok()) state.SkipWithError("bad pattern");
  }
  set.Compile();
  std::vector<int> matched;
  TimeOverStream(state, Stream(), "hits/msg", [&](const std::string& text) {
    set.Match(text, &matched);
    return matched.size();
  });
}

void BM_Re2Set(benchmark::State& state) {
  RE2::Options options;
  options.set_never_capture(true);
  options.set_max_mem(256 << 20);
  RE2::Set set(options, RE2::UNANCHORED);
  for (const auto& p : GeneratePatterns(state.range(0))) set.Add(p, nullptr);
  set.Compile();
  std::vector<int> matched;
  TimeOverStream(state, Stream(), "hits/msg", [&](const std::string& text) {
    set.Match(text, &matched);
    return matched.size();
  });
}

void BM_Re2Loop(benchmark::State& state) {
  RE2::Options options;
  options.set_never_capture(true);
  std::vector<std::unique_ptr<RE2>> res;
  for (const auto& p : GeneratePatterns(state.range(0))) {
    res.push_back(std::make_unique<RE2>(p, options));
  }
  TimeOverStream(state, Stream(), "hits/msg", [&](const std::string& text) {
    size_t hits = 0;
    for (const auto& re : res) hits += RE2::PartialMatch(text, *re);
    return hits;
  });
}

// Vietnamese messages (bench/corpus.h) as the vi pack's matcher sees them:
// normalized, abbreviations written out.
const std::vector<std::string>& VietnameseStream() {
  static const auto* keys = [] {
    auto* out = new std::vector<std::string>;
    std::vector<PackIssue> issues;
    auto pack = LoadPack(REPLY_SOURCE_DIR, **Normalizer::Shared(), &issues);
    if (!pack.ok() || (*pack)->Find("vi") == nullptr) return out;
    NormalizedText key;
    for (const std::string& m : UnseenMessagesFrom(
             VietnameseMessages(REPLY_SOURCE_DIR), kStream, 13, 30)) {
      (*pack)->Find("vi")->Normalize(m, **Normalizer::Shared(), &key);
      out->push_back(key.text);
    }
    return out;
  }();
  return *keys;
}

// The matcher of a bundled pack, intents, excludes and all, on a stream of
// keys.
void TimeShippedPack(benchmark::State& state, const char* locale,
                     const std::vector<std::string>& stream) {
  auto engine = Engine::Open({.pack_dir = REPLY_SOURCE_DIR});
  if (!engine.ok()) {
    state.SkipWithError(engine.status().ToString().c_str());
    return;
  }
  const auto pack = (*engine)->pack();
  const LocalePack* lp = pack->Find(locale);
  if (lp == nullptr || stream.empty()) {
    state.SkipWithError("no pack or no messages for the locale");
    return;
  }
  state.counters["patterns"] = lp->patterns.size();
  std::vector<IntentMatcher::Hit> hits;
  TimeOverStream(state, stream, "intents/msg", [&](const std::string& text) {
    lp->matcher->Match(text, &hits);
    return hits.size();
  });
}

void BM_ShippedPack(benchmark::State& state) {
  TimeShippedPack(state, "zh", Stream());
}

void BM_ShippedPackVi(benchmark::State& state) {
  TimeShippedPack(state, "vi", VietnameseStream());
}

BENCHMARK(BM_PatternSet)->Arg(10)->Arg(100)->Arg(1000)->Iterations(kStream);
BENCHMARK(BM_Re2Set)->Arg(10)->Arg(100)->Arg(1000)->Iterations(20000);
BENCHMARK(BM_Re2Loop)->Arg(10)->Arg(100)->Arg(1000)->Iterations(20000);

BENCHMARK(BM_ShippedPack)->Iterations(kStream);
BENCHMARK(BM_ShippedPackVi)->Iterations(kStream);

}  // namespace
}  // namespace reply::bench

BENCHMARK_MAIN();

// Intent matching cost on messages never seen before, for our PatternSet
// (FilteredRE2 + Aho-Corasick), RE2::Set and a loop over separate RE2
// objects, at 10 / 100 / 1,000 generated patterns.
//
// Each benchmark walks a stream of distinct normalized messages once; the
// iteration count is fixed to the stream length so no message repeats.
#include <benchmark/benchmark.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <memory>

#include "bench/corpus.h"
#include "engine/match/pattern_set.h"
#include "engine/normalize/normalizer.h"

namespace reply::bench {
namespace {

const std::vector<std::string>& Stream(size_t n) {
  static const std::vector<std::string>* keys = [] {
    const Normalizer& norm = **Normalizer::Shared();
    auto* out = new std::vector<std::string>;
    NormalizedText key;
    for (const std::string& m : UnseenMessages(200000, 11)) {
      norm.Normalize(m, &key);
      out->push_back(key.text);
    }
    return out;
  }();
  (void)n;
  return *keys;
}

void BM_PatternSet(benchmark::State& state) {
  const auto patterns = GeneratePatterns(state.range(0));
  PatternSet set;
  for (const auto& p : patterns) {
    int id;
    if (!set.Add(p, &id).ok()) state.SkipWithError("bad pattern");
  }
  set.Compile();
  const auto& stream = Stream(0);
  std::vector<int> matched;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    set.Match(stream[i++ % stream.size()], &matched);
    hits += matched.size();
  }
  state.counters["hits/msg"] = double(hits) / state.iterations();
}

void BM_Re2Set(benchmark::State& state) {
  const auto patterns = GeneratePatterns(state.range(0));
  RE2::Options options;
  options.set_never_capture(true);
  options.set_max_mem(256 << 20);
  RE2::Set set(options, RE2::UNANCHORED);
  for (const auto& p : patterns) set.Add(p, nullptr);
  set.Compile();
  const auto& stream = Stream(0);
  std::vector<int> matched;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    set.Match(stream[i++ % stream.size()], &matched);
    hits += matched.size();
  }
  state.counters["hits/msg"] = double(hits) / state.iterations();
}

void BM_Re2Loop(benchmark::State& state) {
  const auto patterns = GeneratePatterns(state.range(0));
  RE2::Options options;
  options.set_never_capture(true);
  std::vector<std::unique_ptr<RE2>> res;
  for (const auto& p : patterns) res.push_back(std::make_unique<RE2>(p, options));
  const auto& stream = Stream(0);
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    const std::string& text = stream[i++ % stream.size()];
    for (const auto& re : res) hits += RE2::PartialMatch(text, *re);
  }
  state.counters["hits/msg"] = double(hits) / state.iterations();
}

BENCHMARK(BM_PatternSet)->Arg(10)->Arg(100)->Arg(1000)->Iterations(200000);
BENCHMARK(BM_Re2Set)->Arg(10)->Arg(100)->Arg(1000)->Iterations(20000);
BENCHMARK(BM_Re2Loop)->Arg(10)->Arg(100)->Arg(1000)->Iterations(20000);

}  // namespace
}  // namespace reply::bench

BENCHMARK_MAIN();

// Per-call latency percentiles for benchmarks: Google Benchmark reports
// means, but the targets are medians and tails.
#ifndef REPLY_BENCH_LATENCY_H_
#define REPLY_BENCH_LATENCY_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace reply::bench {

class LatencyRecorder {
 public:
  explicit LatencyRecorder(size_t expected) { samples_.reserve(expected); }

  template <typename F>
  void Time(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    samples_.push_back(std::chrono::duration<double, std::nano>(
                           std::chrono::steady_clock::now() - start)
                           .count());
  }

  // Adds p50_ns, p99_ns and p999_ns counters to `state`.
  void Report(benchmark::State& state) {
    if (samples_.empty()) return;
    std::sort(samples_.begin(), samples_.end());
    const auto at = [&](double q) {
      return samples_[std::min(samples_.size() - 1,
                               static_cast<size_t>(q * samples_.size()))];
    };
    state.counters["p50_ns"] = at(0.50);
    state.counters["p99_ns"] = at(0.99);
    state.counters["p999_ns"] = at(0.999);
  }

 private:
  std::vector<double> samples_;
};

}  // namespace reply::bench

#endif  // REPLY_BENCH_LATENCY_H_

// Where a shipped pack's matching time goes, pattern by pattern: over the
// same unseen stream match_bench times, how often each pattern's prefilter
// lets it through, how often it matches, and the time deciding it takes
// (total and worst), from word occurrences for a literal chain pattern
// (column `how`: chain) or by RE2. Prints the costliest patterns, with their source line, and
// the candidates per message. A diagnostic for docs/benchmarks.md, not a
// benchmark: the per-pattern clock reads add their own cost.
//
//   build/bench/pattern_profile vi 30
//   build/bench/pattern_profile vi 30 5000  # fewer messages, e.g. under
//                                           # valgrind --tool=callgrind
#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "engine/engine.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack.h"

namespace reply::bench {
namespace {

struct Cost {
  size_t runs = 0;
  size_t matches = 0;
  double total_ns = 0;
  double worst_ns = 0;
};

int Main(int argc, char** argv) {
  const std::string locale = argc > 1 ? argv[1] : "vi";
  const size_t top = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 30;
  const size_t count =
      argc > 3 ? std::strtoul(argv[3], nullptr, 10) : size_t{200000};
  auto engine = Engine::Open({.pack_dir = REPLY_SOURCE_DIR});
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    return 1;
  }
  const LocalePack* lp = (*engine)->pack()->Find(locale);
  if (lp == nullptr) return 1;
  const Normalizer& norm = **Normalizer::Shared();
  std::vector<std::string> stream;
  NormalizedText key;
  const auto messages =
      locale == "vi" ? UnseenMessagesFrom(VietnameseMessages(REPLY_SOURCE_DIR),
                                          count, 13, 30)
                     : UnseenMessages(count, 11);
  for (const std::string& m : messages) {
    lp->Normalize(m, norm, &key);
    stream.push_back(key.text);
  }
  const PatternSet& set = lp->matcher->pattern_set();
  std::vector<Cost> cost(set.size());
  std::vector<int> all;
  size_t candidates = 0;
  const std::clock_t cpu0 = std::clock();
  for (const std::string& text : stream) {
    // Every pattern, timed one by one; a pattern counts as a candidate when
    // the set's prefilter would have run it.
    set.Match(text, &all, [&](int p) {
      ++candidates;
      const auto t0 = std::chrono::steady_clock::now();
      const bool hit = set.VerifyAfterMatch(p, text);
      const double ns = std::chrono::duration<double, std::nano>(
                            std::chrono::steady_clock::now() - t0)
                            .count();
      Cost& c = cost[p];
      ++c.runs;
      c.matches += hit;
      c.total_ns += ns;
      c.worst_ns = std::max(c.worst_ns, ns);
      return false;
    });
  }
  const double cpu_ns_per_msg =
      1e9 * double(std::clock() - cpu0) / CLOCKS_PER_SEC / stream.size();
  // The whole matcher, message by message, on this thread's CPU clock: on
  // a loaded machine the wall clock's tail is other processes' time slices.
  std::vector<double> per_message;
  std::vector<IntentMatcher::Hit> hits;
  for (const std::string& text : stream) {
    timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    lp->matcher->Match(text, &hits);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    per_message.push_back(1e9 * (t1.tv_sec - t0.tv_sec) +
                          (t1.tv_nsec - t0.tv_nsec));
  }
  // The atom scan and candidate counting alone: no candidate decided.
  std::vector<double> scan_only;
  for (const std::string& text : stream) {
    timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    set.Match(text, &all, [](int) { return false; });
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    scan_only.push_back(1e9 * (t1.tv_sec - t0.tv_sec) +
                        (t1.tv_nsec - t0.tv_nsec));
  }
  // Means over the stream, one clock read per pass: per-message clock reads
  // cost more than a zh message's whole match on some machines.
  const auto mean_ns = [&](auto&& match_one) {
    const std::clock_t c0 = std::clock();
    for (const std::string& text : stream) match_one(text);
    return 1e9 * double(std::clock() - c0) / CLOCKS_PER_SEC / stream.size();
  };
  const double full_mean = mean_ns(
      [&](const std::string& text) { lp->matcher->Match(text, &hits); });
  const double scan_mean = mean_ns([&](const std::string& text) {
    set.Match(text, &all, [](int) { return false; });
  });
  std::printf(
      "matcher, CPU time per message, mean: %.0f ns, of which the atom scan "
      "and candidate counting %.0f ns\n",
      full_mean, scan_mean);
  std::sort(per_message.begin(), per_message.end());
  std::sort(scan_only.begin(), scan_only.end());
  const auto at = [](const std::vector<double>& v, double q) {
    return v[static_cast<size_t>(q * (v.size() - 1))];
  };
  std::printf(
      "matcher, thread CPU time per message (incl. ~0.1-0.3 us of "
      "clock reads): p50 %.0f ns, p99 %.0f ns, p999 %.0f ns, max "
      "%.0f ns; the atom scan alone: p50 %.0f ns, p99 %.0f ns\n",
      at(per_message, 0.5), at(per_message, 0.99), at(per_message, 0.999),
      per_message.back(), at(scan_only, 0.5), at(scan_only, 0.99));
  // Per intent, its match patterns (excludes run only for matched intents).
  std::vector<double> intent_ns(lp->intents.size(), 0);
  std::vector<size_t> intent_runs(lp->intents.size(), 0);
  for (int p = 0; p < set.size(); ++p) {
    if (lp->patterns[p].kind != PatternKind::kMatch) continue;
    intent_ns[lp->patterns[p].intent] += cost[p].total_ns;
    intent_runs[lp->patterns[p].intent] += cost[p].runs;
  }
  for (size_t i = 0; i < intent_ns.size(); ++i) {
    if (intent_ns[i] / stream.size() < 100) continue;
    std::printf("intent %-24s match patterns: %.2f runs/msg, %.0f ns/msg\n",
                lp->intents[i].id.c_str(),
                double(intent_runs[i]) / stream.size(),
                intent_ns[i] / stream.size());
  }
  std::vector<int> order(set.size());
  for (int p = 0; p < set.size(); ++p) order[p] = p;
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return cost[a].total_ns > cost[b].total_ns; });
  double total = 0;
  for (const Cost& c : cost) total += c.total_ns;
  std::printf(
      "%s: %d patterns, %zu messages, %.1f candidates/msg, %.0f ns "
      "deciding time/msg (wall), %.0f ns CPU/msg\n",
      locale.c_str(), set.size(), stream.size(),
      double(candidates) / stream.size(), total / stream.size(),
      cpu_ns_per_msg);
  int decided = 0;
  for (int p = 0; p < set.size(); ++p) decided += set.decided_without_re2(p);
  std::printf(
      "atoms %zu (chain pieces %zu), automaton states %zu, %d patterns "
      "decided without RE2\n",
      set.num_atoms(), set.num_chain_pieces(), set.num_automaton_states(),
      decided);
  std::printf("%8s %8s %8s %10s %10s %6s %5s %s %s\n", "runs", "matches",
              "ns/msg", "ns/run", "worst ns", "prog", "how", "x",
              "pattern (x: an exclude)");
  for (size_t i = 0; i < std::min(top, order.size()); ++i) {
    const int p = order[i];
    const Cost& c = cost[p];
    const PatternDecl& d = lp->patterns[p];
    std::printf("%8zu %8zu %8.1f %10.0f %10.0f %6d %5s %s %s:%d %s\n", c.runs,
                c.matches, c.total_ns / stream.size(),
                c.runs ? c.total_ns / c.runs : 0.0, c.worst_ns,
                set.pattern(p).ProgramSize(),
                set.decided_without_re2(p) ? "chain" : "re2",
                d.kind == PatternKind::kExclude ? "x" : " ",
                d.where.file.c_str(), d.where.line,
                d.text.substr(0, 90).c_str());
  }
  return 0;
}

}  // namespace
}  // namespace reply::bench

int main(int argc, char** argv) { return reply::bench::Main(argc, argv); }

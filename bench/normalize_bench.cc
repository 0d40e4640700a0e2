// Normalization of ~30-character messages never seen before, Simplified,
// Traditional and Vietnamese: our table normalizer against ICU's
// Traditional-Simplified transliterator and ICU's NFKC_Casefold on the same
// stream; and, for Vietnamese, the vi pack's abbreviations written out after
// it (what the pipeline does for a vi message), for Chinese the zh pack's
// Cantonese table.
#include <benchmark/benchmark.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include "bench/corpus.h"
#include "bench/latency.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack_loader.h"

namespace reply::bench {
namespace {

constexpr size_t kStream = 200000;

const Normalizer& Norm() { return **Normalizer::Shared(); }

const std::vector<std::string>& Simplified() {
  static const auto* s =
      new std::vector<std::string>(UnseenMessages(kStream, 21, 30));
  return *s;
}

const std::vector<std::string>& Traditional() {
  static const auto* t = [] {
    std::vector<std::string> converted;
    for (const std::string& m : Simplified())
      converted.push_back(Norm().ToTraditional(m));
    // Copied once more so that the strings lie one after another in memory
    // as the Simplified ones do, not among the conversion's freed buffers:
    // otherwise the two streams differ in cache misses, not in work.
    return new std::vector<std::string>(converted.begin(), converted.end());
  }();
  return *t;
}

// Accented, diacritic-free and teencode messages from the vi pack's own
// examples (bench/corpus.h), spliced into unseen ones of ~30 characters.
const std::vector<std::string>& Vietnamese() {
  static const auto* v = new std::vector<std::string>(UnseenMessagesFrom(
      VietnameseMessages(REPLY_SOURCE_DIR), kStream, 23, 30));
  return *v;
}

const std::vector<std::string>& Stream(int which) {
  return which == 0 ? Simplified() : which == 1 ? Traditional() : Vietnamese();
}

// Times `normalize(message)` on each message of the stream the benchmark's
// argument names, in turn, and reports the latency percentiles.
template <typename Normalize>
void TimeOverStream(benchmark::State& state, Normalize normalize) {
  const auto& stream = Stream(state.range(0));
  LatencyRecorder latency(kStream);
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& m = stream[i++ % stream.size()];
    latency.Time([&] { normalize(m); });
    bytes += m.size();
  }
  state.SetBytesProcessed(bytes);
  latency.Report(state);
}

void BM_Normalize(benchmark::State& state) {
  Norm();  // its tables are built outside the timed loop
  NormalizedText out;
  TimeOverStream(state, [&](const std::string& m) {
    Norm().Normalize(m, &out);
    benchmark::DoNotOptimize(out.text.data());
  });
}

// Normalize, then the vi pack's abbreviations: the key a vi message is
// matched with.
void BM_NormalizeAndAbbreviations(benchmark::State& state) {
  std::vector<PackIssue> issues;
  auto pack = LoadPack(REPLY_SOURCE_DIR, Norm(), &issues);
  if (!pack.ok() || (*pack)->Find("vi") == nullptr) {
    state.SkipWithError("no vi pack");
    return;
  }
  const LocalePack& vi = *(*pack)->Find("vi");
  NormalizedText out;
  TimeOverStream(state, [&](const std::string& m) {
    vi.Normalize(m, Norm(), &out);
    benchmark::DoNotOptimize(out.text.data());
  });
}

// Normalize, then the zh pack's abbreviations (none) and Cantonese dialect
// table: the key a zh message is matched with. On these Mandarin streams
// the table finds no Cantonese character and returns after one scan.
void BM_NormalizeAndDialect(benchmark::State& state) {
  std::vector<PackIssue> issues;
  auto pack = LoadPack(REPLY_SOURCE_DIR, Norm(), &issues);
  if (!pack.ok() || (*pack)->Find("zh") == nullptr) {
    state.SkipWithError("no zh pack");
    return;
  }
  const LocalePack& zh = *(*pack)->Find("zh");
  NormalizedText out;
  TimeOverStream(state, [&](const std::string& m) {
    zh.Normalize(m, Norm(), &out);
    benchmark::DoNotOptimize(out.text.data());
  });
}

void BM_IcuTransliterator(benchmark::State& state) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      "Traditional-Simplified", UTRANS_FORWARD, status));
  std::string out;
  TimeOverStream(state, [&](const std::string& m) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(m);
    t->transliterate(u);
    out.clear();
    u.toUTF8String(out);
    benchmark::DoNotOptimize(out.data());
  });
}

void BM_IcuNfkcCasefold(benchmark::State& state) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  std::string out;
  TimeOverStream(state, [&](const std::string& m) {
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString u = nfkc->normalize(icu::UnicodeString::fromUTF8(m), st);
    out.clear();
    u.toUTF8String(out);
    benchmark::DoNotOptimize(out.data());
  });
}

// Arg 0: Simplified stream, 1: the same messages in Traditional, 2:
// Vietnamese.
BENCHMARK(BM_Normalize)->Arg(0)->Arg(1)->Arg(2)->Iterations(kStream);
BENCHMARK(BM_NormalizeAndAbbreviations)->Arg(2)->Iterations(kStream);
BENCHMARK(BM_NormalizeAndDialect)->Arg(0)->Arg(1)->Iterations(kStream);
BENCHMARK(BM_IcuTransliterator)->Arg(0)->Arg(1)->Iterations(kStream / 4);
BENCHMARK(BM_IcuNfkcCasefold)->Arg(0)->Arg(1)->Iterations(kStream);

}  // namespace
}  // namespace reply::bench

BENCHMARK_MAIN();

// The objects several fuzz targets share, built once per process: the
// normalizer (ICU tables) and an engine on the bundled packs with a pinned
// clock, so the same input always takes the same path.
//
//   extern "C" int LLVMFuzzerInitialize(int*, char***) {
//     reply::fuzz::TheEngine();  // seconds under ASan: before any input
//     return 0;
//   }
//
// Thread safety: function-local statics; the fuzz targets are single
// threaded anyway.
#ifndef REPLY_FUZZ_FUZZ_FIXTURES_H_
#define REPLY_FUZZ_FUZZ_FIXTURES_H_

#include <memory>

#include "engine/base/time.h"
#include "engine/engine.h"
#include "engine/normalize/normalizer.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_paths.h"

namespace reply::fuzz {

inline const Normalizer* TheNormalizer() {
  static const Normalizer* const normalizer = [] {
    Result<const Normalizer*> n = Normalizer::Shared();
    FUZZ_CHECK(n.ok(), n.status().ToString());
    return *n;
  }();
  return normalizer;
}

inline const Engine& TheEngine() {
  static const Engine* const engine = [] {
    const UnixSeconds now = *ParseRfc3339("2026-11-23T10:00:00+08:00");
    auto opened = Engine::Open(
        {.pack_dir = REPLY_SOURCE_DIR, .clock = [now] { return now; }});
    FUZZ_CHECK(opened.ok(), opened.status().ToString());
    return opened->release();
  }();
  return *engine;
}

}  // namespace reply::fuzz

#endif  // REPLY_FUZZ_FUZZ_FIXTURES_H_

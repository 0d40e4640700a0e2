// A shared engine on the bundled packs, and request helpers, for tests.
#ifndef REPLY_TESTS_ENGINE_FIXTURE_H_
#define REPLY_TESTS_ENGINE_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.h"
#include "engine/pack/pack_loader.h"
#include "tests/test_util.h"

namespace reply::testing {

// The engine on the repository's own packs, opened once per test binary.
inline const Engine& BundledEngine() {
  static Engine* engine = [] {
    std::vector<PackIssue> issues;
    auto e = Engine::Open({.pack_dir = SourceDir().string()}, &issues);
    if (!e.ok()) {
      ADD_FAILURE() << e.status().ToString();
      std::abort();
    }
    return e->release();
  }();
  return *engine;
}

// The bundled engine's JSON answer to a JSON request, parsed.
inline nlohmann::json SuggestJson(const std::string& request) {
  return nlohmann::json::parse(BundledEngine().SuggestJson(request));
}

inline Order ParseOrderOrDie(const std::string& json_text) {
  Result<Order> order = ParseOrder(nlohmann::json::parse(json_text));
  EXPECT_TRUE(order.ok()) << order.status().ToString();
  return order.ok() ? *order : Order{};
}

inline UnixSeconds T(const std::string& rfc3339) {
  Result<UnixSeconds> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : 0;
}

}  // namespace reply::testing

#endif  // REPLY_TESTS_ENGINE_FIXTURE_H_

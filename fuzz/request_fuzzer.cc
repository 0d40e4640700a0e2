// Fuzzes the engine's JSON request path (Engine::SuggestJson, as replyd and
// `replyctl suggest --jsonl` use it) against the bundled packs: the answer
// is always a JSON object, either a response or an error that is not
// `internal` (an internal error is an exception the engine's last resort
// caught: a bug). A request that parses is also explained, and explain must
// answer exactly what suggest answered.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/api/json_codec.h"
#include "engine/base/time.h"
#include "engine/engine.h"
#include "engine/pipeline/pipeline.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_fixtures.h"

// Loading the packs takes seconds under ASan: done before the first input,
// so it never counts against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  reply::fuzz::TheEngine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const reply::Engine& engine = reply::fuzz::TheEngine();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string answer = engine.SuggestJson(text);
  const nlohmann::json parsed =
      nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_object(), "answer is not a JSON object: " + answer);
  if (const auto error = parsed.find("error"); error != parsed.end()) {
    FUZZ_CHECK(error->is_object() && error->value("code", "") != "" &&
                   error->value("code", "") != "internal",
               "internal error: " + answer);
  } else {
    FUZZ_CHECK(parsed.contains("suggestions"), "no suggestions: " + answer);
  }

  reply::Result<reply::Request> request = reply::ParseRequest(text);
  if (!request.ok()) return 0;
  reply::Result<reply::Response> suggested = engine.Suggest(*request);
  reply::Trace trace;
  reply::Result<reply::Response> explained = engine.Explain(*request, &trace);
  FUZZ_CHECK(suggested.ok() == explained.ok(),
             "suggest and explain disagree on failing");
  if (suggested.ok()) {
    FUZZ_CHECK(
        reply::ResponseToJson(*suggested) == reply::ResponseToJson(*explained),
        "explain answered differently: " + reply::ResponseToJson(*suggested) +
            " vs " + reply::ResponseToJson(*explained));
  }
  return 0;
}

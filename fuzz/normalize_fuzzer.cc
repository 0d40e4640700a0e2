// Fuzzes the normalizer on any text: the fast path (matching) and the
// explain path (with offsets) must give the same key and script, the
// offsets must be well formed, and the key must be valid UTF-8. Also folds
// the input as a pattern and converts it to Traditional, for crashes only.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/utf8.h"
#include "engine/normalize/normalizer.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_fixtures.h"

namespace {

bool IsCharBoundary(std::string_view text, size_t at) {
  return at == text.size() ||
         (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
}

}  // namespace

// Building the tables from ICU takes seconds under ASan: done before the
// first input, so it never counts against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  reply::fuzz::TheNormalizer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const reply::Normalizer* const normalizer = reply::fuzz::TheNormalizer();
  // Normalize takes valid UTF-8 (the engine refuses anything else first).
  const std::string message = reply::SanitizeUtf8(
      std::string_view(reinterpret_cast<const char*>(data), size));

  reply::NormalizedText fast;
  normalizer->Normalize(message, &fast);
  reply::NormalizedText traced;
  normalizer->Normalize(message, &traced, /*with_offsets=*/true);
  FUZZ_CHECK(
      fast.text == traced.text,
      "fast key '" + fast.text + "' != explain key '" + traced.text + "'");
  FUZZ_CHECK(fast.script == traced.script,
             std::string(reply::ScriptName(fast.script)) + " vs " +
                 std::string(reply::ScriptName(traced.script)));
  FUZZ_CHECK(reply::FindInvalidUtf8(fast.text) == std::string::npos,
             "key is not UTF-8: " + reply::SanitizeUtf8(fast.text));
  FUZZ_CHECK(traced.source_begin.size() == traced.text.size() &&
                 traced.source_end.size() == traced.text.size(),
             "one offset pair per key byte");
  for (size_t i = 0; i < traced.text.size(); ++i) {
    const uint32_t begin = traced.source_begin[i];
    const uint32_t end = traced.source_end[i];
    const std::string at = "key byte " + std::to_string(i) + ": [" +
                           std::to_string(begin) + ", " + std::to_string(end) +
                           ")";
    FUZZ_CHECK(begin <= end && end <= message.size(), at);
    FUZZ_CHECK(IsCharBoundary(message, begin) && IsCharBoundary(message, end),
               at + " splits a character");
    FUZZ_CHECK(i == 0 || traced.source_begin[i - 1] <= begin,
               at + " goes backwards");
  }

  const std::string folded = normalizer->FoldPattern(message);
  FUZZ_CHECK(reply::FindInvalidUtf8(folded) == std::string::npos,
             "folded pattern is not UTF-8");
  const std::string traditional = normalizer->ToTraditional(message);
  FUZZ_CHECK(reply::FindInvalidUtf8(traditional) == std::string::npos,
             "Traditional text is not UTF-8");
  return 0;
}

// Fuzzes the literal chains (engine/match/literal_chains.h) against RE2:
// the input is a pattern, a NUL byte and a text. When RE2 compiles the
// pattern and PatternSet decides it without RE2, Match must answer what RE2
// answers, on the text, on the text with its digits lengthened and on the
// text cut at every eighth byte, so that the word pieces, runs of digits,
// gaps and assertions the chains check are compared with RE2's semantics,
// not only run. A pattern with an upper-case letter is skipped: patterns
// are lowercase, as the pack loader folds them (PatternSet says why).
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/match/pattern_set.h"
#include "fuzz/fuzz_check.h"

namespace {

void ExpectAsRe2(const reply::PatternSet& set, const std::string& pattern,
                 const std::string& text) {
  std::vector<int> matched;
  set.Match(text, &matched);
  const bool re2 = set.Verify(0, text);
  FUZZ_CHECK(matched.empty() != re2, "pattern '" + pattern + "' on '" + text +
                                         "': chains say " +
                                         (matched.empty() ? "no" : "yes") +
                                         ", RE2 " + (re2 ? "yes" : "no"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  const std::string pattern(input.substr(0, nul));
  const std::string text(input.substr(nul + 1));
  static const re2::RE2 kUpperCase("[\\p{Lu}\\p{Lt}]");
  if (re2::RE2::PartialMatch(pattern, kUpperCase)) return 0;
  reply::PatternSet set;
  int id;
  if (!set.Add(pattern, &id).ok()) return 0;
  set.Compile();
  if (!set.decided_without_re2(id)) return 0;
  ExpectAsRe2(set, pattern, text);
  std::string longer;
  for (char c : text) {
    longer += c;
    if (c >= '0' && c <= '9') longer += c;
  }
  ExpectAsRe2(set, pattern, longer);
  for (size_t cut = 8; cut < text.size(); cut += 8) {
    ExpectAsRe2(set, pattern, text.substr(0, cut));
  }
  return 0;
}

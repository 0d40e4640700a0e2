// Fuzzes `when:` conditions: the parser on any text, and every condition
// that parses evaluated (and explained) over many sets of facts: none known,
// and all or some known, with each number the condition compares with and
// the numbers on either side of it, and every enum value. Three-valued
// logic must hold: `not (c)` is exactly the Kleene negation of `c`.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/condition/condition.h"
#include "engine/order/facts.h"
#include "engine/order/shop_policy.h"
#include "fuzz/fuzz_check.h"

namespace {

reply::Tri Not(reply::Tri t) {
  switch (t) {
    case reply::Tri::kTrue:
      return reply::Tri::kFalse;
    case reply::Tri::kFalse:
      return reply::Tri::kTrue;
    case reply::Tri::kUnknown:
      return reply::Tri::kUnknown;
  }
  return reply::Tri::kUnknown;
}

// Fact set `k`: numbers take the k-th candidate, enums and bools rotate
// with k, and when `sparse` every third fact (shifted by k) is unknown.
reply::Facts FactSet(const std::vector<double>& candidates, size_t k,
                     bool sparse) {
  reply::Facts facts;
  size_t i = 0;
  for (const reply::FactDef& def : reply::FactDefs()) {
    ++i;
    if (sparse && (i + k) % 3 == 0) continue;
    switch (def.type) {
      case reply::FactType::kBool:
        facts.SetBool(def.fact, (i + k) % 2 == 0);
        break;
      case reply::FactType::kNumber:
        facts.SetNumber(def.fact, candidates[(i + k) % candidates.size()]);
        break;
      case reply::FactType::kEnum:
        facts.SetEnum(def.fact, def.values[(i + k) % def.values.size()]);
        break;
      case reply::FactType::kTime:
        facts.SetTime(def.fact, static_cast<reply::UnixSeconds>(k) * 3600);
        break;
    }
  }
  return facts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  reply::Result<reply::Condition> c = reply::Condition::Parse(text);
  if (!c.ok()) {
    FUZZ_CHECK(!c.status().message().empty(), "an error without a reason");
    return 0;
  }
  const std::string negated_text = "not (" + std::string(text) + ")";
  reply::Result<reply::Condition> negated =
      reply::Condition::Parse(negated_text);
  // One more level of nesting may pass the depth limit; nothing else fails.
  FUZZ_CHECK(
      negated.ok() ||
          negated.status().message().find("nest") != std::string::npos,
      "'" + negated_text + "' does not parse: " + negated.status().message());

  std::vector<double> candidates = {0};
  for (double n : c->numbers()) {
    candidates.insert(candidates.end(), {n - 1, n, n + 1});
    if (candidates.size() > 30) break;
  }
  std::vector<reply::Facts> sets = {
      reply::DeriveFacts(nullptr, reply::ShopPolicy(), 0)};
  for (size_t k = 0; k < candidates.size(); ++k) {
    sets.push_back(FactSet(candidates, k, /*sparse=*/false));
    sets.push_back(FactSet(candidates, k, /*sparse=*/true));
  }
  for (const reply::Facts& facts : sets) {
    const reply::Tri value = c->Evaluate(facts);
    if (negated.ok()) {
      FUZZ_CHECK(negated->Evaluate(facts) == Not(value),
                 "not (" + std::string(text) + ") is not its negation");
    }
    c->ExplainTests(facts);
  }
  return 0;
}

#include "engine/select/reply_selector.h"

#include <algorithm>

namespace reply {
namespace {

// The variants of one intent that can be offered, in order, at most `max`.
std::vector<ChosenReply> ForIntent(const LocalePack& pack, int intent,
                                   const RenderInputs& inputs, int max,
                                   std::vector<VariantDecision>* trace) {
  std::vector<ChosenReply> chosen;
  std::vector<std::string> missing;
  for (const bool fallback_pass : {false, true}) {
    if (fallback_pass && !chosen.empty()) break;
    for (int v : pack.variants_of[intent]) {
      const Variant& variant = pack.variants[v];
      if (variant.fallback != fallback_pass) continue;
      const Tri holds = variant.when.Evaluate(*inputs.facts);
      VariantDecision decision{v, holds, false, {}};
      // Fallbacks stand in for the intent's real replies: one at most.
      const int limit = fallback_pass ? 1 : max;
      if (holds == Tri::kTrue && static_cast<int>(chosen.size()) < limit) {
        std::string text;
        missing.clear();
        if (variant.text.Render(inputs, &text, &missing)) {
          chosen.push_back({v, std::move(text)});
          decision.offered = true;
        } else {
          decision.missing = missing;
        }
      }
      if (trace != nullptr) trace->push_back(std::move(decision));
    }
  }
  return chosen;
}

}  // namespace

std::vector<ChosenReply> ChooseReplies(const LocalePack& pack,
                                       const std::vector<int>& intents,
                                       const RenderInputs& inputs, int max,
                                       std::vector<VariantDecision>* trace) {
  std::vector<std::vector<ChosenReply>> per_intent;
  per_intent.reserve(intents.size());
  for (int intent : intents) {
    per_intent.push_back(ForIntent(pack, intent, inputs, max, trace));
  }
  std::vector<ChosenReply> out;
  for (size_t round = 0; static_cast<int>(out.size()) < max; ++round) {
    bool any = false;
    for (auto& list : per_intent) {
      if (round < list.size() && static_cast<int>(out.size()) < max) {
        out.push_back(std::move(list[round]));
        any = true;
      }
    }
    if (!any) break;
  }
  if (trace != nullptr) {
    // Rendered but cut by the count: not offered after all.
    for (VariantDecision& d : *trace) {
      if (d.offered &&
          std::none_of(out.begin(), out.end(), [&](const ChosenReply& c) {
            return c.variant == d.variant;
          })) {
        d.offered = false;
      }
    }
  }
  return out;
}

}  // namespace reply

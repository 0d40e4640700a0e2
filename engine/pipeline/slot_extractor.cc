#include "engine/pipeline/slot_extractor.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace reply {
namespace {

// The value a slot quotes for `captured` (normalized key text, `source`
// what the buyer wrote there), or nullopt when the slot does not accept it.
std::optional<std::string> Validate(const SlotDef& slot,
                                    std::string_view captured,
                                    std::string_view source) {
  for (size_t i = 0; i < slot.folded_values.size(); ++i) {
    if (slot.folded_values[i] == captured) return slot.values[i];
  }
  if (slot.min) {
    int64_t number = 0;
    const char* end = captured.data() + captured.size();
    auto [ptr, ec] = std::from_chars(captured.data(), end, number);
    if (ec == std::errc() && ptr == end && number >= *slot.min &&
        number <= *slot.max) {
      return std::to_string(number);
    }
  }
  if (slot.pattern != nullptr && RE2::FullMatch(captured, *slot.pattern)) {
    return std::string(source);
  }
  return std::nullopt;
}

// Runs the captures over one text, setting what they find.
void ExtractFrom(const LocalePack& lp, const Normalizer& normalizer,
                 std::string_view text, int turn,
                 const std::vector<int>& captures, Slots* slots) {
  thread_local NormalizedText key;
  lp.Normalize(text, normalizer, &key, /*with_offsets=*/true);
  const std::string_view whole = key.text;
  thread_local std::vector<re2::StringPiece> groups;
  for (int c : captures) {
    const SlotCapture& capture = lp.captures[c];
    groups.assign(capture.re->NumberOfCapturingGroups() + 1, {});
    size_t pos = 0;
    while (pos <= whole.size() &&
           capture.re->Match(whole, pos, whole.size(), RE2::UNANCHORED,
                             groups.data(), static_cast<int>(groups.size()))) {
      const size_t match_begin = groups[0].data() - whole.data();
      const size_t match_end = match_begin + groups[0].size();
      for (const auto& [group, index] : capture.groups) {
        const std::string_view g(groups[group].data(), groups[group].size());
        if (g.data() == nullptr || g.empty()) continue;
        const size_t begin = g.data() - whole.data();
        const auto [from, to] = key.SourceSpan(begin, begin + g.size());
        const SlotDef& def = lp.slots[index];
        std::optional<std::string> value =
            Validate(def, g, text.substr(from, to - from));
        if (!value) continue;
        const auto [said_from, said_to] =
            key.SourceSpan(match_begin, match_end);
        slots->Set({def.name, std::move(*value), turn,
                    std::string(text.substr(said_from, said_to - said_from))});
      }
      // The next match starts after this one (one character on an empty
      // match, so the search always moves on).
      pos = match_end > match_begin ? match_end : match_end + 1;
      while (pos < whole.size() &&
             (static_cast<unsigned char>(whole[pos]) & 0xC0) == 0x80) {
        ++pos;
      }
    }
  }
}

}  // namespace

bool NeedsSlots(const LocalePack& lp, const std::vector<int>& intents) {
  return std::any_of(intents.begin(), intents.end(),
                     [&](int i) { return !lp.intents[i].captures.empty(); });
}

Slots ExtractSlots(const LocalePack& lp, const Normalizer& normalizer,
                   const std::vector<Turn>& history, std::string_view message,
                   const std::vector<int>& intents) {
  std::vector<int> captures;
  for (int i : intents) {
    for (int c : lp.intents[i].captures) {
      if (std::find(captures.begin(), captures.end(), c) == captures.end()) {
        captures.push_back(c);
      }
    }
  }
  Slots slots;
  for (size_t t = 0; t < history.size(); ++t) {
    if (history[t].role != Role::kBuyer) continue;
    ExtractFrom(lp, normalizer, history[t].text, static_cast<int>(t), captures,
                &slots);
  }
  ExtractFrom(lp, normalizer, message, -1, captures, &slots);
  return slots;
}

}  // namespace reply

#include <algorithm>
#include <set>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/pack/pack_loader_internal.h"

namespace reply {

// slots: {name: {doc, values: [...], range: [min, max], pattern: ...}}
void PackLoader::LoadSlots(YamlReader& r, const YAML::Node& node,
                           LocalePack* lp) {
  if (!node.IsMap()) {
    r.Error(node,
            "'slots' must be a mapping of slot names to what a valid value "
            "is (size: {values: [S, M, L], range: [34, 48]})");
    return;
  }
  for (const auto& kv : node) {
    const std::string name = kv.first.Scalar();
    if (!ValidId(name)) {
      r.Error(kv.first, "slot name '" + name +
                            "' must be lower_snake_case: a-z, 0-9 and _, "
                            "starting with a letter");
      continue;
    }
    if (const int other = lp->FindSlot(name); other >= 0) {
      r.Error(kv.first, "duplicate slot '" + name + "' (first defined at " +
                            lp->slots[other].where.ToString() + ")");
      continue;
    }
    if (!r.CheckMap(kv.second, "a slot",
                    {"doc", "values", "range", "pattern"})) {
      continue;
    }
    SlotDef slot;
    slot.name = name;
    slot.where = r.Where(kv.first);
    slot.doc = r.String(kv.second, "doc", false).value_or("");
    for (auto& [value, n] : r.Strings(kv.second, "values")) {
      NormalizedText key;
      normalizer_.Normalize(value, &key);
      if (key.text.empty()) {
        r.Error(n, "slot '" + name + "': value '" +
                       SanitizeUtf8(Excerpt(value)) +
                       "' is empty once normalized");
        continue;
      }
      slot.values.push_back(value);
      slot.folded_values.push_back(key.text);
    }
    if (const std::optional<YAML::Node> range =
            r.List(kv.second, "range", "two whole numbers [min, max]", false)) {
      double bounds[2] = {0, 0};
      bool ok = range->size() == 2;
      for (size_t i = 0; ok && i < 2; ++i) {
        ok = (*range)[i].IsScalar() &&
             YAML::convert<double>::decode((*range)[i], bounds[i]) &&
             bounds[i] == static_cast<int64_t>(bounds[i]);
      }
      if (!ok || bounds[0] > bounds[1]) {
        r.Error(*range, "slot '" + name +
                            "': range is two whole numbers, min then max "
                            "([34, 48])");
      } else {
        slot.min = bounds[0];
        slot.max = bounds[1];
      }
    }
    if (const std::optional<std::string> pattern =
            r.String(kv.second, "pattern", false)) {
      RE2::Options options;
      options.set_log_errors(false);
      auto re =
          std::make_shared<RE2>(normalizer_.FoldPattern(*pattern), options);
      if (!re->ok()) {
        r.Error(*r.Get(kv.second, "pattern"),
                "slot '" + name + "': pattern: " + SanitizeUtf8(re->error()));
      } else {
        slot.pattern = std::move(re);
      }
    }
    if (slot.values.empty() && !slot.min && slot.pattern == nullptr) {
      r.Error(kv.first, "slot '" + name +
                            "' accepts nothing: give it values, a range "
                            "or a pattern");
      continue;
    }
    lp->slots.push_back(std::move(slot));
  }
}

// A capture: a pattern (concepts expanded and folded as patterns are)
// whose named groups are slots of the locale.
void PackLoader::AddCapture(YamlReader& r, const YAML::Node& node,
                            IntentDef* intent, LocalePack* lp) {
  if (!node.IsScalar() || FindInvalidUtf8(node.Scalar()) != std::string::npos) {
    r.Error(node,
            "a capture is text: a pattern with named groups "
            "((?P<size>...))");
    return;
  }
  SlotCapture c;
  c.text = node.Scalar();
  c.where = r.Where(node);
  if (lp->lexicon.Broken(c.text)) return;  // Resolve reported why
  Result<std::string> expanded = lp->lexicon.Expand(c.text);
  if (!expanded.ok()) {
    r.Error(node, "capture '" + Excerpt(c.text) +
                      "': " + expanded.status().message());
    return;
  }
  lp->lexicon.MarkUsed(c.text);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(PatternSet::kMaxMemoryPerPattern);
  const std::string folded = normalizer_.FoldPattern(*expanded);
  if (folded.size() > PatternSet::kMaxPatternBytes) {
    r.Error(node, "capture '" + Excerpt(c.text) + "' is " +
                      std::to_string(folded.size()) + " bytes; the limit is " +
                      std::to_string(PatternSet::kMaxPatternBytes));
    return;
  }
  auto re = std::make_shared<RE2>(folded, options);
  if (!re->ok()) {
    r.Error(node,
            "capture '" + Excerpt(c.text) + "': " + SanitizeUtf8(re->error()));
    return;
  }
  std::vector<std::string> known;
  for (const SlotDef& slot : lp->slots) known.push_back(slot.name);
  for (const auto& [name, group] : re->NamedCapturingGroups()) {
    const int slot = lp->FindSlot(name);
    if (slot < 0) {
      r.Error(node, "capture '" + Excerpt(c.text) + "': unknown slot '" + name +
                        "'" + DidYouMean(name, known) +
                        "; the locale's slots are defined under `slots:`");
      return;
    }
    c.groups.emplace_back(group, slot);
  }
  if (c.groups.empty()) {
    r.Error(node, "capture '" + Excerpt(c.text) +
                      "' names no slot: write the value as a named group, "
                      "(?P<size>...)");
    return;
  }
  c.re = std::move(re);
  intent->captures.push_back(static_cast<int>(lp->captures.size()));
  lp->captures.push_back(std::move(c));
}

// The slots a variant quotes or tests must be slots of the locale that
// its intent captures: another intent's capture does not run for it.
// `check_text`: false for a variant with arms, whose texts are checked
// arm by arm (each arm node has the `text`).
void PackLoader::CheckVariantSlots(YamlReader& r, const YAML::Node& node,
                                   const LocalePack& lp, int intent,
                                   const ReplyTemplate& text,
                                   const Condition& when, bool check_text) {
  std::vector<std::pair<std::string, const char*>> used;
  for (const ReplyTemplate::Tag& tag : text.tags()) {
    if (check_text && tag.name.starts_with("slots.")) {
      used.emplace_back(tag.name.substr(6), "text");
    }
  }
  for (const std::string& slot : when.slots_used()) {
    used.emplace_back(slot, "when");
  }
  std::vector<std::string> known;
  for (const SlotDef& slot : lp.slots) known.push_back(slot.name);
  for (const auto& [name, key] : used) {
    const YAML::Node at = *r.Get(node, key);
    const int slot = lp.FindSlot(name);
    if (slot < 0) {
      r.Error(at, std::string(key) + ": unknown slot 'slots." + name + "'" +
                      DidYouMean(name, known) +
                      (known.empty()
                           ? "; intents/" + lp.locale + " defines no slots"
                           : ""));
      continue;
    }
    const IntentDef& def = lp.intents[intent];
    const bool captured =
        std::any_of(def.captures.begin(), def.captures.end(), [&](int c) {
          for (const auto& [group, s] : lp.captures[c].groups) {
            if (s == slot) return true;
          }
          return false;
        });
    if (!captured) {
      r.Error(at, std::string(key) + ": intent '" + def.id +
                      "' captures no 'slots." + name +
                      "': add a capture with (?P<" + name +
                      ">...) to the intent (" + def.where.ToString() + ")");
    }
  }
}

}  // namespace reply

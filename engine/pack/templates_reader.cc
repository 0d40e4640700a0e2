#include <set>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/pack/pack_loader_internal.h"

namespace reply {

void PackLoader::LoadTemplates(YamlReader& r, const YAML::Node& root,
                               LocalePack* lp,
                               std::set<std::string>* variant_ids) {
  if (!r.CheckMap(root, "a templates file", {"intent", "variants"})) return;
  const auto intent_id = r.String(root, "intent", true);
  if (!intent_id) return;
  const int intent = lp->FindIntent(*intent_id);
  if (intent < 0) {
    r.Error(*r.Get(root, "intent"),
            "intent '" + *intent_id + "' is not defined in intents/" +
                lp->locale +
                (intents_failed_ ? " (its file may be one with errors)" : ""));
    return;
  }
  const std::optional<YAML::Node> variants =
      r.List(root, "variants", "reply variants (- id: ...)", true);
  if (!variants) return;
  if (variants->size() == 0) {
    r.Error(*variants, "'variants' is empty: give the intent a reply");
    return;
  }
  for (const YAML::Node& node : *variants) {
    if (!r.CheckMap(
            node, "a variant",
            {"id", "label", "when", "fallback", "handoff", "text", "arms"})) {
      continue;
    }
    const bool has_arms = r.Get(node, "arms").has_value();
    if (has_arms && r.Get(node, "text")) {
      r.Error(*r.Get(node, "arms"),
              "a variant has `text` or `arms` (a wording experiment), not "
              "both: put the current wording in the first arm");
      continue;
    }
    const auto id = r.String(node, "id", true);
    const auto text = has_arms ? std::optional<std::string>("")
                               : r.String(node, "text", true);
    if (!id || !text) continue;
    if (!ValidId(*id)) {
      r.Error(*r.Get(node, "id"),
              "variant id '" + *id + "' must be lower_snake_case");
      continue;
    }
    const std::string full_id = *intent_id + "." + *id;
    if (!variant_ids->insert(full_id).second) {
      r.Error(*r.Get(node, "id"), "duplicate variant id '" + full_id + "'");
      continue;
    }
    Condition when = Condition::Always();
    if (const auto w = r.String(node, "when", false)) {
      Result<Condition> c = Condition::Parse(*w);
      if (!c.ok()) {
        r.Error(*r.Get(node, "when"), "when: " + c.status().message());
        continue;
      }
      when = std::move(*c);
    }
    std::vector<Arm> arms;
    if (has_arms) {
      arms = LoadArms(r, node, *lp, intent);
      if (arms.empty()) continue;  // reported
      CheckVariantSlots(r, node, *lp, intent, arms[0].text, when, false);
    }
    Result<ReplyTemplate> t = has_arms ? Result<ReplyTemplate>(arms[0].text)
                                       : ReplyTemplate::Parse(*text);
    if (!t.ok()) {
      r.Error(*r.Get(node, "text"), "text: " + t.status().message());
      continue;
    }
    if (!has_arms) CheckVariantSlots(r, node, *lp, intent, *t, when);
    Variant v{full_id,
              ReadLabel(r, node),
              intent,
              std::move(when),
              r.Bool(node, "fallback").value_or(false),
              r.Bool(node, "handoff").value_or(lp->intents[intent].handoff),
              std::move(*t),
              r.Where(node),
              std::move(arms)};
    lp->variants_of[intent].push_back(static_cast<int>(lp->variants.size()));
    lp->variants.push_back(std::move(v));
  }
}

// The arms of a wording experiment: at least two, each with a unique
// lower_snake_case id, a whole weight from 1 to kMaxArmWeight and a text
// that parses. Empty (with the errors reported) when any is wrong.
std::vector<Arm> PackLoader::LoadArms(YamlReader& r, const YAML::Node& node,
                                      const LocalePack& lp, int intent) {
  static constexpr double kMaxArmWeight = 1000;
  const std::optional<YAML::Node> list = r.List(
      node, "arms", "the arms of a wording experiment (- id: ...)", true);
  if (!list) return {};
  if (list->size() < 2) {
    r.Error(*list,
            "an experiment needs two arms or more: the current wording and "
            "at least one alternative (to end an experiment, replace "
            "`arms` by the winner's `text`)");
    return {};
  }
  std::vector<Arm> arms;
  std::set<std::string> ids;
  bool ok = true;
  for (const YAML::Node& a : *list) {
    if (!r.CheckMap(a, "an arm", {"id", "weight", "text"})) {
      ok = false;
      continue;
    }
    const auto id = r.String(a, "id", true);
    const auto text = r.String(a, "text", true);
    const std::optional<double> weight =
        r.Number(a, "weight", {.min = 1, .max = kMaxArmWeight, .whole = true});
    if (!id || !text) {
      ok = false;
      continue;
    }
    if (!ValidId(*id)) {
      r.Error(*r.Get(a, "id"), "arm id '" + *id + "' must be lower_snake_case");
      ok = false;
      continue;
    }
    if (!ids.insert(*id).second) {
      r.Error(*r.Get(a, "id"), "duplicate arm id '" + *id + "'");
      ok = false;
      continue;
    }
    Result<ReplyTemplate> t = ReplyTemplate::Parse(*text);
    if (!t.ok()) {
      r.Error(*r.Get(a, "text"), "text: " + t.status().message());
      ok = false;
      continue;
    }
    CheckVariantSlots(r, a, lp, intent, *t, Condition::Always());
    arms.push_back(
        {*id, static_cast<int>(weight.value_or(1)), std::move(*t), r.Where(a)});
  }
  if (!ok) return {};
  return arms;
}

}  // namespace reply

#include "engine/explain/explanation.h"

#include <filesystem>
#include <map>

#include "engine/pipeline/slot_extractor.h"
#include "engine/render/placeholders.h"

namespace reply {
namespace {

// A pack file as an author opens it from the current directory: `file`
// (pack-relative) under `pack_dir`, unchanged when that is "." or empty.
std::string PackPath(const std::string& pack_dir, const std::string& file) {
  if (pack_dir.empty() || pack_dir == ".") return file;
  return (std::filesystem::path(pack_dir) / file).string();
}

using Json = nlohmann::ordered_json;

// Marks the matched span inside the buyer's message.
constexpr std::string_view kSpanOpen = "⟦";
constexpr std::string_view kSpanClose = "⟧";

// A fact's value as conditions see it: null when unknown.
Json FactJson(const Facts& facts, Fact f, int utc_offset_minutes) {
  if (!facts.Known(f)) return nullptr;
  switch (DefOf(f).type) {
    case FactType::kBool:
      return facts.Bool(f);
    case FactType::kNumber:
      return facts.Number(f);
    case FactType::kEnum:
      return std::string(facts.Enum(f));
    case FactType::kTime:
      return FormatRfc3339(facts.Time(f), utc_offset_minutes);
  }
  return nullptr;
}

Json ConditionJson(const Condition& c, const Facts& facts, int utc_offset) {
  Json j = Json::object();
  j["text"] = c.text().empty() ? Json(nullptr) : Json(c.text());
  j["value"] = std::string(NameOf(kTriNames, c.Evaluate(facts)));
  Json tests = Json::array();
  for (const Condition::TestValue& t : c.ExplainTests(facts)) {
    Json read = Json::object();
    for (Fact f : t.facts) {
      read[std::string(DefOf(f).name)] = FactJson(facts, f, utc_offset);
    }
    tests.push_back({{"test", t.text},
                     {"value", std::string(NameOf(kTriNames, t.value))},
                     {"facts", read}});
  }
  j["tests"] = tests;
  return j;
}

// Which entry of each concept a pattern used produced its match, with the
// part of the buyer's message it matched (Lexicon::MatchedEntries).
Json ConceptsJson(const std::vector<Lexicon::EntryMatch>& matches,
                  const Lexicon& lexicon, const Request& request,
                  const Trace& trace, const std::string& pack_dir) {
  Json out = Json::array();
  for (const Lexicon::EntryMatch& m : matches) {
    const Lexicon::Concept* c = lexicon.Find(m.name);
    Json j = Json::object();
    j["concept"] = m.name;
    if (m.entry >= 0) {
      const Lexicon::Entry& e = c->entries[m.entry];
      j["entry"] = e.text;
      j["where"] = PackPath(pack_dir, e.where.ToString());
    } else {
      j["entry"] = nullptr;  // only several entries together match
      j["where"] = PackPath(pack_dir, c->where.ToString());
    }
    const auto [from, to] = trace.normalized.SourceSpan(m.begin, m.end);
    j["span"] = {{"begin", from},
                 {"end", to},
                 {"text", trace.text.substr(from, to - from)}};
    if (!m.inner.empty()) {
      j["inner"] = ConceptsJson(m.inner, lexicon, request, trace, pack_dir);
    }
    out.push_back(std::move(j));
  }
  return out;
}

Json PatternsJson(const Request& request, const Trace& trace,
                  const std::string& pack_dir) {
  const LocalePack& lp = *trace.locale_pack;
  const PatternSet& set = lp.matcher->pattern_set();
  const std::string& text = trace.normalized.text;
  Json out = Json::array();
  for (int id : trace.matched_patterns) {
    const PatternDecl& p = lp.patterns[id];
    Json j = Json::object();
    j["where"] = PackPath(pack_dir, p.where.ToString());
    j["intent"] = lp.intents[p.intent].id;
    j["kind"] = p.kind == PatternKind::kMatch     ? "match"
                : p.kind == PatternKind::kExclude ? "exclude"
                                                  : "keep";
    j["pattern"] = p.text;
    if (p.folded != p.text) j["folded"] = p.folded;
    size_t begin = 0, end = 0;
    if (set.FindSpan(id, text, 0, &begin, &end)) {
      const auto [from, to] = trace.normalized.SourceSpan(begin, end);
      const std::string& message = trace.text;
      j["span"] = {{"begin", from},
                   {"end", to},
                   {"text", message.substr(from, to - from)}};
      j["in_message"] = message.substr(0, from) + std::string(kSpanOpen) +
                        message.substr(from, to - from) +
                        std::string(kSpanClose) + message.substr(to);
      const std::vector<Lexicon::EntryMatch> concepts =
          lp.lexicon.MatchedEntries(p.text, text, begin,
                                    *trace.pack->normalizer);
      if (!concepts.empty()) {
        j["concepts"] =
            ConceptsJson(concepts, lp.lexicon, request, trace, pack_dir);
      }
    }
    if (p.kind != PatternKind::kMatch) {
      // Whether the intent matched, and whether an exclude and a keep of it
      // fired: an exclude removed it unless a keep kept it.
      bool matched = false, excluded = false, kept = false;
      for (int other : trace.matched_patterns) {
        const PatternDecl& o = lp.patterns[other];
        if (o.intent != p.intent) continue;
        matched |= o.kind == PatternKind::kMatch;
        excluded |= o.kind == PatternKind::kExclude;
        kept |= o.kind == PatternKind::kKeep;
      }
      if (p.kind == PatternKind::kExclude) {
        j["removed_intent"] = matched && !kept;
        if (matched && kept) j["kept_intent"] = true;
      } else {
        j["kept_intent"] = matched && excluded;
      }
    }
    out.push_back(std::move(j));
  }
  return out;
}

// Why variant `v` was or was not offered.
Json VariantJson(const LocalePack& lp, int v, const VariantDecision* decision,
                 const std::map<std::string, int>& position,
                 const std::map<int, const VariantDecision*>& decided,
                 const Request& request, const Trace& trace, int utc_offset,
                 const std::string& pack_dir) {
  const Variant& variant = lp.variants[v];
  Json j = Json::object();
  j["template"] = variant.id;
  j["where"] = PackPath(pack_dir, variant.where.ToString());
  j["fallback"] = variant.fallback;
  // With a history each intent's variants were chosen on its own facts.
  const Facts* facts = &trace.facts;
  for (size_t i = 0; i < trace.intent_facts.size(); ++i) {
    if (trace.intents[i] == variant.intent) facts = &trace.intent_facts[i];
  }
  j["when"] = ConditionJson(variant.when, *facts, utc_offset);
  std::string outcome, reason;
  if (decision == nullptr) {
    outcome = "not_tried";
    reason =
        "a fallback, tried only when no other reply of the intent is "
        "offered";
  } else if (decision->offered) {
    outcome = "offered";
    reason = "suggestion " + std::to_string(position.at(variant.id));
    j["position"] = position.at(variant.id);
  } else if (decision->condition == Tri::kFalse) {
    outcome = "when_false";
    reason = "its when is false";
  } else if (decision->condition == Tri::kUnknown) {
    outcome = "when_unknown";
    reason = "its when is unknown: it reads a fact the engine does not have";
  } else if (!decision->missing.empty()) {
    outcome = "unfilled";
    reason = "no value for";
    for (const std::string& m : decision->missing) reason += " " + m;
    j["missing"] = decision->missing;
  } else if (decision->repeat) {
    outcome = "repeat";
    reason = "its text was already sent in this conversation";
  } else {
    outcome = "no_room";
    bool earlier_fallback = false;
    if (variant.fallback) {
      for (int other : lp.variants_of[variant.intent]) {
        if (other == v) break;
        const auto it = decided.find(other);
        earlier_fallback |=
            lp.variants[other].fallback && it != decided.end() &&
            it->second->condition == Tri::kTrue && it->second->missing.empty();
      }
    }
    reason = earlier_fallback
                 ? "holds and fills, but an earlier fallback was chosen (one "
                   "at most)"
                 : "holds and fills, but the " + std::to_string(request.max) +
                       " suggestions asked for went to replies ranked above";
  }
  j["outcome"] = outcome;
  j["reason"] = reason;
  return j;
}

// How a variant was ranked: the author's place and prior, the evidence, the
// posterior score and the place it got (engine/select/ranking.h).
Json RankJson(const RankDecision& d) {
  Json j = {{"author_rank", d.author_rank + 1}, {"rank", d.rank + 1}};
  if (d.fixed) {
    j["fixed"] = true;  // fallback, hand-off, or its `when` is not true
    return j;
  }
  j["prior"] = d.prior;
  j["evidence"] = {{"from", d.shop_evidence ? "shop" : "pooled"},
                   {"shown", d.evidence.shown},
                   {"accepted", d.evidence.accepted},
                   {"edited", d.evidence.edited},
                   {"rejected", d.evidence.rejected}};
  j["score"] = d.score;
  return j;
}

}  // namespace

Json BuildExplanation(const Request& request, const Response& response,
                      const Trace& trace, const std::string& pack_dir) {
  const LocalePack& lp = *trace.locale_pack;
  const int offset = trace.shop->utc_offset_minutes;
  Json e = Json::object();
  e["message"] = request.message;
  e["trigger"] = request.trigger;
  e["normalized"] = response.normalized;
  e["script"] = std::string(ScriptName(response.script));
  e["locale"] = response.locale;
  e["now"] = FormatRfc3339(trace.now, offset);
  e["max"] = request.max;
  if (!request.trigger && (!lp.abbreviations.empty() || !lp.dialect.empty())) {
    // The words the locale's abbreviations and dialect table wrote out, as
    // the buyer typed them (Normalize and Apply again, to collect the
    // rewrites; each list's spans are read before the next rewrites).
    NormalizedText key;
    std::vector<Abbreviations::Rewrite> rewrites;
    trace.pack->normalizer->Normalize(trace.text, &key, true);
    lp.abbreviations.Apply(trace.text, *trace.pack->normalizer, &key,
                           &rewrites);
    Json written = Json::array();
    for (const Abbreviations::Rewrite& w : rewrites) {
      const auto [from, to] = key.SourceSpan(w.begin, w.end);
      written.push_back(
          {{"typed", trace.text.substr(from, to - from)},
           {"full", lp.abbreviations.rules()[w.rule].full},
           {"where",
            PackPath(pack_dir, lp.abbreviation_where[w.rule].ToString())}});
    }
    if (!lp.abbreviations.empty()) e["abbreviations"] = written;
    std::vector<DialectWords::Rewrite> dialect;
    lp.dialect.Apply(&key, &dialect);
    Json words = Json::array();
    for (const DialectWords::Rewrite& w : dialect) {
      const auto [from, to] = key.SourceSpan(w.begin, w.end);
      words.push_back(
          {{"typed", trace.text.substr(from, to - from)},
           {"full", lp.dialect.rules()[w.rule].word},
           {"where", PackPath(pack_dir, lp.dialect_where[w.rule].ToString())}});
    }
    if (!lp.dialect.empty()) e["dialect"] = words;
  }
  e["patterns"] = PatternsJson(request, trace, pack_dir);
  if (request.trigger) {
    Json triggers = Json::array();
    for (const IntentDef& intent : lp.intents) {
      if (!intent.trigger) continue;
      triggers.push_back(
          {{"intent", intent.id},
           {"where", PackPath(pack_dir, intent.where.ToString())},
           {"trigger", ConditionJson(*intent.trigger, trace.facts, offset)}});
    }
    e["triggers"] = triggers;
  }
  Json intents = Json::array();
  for (size_t i = 0; i < trace.intents.size(); ++i) {
    const IntentDef& intent = lp.intents[trace.intents[i]];
    Json entry = {{"intent", intent.id},
                  {"priority", intent.priority},
                  {"score", response.intents[i].score},
                  {"by", PackPath(pack_dir, response.intents[i].pattern)}};
    if (response.intents[i].turn >= 0) {
      // Matched in an earlier fragment of the ask, not the message.
      entry["turn"] = response.intents[i].turn;
      entry["turn_text"] = request.history[response.intents[i].turn].text;
    }
    if (!response.intents[i].resolved_by.empty()) {
      entry["asked"] = response.intents[i].asked;
      entry["resolved_by"] = response.intents[i].resolved_by;
      // The first rule that held; the rules of the intents it led to
      // after it, when those were resolved by the order in turn.
      const std::vector<const OrderResolution*>& rules =
          trace.resolutions[i].rules;
      for (size_t k = 0; k < rules.size(); ++k) {
        Json rule = {
            {"where", PackPath(pack_dir, rules[k]->where.ToString())},
            {"when", ConditionJson(rules[k]->when, trace.facts, offset)}};
        if (k == 0) {
          entry["rule"] = std::move(rule);
        } else {
          rule["from"] = lp.intents[rules[k - 1]->intent].id;
          entry["then"].push_back(std::move(rule));
        }
      }
    }
    intents.push_back(std::move(entry));
  }
  e["intents"] = intents;
  Json facts = Json::object();
  for (const FactDef& def : FactDefs()) {
    facts[std::string(def.name)] = FactJson(trace.facts, def.fact, offset);
  }
  e["facts"] = facts;
  // Only when an intent captures slots: other explanations stay as they
  // were.
  if (NeedsSlots(lp, trace.intents)) {
    Json slots = Json::array();
    for (const SlotValue& v : trace.slots.values()) {
      Json slot = {{"slot", v.name}, {"value", v.value}, {"said", v.text}};
      if (v.turn >= 0) {
        slot["turn"] = v.turn;
        slot["turn_text"] = request.history[v.turn].text;
      }
      slots.push_back(std::move(slot));
    }
    e["slots"] = slots;
  }

  std::map<int, const VariantDecision*> decided;
  for (const VariantDecision& d : trace.variants) decided[d.variant] = &d;
  std::map<std::string, int> position;
  for (size_t i = 0; i < response.suggestions.size(); ++i) {
    position[response.suggestions[i].template_id] = static_cast<int>(i) + 1;
  }
  Json replies = Json::array();
  for (size_t i = 0; i < trace.intents.size(); ++i) {
    const int intent = trace.intents[i];
    // In the order the engine walked them: learned, or as written.
    const std::vector<RankDecision>* ranks =
        i < trace.ranks.size() ? &trace.ranks[i] : nullptr;
    Json variants = Json::array();
    for (size_t k = 0; k < lp.variants_of[intent].size(); ++k) {
      const int v =
          ranks != nullptr ? (*ranks)[k].variant : lp.variants_of[intent][k];
      const auto it = decided.find(v);
      Json j = VariantJson(lp, v, it == decided.end() ? nullptr : it->second,
                           position, decided, request, trace, offset, pack_dir);
      if (ranks != nullptr) j["learned"] = RankJson((*ranks)[k]);
      variants.push_back(std::move(j));
    }
    Json reply = {{"intent", lp.intents[intent].id}};
    if (ranks != nullptr) reply["order"] = "learned";  // absent: the author's
    reply["variants"] = std::move(variants);
    replies.push_back(std::move(reply));
  }
  e["replies"] = replies;
  Json suggestions = Json::array();
  for (const Suggestion& s : response.suggestions) {
    suggestions.push_back({{"intent", s.intent},
                           {"template", s.template_id},
                           {"text", s.text},
                           {"handoff", s.handoff}});
  }
  e["suggestions"] = suggestions;
  return e;
}

}  // namespace reply

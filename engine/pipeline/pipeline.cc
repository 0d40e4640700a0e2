#include "engine/pipeline/pipeline.h"

#include <algorithm>

namespace reply {
namespace {

// The pack for the request: the one asked for, else Vietnamese for Latin
// script, else Chinese.
Result<const LocalePack*> ChooseLocale(const Pack& pack, const Request& request,
                                       Script script) {
  if (!request.locale.empty()) {
    if (const LocalePack* lp = pack.Find(request.locale)) return lp;
    std::string have;
    for (const LocalePack& lp : pack.locales) {
      if (!have.empty()) have += ", ";
      have += lp.locale;
    }
    return Status::BadRequest("locale: no pack for '" +
                              request.locale.substr(0, 16) +
                              "'; the packs are " + have);
  }
  if (script == Script::kLatin) {
    if (const LocalePack* lp = pack.Find("vi")) return lp;
  }
  if (const LocalePack* lp = pack.Find("zh")) return lp;
  return &pack.locales.front();
}

// The intent that answers a match of `asked`: a vague intent's first order
// rule that holds, or its without_order guess; else `asked` itself.
struct Answerer {
  int intent;
  const OrderResolution* rule = nullptr;  // the rule that decided
  const char* resolved_by = nullptr;      // "order", "without_order"
};

Answerer Resolve(const LocalePack& lp, int asked, const Order* order,
                 const Facts& facts) {
  const IntentDef& intent = lp.intents[asked];
  if (order == nullptr) {
    if (intent.without_order >= 0) {
      return {intent.without_order, nullptr, "without_order"};
    }
    return {asked};
  }
  for (const OrderResolution& rule : intent.resolve_by_order) {
    if (rule.when.Evaluate(facts) == Tri::kTrue) {
      return {rule.intent, &rule, "order"};
    }
  }
  return {asked};
}

}  // namespace

Result<Response> RunPipeline(const Pack& pack, const Request& request,
                             UnixSeconds now, Trace* trace) {
  thread_local NormalizedText scratch_key;
  NormalizedText& key = trace != nullptr ? trace->normalized : scratch_key;
  pack.normalizer->Normalize(request.message, &key, trace != nullptr);

  Result<const LocalePack*> chosen = ChooseLocale(pack, request, key.script);
  if (!chosen.ok()) return chosen.status();
  const LocalePack& lp = **chosen;
  // The locale's abbreviations (pack data) are written out on the key.
  lp.abbreviations.Apply(request.message, *pack.normalizer, &key);

  const Order* order = request.order ? &*request.order : nullptr;
  const Facts facts = DeriveFacts(order, pack.shop, now);

  Response response;
  response.normalized = key.text;
  response.script = key.script;
  response.locale = lp.locale;
  response.pack_version = pack.version;
  response.warnings = request.warnings;

  thread_local std::vector<IntentMatcher::Hit> hits;
  hits.clear();
  std::vector<int> intents;
  if (request.trigger) {
    for (size_t i = 0; i < lp.intents.size(); ++i) {
      const IntentDef& intent = lp.intents[i];
      if (intent.trigger && intent.trigger->Evaluate(facts) == Tri::kTrue) {
        intents.push_back(static_cast<int>(i));
      }
    }
    std::stable_sort(intents.begin(), intents.end(), [&](int a, int b) {
      return lp.intents[a].priority > lp.intents[b].priority;
    });
    for (int i : intents) {
      response.intents.push_back(
          {lp.intents[i].id, 1.0, lp.intents[i].where.ToString()});
    }
    if (trace != nullptr) trace->resolutions.assign(intents.size(), {});
  } else {
    lp.matcher->Match(key.text, &hits);
    for (const IntentMatcher::Hit& hit : hits) {
      const Answerer a = Resolve(lp, hit.intent, order, facts);
      // A message that matched the answering intent itself as well ("帮我催
      // 一下发货") names it once, as matched.
      const auto seen = std::find(intents.begin(), intents.end(), a.intent);
      if (seen != intents.end()) {
        if (a.resolved_by == nullptr) {
          IntentMatch& m = response.intents[seen - intents.begin()];
          m.asked.clear();
          m.resolved_by.clear();
          if (trace != nullptr) trace->resolutions[seen - intents.begin()] = {};
        }
        continue;
      }
      intents.push_back(a.intent);
      IntentMatch& m = response.intents.emplace_back();
      m.name = lp.intents[a.intent].id;
      m.score = hit.score;
      m.pattern = lp.patterns[hit.pattern].where.ToString();
      if (a.resolved_by != nullptr) {
        m.asked = lp.intents[hit.intent].id;
        m.resolved_by = a.resolved_by;
      }
      if (trace != nullptr) trace->resolutions.push_back({a.rule});
    }
  }

  const RenderInputs inputs{order, &facts, &pack.shop, lp.locale};
  std::vector<ChosenReply> replies =
      ChooseReplies(lp, intents, inputs, request.max,
                    trace != nullptr ? &trace->variants : nullptr);
  const bool traditional = key.script == Script::kHant && lp.locale == "zh";
  response.suggestions.reserve(replies.size());
  for (ChosenReply& reply : replies) {
    const Variant& v = lp.variants[reply.variant];
    Suggestion& s = response.suggestions.emplace_back();
    s.intent = lp.intents[v.intent].id;
    s.template_id = v.id;
    s.text = traditional ? pack.normalizer->ToTraditional(reply.text)
                         : std::move(reply.text);
    s.handoff = v.handoff;
  }
  if (trace != nullptr) {
    lp.matcher->MatchPatterns(key.text, &trace->matched_patterns);
    trace->intents = intents;
    trace->facts = facts;
    trace->locale_pack = &lp;
  }
  return response;
}

}  // namespace reply

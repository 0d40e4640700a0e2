#include "engine/pipeline/pipeline.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/base/utf8.h"
#include "engine/normalize/chinese_region.h"
#include "engine/pipeline/conversation.h"
#include "engine/pipeline/slot_extractor.h"

namespace reply {
namespace {

// The pack for the request: the one asked for (zh-TW and zh-HK are the zh
// pack's, in that region's Traditional), else Vietnamese for Latin script,
// else Chinese.
Result<const LocalePack*> ChooseLocale(const Pack& pack, const Request& request,
                                       Script script) {
  if (!request.locale.empty()) {
    const std::string_view asked = RegionOfLocale(request.locale)
                                       ? "zh"
                                       : std::string_view(request.locale);
    if (const LocalePack* lp = pack.Find(asked)) return lp;
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

// The intent that answers a match of `asked`: the target of its first
// order rule that holds, or its without_order guess, and so on from there
// until no rule holds (the loader refuses a cycle); else `asked` itself.
// `chain`, when asked for (explain), gets every rule that held, in order.
struct Answerer {
  int intent;
  const char* resolved_by = nullptr;  // "order", "without_order"
};

Answerer Resolve(const LocalePack& lp, int asked, const Order* order,
                 const Facts& facts,
                 std::vector<const OrderResolution*>* chain = nullptr) {
  Answerer a{asked};
  // Acyclic, so at most one step per intent; the bound only guards.
  for (size_t step = 0; step < lp.intents.size(); ++step) {
    const IntentDef& intent = lp.intents[a.intent];
    int next = -1;
    if (order == nullptr) {
      if (intent.without_order < 0) break;
      next = intent.without_order;
      a.resolved_by = "without_order";
    } else {
      for (const OrderResolution& rule : intent.resolve_by_order) {
        if (rule.when.Evaluate(facts) == Tri::kTrue) {
          next = rule.intent;
          if (chain != nullptr) chain->push_back(&rule);
          a.resolved_by = "order";
          break;
        }
      }
      if (next < 0) break;
    }
    a.intent = next;
  }
  return a;
}

// Follow-up intents (pack data: `follow_up: true`) carry no topic. Beside
// another intent they add nothing and are dropped. Alone, in a conversation
// ("那大概什么时候能到", "vậy còn bao lâu"), the message continues the topic
// of the last exchange: it is answered as that topic, resolved_by
// "follow_up". Without a topic it stays the follow-up intent, whose own
// reply asks what the buyer means.
void ResolveFollowUps(const LocalePack& lp, const Conversation* c,
                      std::vector<int>* intents,
                      std::vector<IntentMatch>* matches, Trace* trace) {
  size_t follow_ups = 0;
  for (int i : *intents) follow_ups += lp.intents[i].follow_up ? 1 : 0;
  if (follow_ups == 0) return;
  if (follow_ups < intents->size()) {
    size_t kept = 0;
    for (size_t i = 0; i < intents->size(); ++i) {
      if (lp.intents[(*intents)[i]].follow_up) continue;
      if (kept != i) {  // a self-move would empty the strings
        (*intents)[kept] = (*intents)[i];
        (*matches)[kept] = std::move((*matches)[i]);
        if (trace != nullptr) trace->resolutions[kept] = trace->resolutions[i];
      }
      ++kept;
    }
    intents->resize(kept);
    matches->resize(kept);
    if (trace != nullptr) trace->resolutions.resize(kept);
    return;
  }
  if (c == nullptr || c->topic < 0) return;
  IntentMatch m = std::move(matches->front());
  m.asked = m.name;
  m.name = lp.intents[c->topic].id;
  m.resolved_by = "follow_up";
  intents->assign(1, c->topic);
  matches->assign(1, std::move(m));
  if (trace != nullptr) trace->resolutions.assign(1, {});
}

// Which turn each intent came from, when the message was matched with
// fragments: the message's own intents name none; one only an earlier
// fragment has names the latest such turn.
void AttributeFragments(const LocalePack& lp, const Normalizer& normalizer,
                        const Request& request, const Conversation& c,
                        const std::function<int(int)>& answer,
                        const std::vector<int>& intents,
                        std::vector<IntentMatch>* matches) {
  if (c.fragments.empty()) return;
  const std::vector<int> own =
      MatchIntents(lp, normalizer, request.message, answer);
  for (size_t i = 0; i < intents.size(); ++i) {
    if (std::find(own.begin(), own.end(), intents[i]) != own.end()) continue;
    for (size_t f = c.fragments.size(); f-- > 0;) {
      const std::vector<int>& in = c.fragment_intents[f];
      if (std::find(in.begin(), in.end(), intents[i]) != in.end()) {
        (*matches)[i].turn = c.fragments[f];
        break;
      }
    }
  }
}

}  // namespace

Result<Response> RunPipeline(const Pack& pack, const Request& request,
                             UnixSeconds now, Trace* trace,
                             const Ranking* ranking,
                             const LearnedOrders* orders) {
  thread_local NormalizedText scratch_key;
  NormalizedText& key = trace != nullptr ? trace->normalized : scratch_key;
  pack.normalizer->Normalize(request.message, &key, trace != nullptr);

  Result<const LocalePack*> chosen = ChooseLocale(pack, request, key.script);
  if (!chosen.ok()) return chosen.status();
  const LocalePack& lp = **chosen;

  const Shop* shop = nullptr;
  if (!request.shop.empty()) {
    shop = pack.FindShop(request.shop);
    if (shop == nullptr) {
      return Status::BadRequest("shop: no shop '" + SanitizeUtf8(request.shop) +
                                "' in the packs (shops/<id>.yaml)");
    }
  }
  const ShopPolicy& policy = shop != nullptr ? shop->policy : pack.shop;
  const Order* order = request.order ? &*request.order : nullptr;
  Facts facts = DeriveFacts(order, policy, now);

  // With a history: the buyer's turns since the last agent turn are
  // matched together with the message, and what the history says
  // (conversation.h) is read once the message's intents are known.
  std::optional<Conversation> conversation;
  std::string joined;
  const auto answer = [&](int asked) {
    return Resolve(lp, asked, order, facts).intent;
  };
  const bool with_history = !request.history.empty() && !request.trigger;
  if (with_history) {
    size_t first = request.history.size();
    while (first > 0 && request.history[first - 1].role != Role::kAgent) {
      --first;
    }
    for (size_t t = first; t < request.history.size(); ++t) {
      if (request.history[t].role != Role::kBuyer) continue;
      joined += request.history[t].text;
      joined += '\n';
    }
    if (!joined.empty()) {
      joined += request.message;
      pack.normalizer->Normalize(joined, &key, trace != nullptr);
    }
  }
  const std::string& text = joined.empty() ? request.message : joined;
  // The locale's abbreviations and dialect words (pack data) are written
  // out on the key.
  lp.WriteOut(text, *pack.normalizer, &key);

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
      IntentMatch m;
      m.name = lp.intents[i].id;
      m.score = 1.0;
      m.pattern = lp.intents[i].where.ToString();
      response.intents.push_back(std::move(m));
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
      if (trace != nullptr) {
        Trace::Resolution& r = trace->resolutions.emplace_back();
        Resolve(lp, hit.intent, order, facts, &r.rules);
      }
    }
  }
  if (with_history) {
    conversation = ReadConversation(lp, *pack.normalizer, request.history, now,
                                    answer, intents);
  }
  ResolveFollowUps(lp, conversation ? &*conversation : nullptr, &intents,
                   &response.intents, trace);
  if (conversation) {
    AttributeFragments(lp, *pack.normalizer, request, *conversation, answer,
                       intents, &response.intents);
  }

  // The values the buyer said that the intents capture ("想换成XL"): only
  // when one of them declares captures, so other requests pay nothing, and
  // only when a `when` or a reply reads one (LazySlots).
  std::optional<LazySlots> slots;
  if (!request.trigger && NeedsSlots(lp, intents)) {
    facts.set_slots(&slots.emplace([&] {
      return ExtractSlots(lp, *pack.normalizer, request.history,
                          request.message, intents);
    }));
  }

  const RenderInputs inputs{order, &facts, &policy, lp.locale};
  // A Traditional reply, in the region's words: the one the request names
  // (locale zh-TW, zh-HK), else the one the buyer's characters suggest.
  const std::optional<ChineseRegion> asked_region =
      RegionOfLocale(request.locale);
  const bool traditional =
      lp.locale == "zh" && (asked_region || key.script == Script::kHant);
  // Guessed only for a Traditional reply: value_or would scan every message.
  const ChineseRegion region = asked_region
                                   ? *asked_region
                                   : (traditional ? GuessRegion(request.message)
                                                  : ChineseRegion::kTaiwan);
  const auto to_traditional = [&](std::string_view simplified) {
    return ToRegion(pack.normalizer->ToTraditional(simplified), region);
  };
  const std::map<int, ReplyTemplate>* shop_texts = nullptr;
  if (shop != nullptr) {
    auto it = shop->texts.find(lp.locale);
    if (it != shop->texts.end()) shop_texts = &it->second;
  }
  LearnedOrder learned{ranking, request.shop,
                       trace != nullptr ? &trace->ranks : nullptr, orders};
  ChoiceOptions options{.trace = trace != nullptr ? &trace->variants : nullptr,
                        .learned = ranking != nullptr ? &learned : nullptr,
                        .conversation_id = request.conversation_id,
                        .shop_texts = shop_texts};
  std::vector<ChosenReply> replies;
  if (!conversation) {
    SetConversationFacts(nullptr, -1, &facts);
    replies = ChooseReplies(lp, intents, inputs, request.max, options);
  } else {
    std::vector<Facts> intent_facts(intents.size(), facts);
    for (size_t i = 0; i < intents.size(); ++i) {
      SetConversationFacts(&*conversation, intents[i], &intent_facts[i]);
    }
    ConversationChoice choice;
    choice.intent_facts = &intent_facts;
    choice.already_sent = [&](const std::string& reply) {
      const std::string shown = traditional ? to_traditional(reply) : reply;
      for (const std::string* sent : conversation->agent_texts) {
        if (*sent == shown) return true;
      }
      return false;
    };
    options.conversation = &choice;
    replies = ChooseReplies(lp, intents, inputs, request.max, options);
    if (trace != nullptr) trace->intent_facts = std::move(intent_facts);
  }
  response.suggestions.reserve(replies.size());
  for (ChosenReply& reply : replies) {
    const Variant& v = lp.variants[reply.variant];
    Suggestion& s = response.suggestions.emplace_back();
    s.intent = lp.intents[v.intent].id;
    s.template_id = v.id;
    s.text = traditional ? to_traditional(reply.text) : std::move(reply.text);
    s.handoff = v.handoff;
    if (reply.arm >= 0) s.arm = v.arms[reply.arm].id;
  }
  if (trace != nullptr) {
    lp.matcher->MatchPatterns(key.text, &trace->matched_patterns);
    trace->intents = intents;
    trace->facts = facts;
    // The facts' slots are the trace's own copy: `slots` dies with this
    // call.
    if (facts.slots() != nullptr) {
      trace->slots = slots->Get();
      trace->facts.set_slots(&trace->slots);
      for (Facts& f : trace->intent_facts) f.set_slots(&trace->slots);
    }
    trace->locale_pack = &lp;
    trace->shop = &policy;
    trace->text = text;
  }
  return response;
}

}  // namespace reply

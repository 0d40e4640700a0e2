#include "engine/pipeline/conversation.h"

#include <algorithm>

#include "engine/match/intent_matcher.h"

namespace reply {

std::vector<int> MatchIntents(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::string& text,
                              const std::function<int(int)>& answer) {
  thread_local NormalizedText key;
  thread_local std::vector<IntentMatcher::Hit> hits;
  lp.Normalize(text, normalizer, &key);
  hits.clear();
  lp.matcher->Match(key.text, &hits);
  std::vector<int> out;
  for (const IntentMatcher::Hit& hit : hits) {
    const int intent = answer(hit.intent);
    if (std::find(out.begin(), out.end(), intent) == out.end()) {
      out.push_back(intent);
    }
  }
  return out;
}

Conversation ReadConversation(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::vector<Turn>& history, UnixSeconds now,
                              const std::function<int(int)>& answer) {
  Conversation c;
  c.earlier_asks.assign(lp.intents.size(), 0);
  c.times_sent.assign(lp.intents.size(), 0);
  // The intents of the ask being read (buyer turns since an agent turn),
  // counted into earlier_asks when an agent turn closes it.
  std::vector<int> ask;
  int last_agent = -1;
  std::optional<UnixSeconds> waiting_since;
  for (size_t i = 0; i < history.size(); ++i) {
    const Turn& turn = history[i];
    switch (turn.role) {
      case Role::kSystem:
        break;
      case Role::kAgent: {
        // "urge_shipment.overdue": the variant's intent is its prefix.
        const std::string& id = turn.template_id;
        const int intent =
            id.empty() ? -1 : lp.FindIntent(id.substr(0, id.find('.')));
        if (intent >= 0) {
          ++c.times_sent[intent];
          if (lp.intents[intent].topic) c.topic = intent;
          // A reply of the intent answered an ask of it, in words the
          // patterns may not know ("还是没找到").
          if (std::find(ask.begin(), ask.end(), intent) == ask.end()) {
            ask.push_back(intent);
          }
        }
        for (int asked : ask) ++c.earlier_asks[asked];
        ask.clear();
        c.fragments.clear();
        c.fragment_intents.clear();
        last_agent = static_cast<int>(i);
        waiting_since = turn.at;
        c.agent_texts.push_back(&turn.text);
        break;
      }
      case Role::kBuyer: {
        if (last_agent < 0 && !waiting_since) waiting_since = turn.at;
        std::vector<int> intents =
            MatchIntents(lp, normalizer, turn.text, answer);
        // Follow-ups as for the message (pipeline.cc): beside another
        // intent dropped, alone the topic asked again.
        const auto follow_up = [&lp](int i) { return lp.intents[i].follow_up; };
        if (std::all_of(intents.begin(), intents.end(), follow_up)) {
          if (!intents.empty() && c.topic >= 0) intents.assign(1, c.topic);
        } else {
          std::erase_if(intents, follow_up);
        }
        for (int intent : intents) {
          if (lp.intents[intent].handoff) c.escalated = true;
          if (std::find(ask.begin(), ask.end(), intent) == ask.end()) {
            ask.push_back(intent);
          }
        }
        // A buyer's intent is the topic until an agent reply names one.
        for (int intent : intents) {
          if (lp.intents[intent].topic) {
            c.topic = intent;
            break;
          }
        }
        c.fragments.push_back(static_cast<int>(i));
        c.fragment_intents.push_back(std::move(intents));
        break;
      }
    }
  }
  // The buyer turns since the last agent turn are part of the current ask:
  // they are counted with the message (times_asked includes now).
  if (waiting_since) {
    c.minutes_waiting =
        std::max<double>(0, static_cast<double>(now - *waiting_since) / 60);
  }
  return c;
}

void SetConversationFacts(const Conversation* c, int intent, Facts* facts) {
  if (c == nullptr) {
    facts->SetNumber(Fact::kTimesAsked, 1);
    facts->SetNumber(Fact::kTimesSent, 0);
    facts->SetBool(Fact::kBuyerEscalated, false);
    return;
  }
  facts->SetNumber(Fact::kTimesAsked, c->earlier_asks[intent] + 1);
  facts->SetNumber(Fact::kTimesSent, c->times_sent[intent]);
  facts->SetBool(Fact::kBuyerEscalated, c->escalated);
  if (c->minutes_waiting) {
    facts->SetNumber(Fact::kMinutesWaiting, *c->minutes_waiting);
  }
}

}  // namespace reply

#include "engine/pipeline/conversation.h"

#include <algorithm>
#include <string_view>

#include "engine/match/intent_matcher.h"

namespace reply {

namespace {

// As MatchIntents, against only the intents marked in `only` (null: all).
std::vector<int> MatchAmong(const LocalePack& lp, const Normalizer& normalizer,
                            const std::string& text,
                            const std::function<int(int)>& answer,
                            const std::vector<bool>* only) {
  thread_local NormalizedText key;
  thread_local std::vector<IntentMatcher::Hit> hits;
  lp.Normalize(text, normalizer, &key);
  hits.clear();
  lp.matcher->Match(key.text, &hits, only);
  std::vector<int> out;
  for (const IntentMatcher::Hit& hit : hits) {
    const int intent = answer(hit.intent);
    if (std::find(out.begin(), out.end(), intent) == out.end()) {
      out.push_back(intent);
    }
  }
  return out;
}

// The hand-off intents `text` matches (LocalePack::handoff_matcher).
bool MatchesHandoff(const LocalePack& lp, const Normalizer& normalizer,
                    const std::string& text, std::vector<int>* intents) {
  thread_local NormalizedText key;
  thread_local std::vector<IntentMatcher::Hit> hits;
  lp.Normalize(text, normalizer, &key);
  lp.handoff_matcher->Match(key.text, &hits);
  intents->clear();
  for (const IntentMatcher::Hit& hit : hits) intents->push_back(hit.intent);
  return !intents->empty();
}

// The intent of a variant id ("urge_shipment.overdue": its prefix), or -1.
int TemplateIntent(const LocalePack& lp, std::string_view id) {
  return id.empty() ? -1 : lp.FindIntent(id.substr(0, id.find('.')));
}

// The conversation; with `only`, the buyer turns before the last agent turn
// are matched against the marked intents alone, and the result is
// incomplete (complete == false) when one of them matched a follow-up.
Conversation Read(const LocalePack& lp, const Normalizer& normalizer,
                  const std::vector<Turn>& history, UnixSeconds now,
                  const std::function<int(int)>& answer,
                  const std::vector<bool>* only) {
  Conversation c;
  size_t last_agent_turn = 0;  // one past it; 0: none
  for (size_t i = history.size(); i > 0; --i) {
    if (history[i - 1].role == Role::kAgent) {
      last_agent_turn = i;
      break;
    }
  }
  // Per turn, for a buyer turn of an ask one of our replies answered: that
  // reply's intent; else -1.
  thread_local std::vector<int> answered_with;
  answered_with.assign(history.size(), -1);
  int answer_intent = -1;
  for (size_t i = history.size(); i-- > 0;) {
    if (history[i].role == Role::kAgent) {
      answer_intent = TemplateIntent(lp, history[i].template_id);
    } else if (history[i].role == Role::kBuyer) {
      answered_with[i] = answer_intent;
    }
  }
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
        const int intent = TemplateIntent(lp, turn.template_id);
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
        if (answered_with[i] >= 0) {
          // One of our replies answered this ask: the agent chose what it
          // was about (its intent counts the ask, above). Its words are
          // only searched for a hand-off (a complaint, a bad-review
          // threat), with the hand-off intents' own small pattern set.
          thread_local std::vector<int> handoffs;
          if (MatchesHandoff(lp, normalizer, turn.text, &handoffs)) {
            c.escalated = true;
            for (int intent : handoffs) {
              if (std::find(ask.begin(), ask.end(), intent) == ask.end()) {
                ask.push_back(intent);
              }
            }
          }
          break;
        }
        // The fragments of the current ask are matched in full.
        const bool restricted = only != nullptr && i < last_agent_turn;
        std::vector<int> intents = MatchAmong(lp, normalizer, turn.text, answer,
                                              restricted ? only : nullptr);
        // Follow-ups as for the message (pipeline.cc): beside another
        // intent dropped, alone the topic asked again.
        const auto follow_up = [&lp](int i) { return lp.intents[i].follow_up; };
        if (restricted &&
            std::any_of(intents.begin(), intents.end(), follow_up)) {
          // Whether it is a follow-up alone, and of which topic, needs every
          // intent of this turn and the ones before it.
          c.complete = false;
          return c;
        }
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

}  // namespace

std::vector<int> MatchIntents(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::string& text,
                              const std::function<int(int)>& answer) {
  return MatchAmong(lp, normalizer, text, answer, nullptr);
}

Conversation ReadConversation(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::vector<Turn>& history, UnixSeconds now,
                              const std::function<int(int)>& answer,
                              const std::vector<int>& intents) {
  const auto follow_up = [&lp](int i) { return lp.intents[i].follow_up; };
  // A message that is only a follow-up needs the topic, which needs every
  // intent of every turn.
  if (!intents.empty() &&
      std::all_of(intents.begin(), intents.end(), follow_up)) {
    return Read(lp, normalizer, history, now, answer, nullptr);
  }
  // Otherwise an earlier turn matters through the intents being answered
  // (times_asked), the hand-off intents (buyer_escalated) and the
  // follow-ups (which need the full reading): only the patterns of intents
  // that answer as one of those are run on it.
  thread_local std::vector<bool> only;
  only.assign(lp.intents.size(), false);
  for (size_t a = 0; a < lp.intents.size(); ++a) {
    const int answered = answer(static_cast<int>(a));
    only[a] =
        lp.intents[a].follow_up || lp.intents[answered].handoff ||
        lp.intents[answered].follow_up ||
        std::find(intents.begin(), intents.end(), answered) != intents.end();
  }
  Conversation c = Read(lp, normalizer, history, now, answer, &only);
  if (!c.complete) c = Read(lp, normalizer, history, now, answer, nullptr);
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

// Conversation: what a request's history says that its message alone
// cannot, read once per request on one locale pack.
//
//   Conversation c = ReadConversation(lp, normalizer, request.history, now,
//                                     answer);
//   c.fragments         // buyer turns since the last agent turn: with the
//                       // message, one ask ("在吗" / "我前天买的" / "怎么还没发")
//   c.topic             // the intent of the last exchange, for follow-ups
//   SetConversationFacts(c, intent, &facts);   // times_asked, times_sent, ...
//
// Turns are grouped into asks: the buyer turns between two agent turns are
// one ask, however many messages the buyer split it into. An agent turn
// whose `template` names one of the pack's variants counts as a reply of
// that variant's intent, and answers an ask of it (the buyer's words may
// not have matched); the agent chose what that ask was about, so its buyer
// turns are not matched for intents, only searched for a hand-off (a
// threat or a complaint sets buyer_escalated). Other agent turns (typed by
// a person) count only as turns, and the asks they answer are matched. System turns are skipped. A buyer turn that is only a
// follow-up ("那还要多久") asks the topic again, so it counts as an ask of
// the topic.
//
// Cost: each buyer turn is normalized once. A turn of an ask one of our
// replies answered runs only the hand-off intents' small pattern set; one
// of an ask a person answered is matched only against the intents that can
// change this request's facts (its own intents, the hand-offs, the
// follow-ups); the fragments are matched in full. 20 turns cost about 2x
// the message alone (docs/benchmarks.md). A request without history never
// calls this.
//
// Thread safety: a pure function over immutable inputs.
#ifndef REPLY_ENGINE_PIPELINE_CONVERSATION_H_
#define REPLY_ENGINE_PIPELINE_CONVERSATION_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/time.h"
#include "engine/normalize/normalizer.h"
#include "engine/order/facts.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/request.h"

namespace reply {

struct Conversation {
  // Indexes into the history of the buyer turns since the last agent turn,
  // oldest first: matched together with the message.
  std::vector<int> fragments;
  // Parallel to `fragments`: the intents each matched on its own.
  std::vector<std::vector<int>> fragment_intents;
  // Per intent of the locale pack: in how many earlier asks (before the
  // current one) the buyer raised it, and how many agent turns were one of
  // its replies.
  std::vector<int> earlier_asks;
  std::vector<int> times_sent;
  // An earlier buyer turn matched a `handoff` intent (a complaint, a
  // bad-review threat, asking for a person).
  bool escalated = false;
  std::optional<double> minutes_waiting;
  // The topic a follow-up continues: the intent of the last agent turn's
  // template, else the last intent the buyer raised, skipping intents that
  // are no topic (`topic: false`: greetings, thanks); -1 when none.
  int topic = -1;
  // The texts of the agent turns: a suggestion never repeats one.
  std::vector<const std::string*> agent_texts;
  // False while a restricted reading met a follow-up (internal).
  bool complete = true;
};

// `answer` maps an intent a turn matched to the intent that answers it
// (a vague intent resolved by the order, as for the message). `intents`:
// what the message (with its fragments) matched, answered; the facts are
// exact for those, for the hand-off intents (buyer_escalated) and, when
// the message is only a follow-up, for the topic. Other intents' counts
// may be short: earlier turns are not matched against intents that do not
// matter for this request.
Conversation ReadConversation(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::vector<Turn>& history, UnixSeconds now,
                              const std::function<int(int)>& answer,
                              const std::vector<int>& intents);

// The intents `text` matches on `lp`, each answered through `answer`, each
// once, best first.
std::vector<int> MatchIntents(const LocalePack& lp,
                              const Normalizer& normalizer,
                              const std::string& text,
                              const std::function<int(int)>& answer);

// The conversation facts (times_asked, times_sent, minutes_waiting,
// buyer_escalated) for answering `intent`. `c` null: a message without
// history, the first ask. A threat in the message itself is the handoff
// intent's to answer, so buyer_escalated reads the history only.
void SetConversationFacts(const Conversation* c, int intent, Facts* facts);

}  // namespace reply

#endif  // REPLY_ENGINE_PIPELINE_CONVERSATION_H_

// ReplySelector: which reply variants to offer for the intents of a message,
// in which order, filled with the request's facts.
//
// For each intent, best first, its variants whose `when` holds are filled in
// (most specific first), each rendered only when it is needed; a variant
// whose placeholders cannot all be filled is skipped, and so is one whose
// text was already sent in the conversation. `fallback` variants are
// tried only when no other variant of the intent could be offered, and then
// only the first that fills is. The intents' lists are then interleaved, so
// with two intents the agent sees a reply for each before a second alternative
// for the first, up to the number asked for.
//
// Thread safety: a pure function over immutable inputs.
#ifndef REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_
#define REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/pack/pack.h"
#include "engine/render/placeholders.h"

namespace reply {

struct ChosenReply {
  int variant;
  std::string text;
};

// What happened to one variant, for explain. A variant whose condition
// holds but that was neither offered nor missing anything was not needed:
// enough replies had been chosen before it.
struct VariantDecision {
  int variant;
  Tri condition;
  bool offered;                      // rendered and among the replies
  std::vector<std::string> missing;  // placeholders without a value
  bool repeat = false;               // filled, but the text was already sent
};

// What a conversation changes in the choice (engine/pipeline/
// conversation.h); a request without history passes none.
struct ConversationChoice {
  // Parallel to `intents`: the facts to choose each intent's variants on
  // (the order's facts plus that intent's conversation facts).
  const std::vector<Facts>* intent_facts = nullptr;
  // True for a text already sent in the conversation: a reply that would
  // repeat it word for word is skipped like one that cannot be filled.
  std::function<bool(const std::string&)> already_sent;
};

// `intents` are indexes into pack.intents, best first. Appends decisions to
// *trace when it is not null. `shop_texts` (variant -> text) words variants
// the shop's own way (Shop::texts); null: the pack's texts.
std::vector<ChosenReply> ChooseReplies(
    const LocalePack& pack, const std::vector<int>& intents,
    const RenderInputs& inputs, int max, std::vector<VariantDecision>* trace,
    const ConversationChoice* conversation = nullptr,
    const std::map<int, ReplyTemplate>* shop_texts = nullptr);

}  // namespace reply

#endif  // REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_

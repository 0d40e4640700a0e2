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
// With a learned Ranking (ranking.h) each intent's variants are walked in
// the learned order instead of the author's; everything else is the same.
// The request path takes the order from the Ranking bound to the pack
// (learned_orders.h), which evaluated the variants' conditions on the way.
//
// Thread safety: a pure function over immutable inputs.
#ifndef REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_
#define REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pack/pack.h"
#include "engine/render/placeholders.h"
#include "engine/select/learned_orders.h"
#include "engine/select/ranking.h"

namespace reply {

struct ChosenReply {
  int variant;
  std::string text;
  int arm = -1;  // the wording experiment's arm rendered; -1: none
};

// The arm of `variant`'s wording experiment that a conversation gets: a
// stable hash of the variant id and the conversation id, spread over the
// arms by their weights, so a buyer never sees two wordings of one reply
// and each variant's split is independent of the others'. Without a
// conversation id: the first arm (the control), and -1 (not counted in the
// experiment); -1 too for a variant with no experiment.
int ChooseArm(const Variant& variant, std::string_view conversation_id);

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

// The learned order to walk variants in (none: the author's).
struct LearnedOrder {
  const Ranking* ranking = nullptr;
  std::string_view shop;  // whose evidence, when it has enough; "" pooled
  // When not null, per intent (parallel to `intents`) how its variants
  // were ranked, for explain.
  std::vector<std::vector<RankDecision>>* trace = nullptr;
  // `ranking` bound to the pack (learned_orders.h): the same order without
  // a trace, cheaply. Null: Ranking::Order.
  const LearnedOrders* orders = nullptr;
};

// What a request adds to the choice beyond its facts; each may be absent.
struct ChoiceOptions {
  // Explain's record of each variant's fate (appended to); null: none.
  std::vector<VariantDecision>* trace = nullptr;
  const ConversationChoice* conversation = nullptr;  // null: no history
  const LearnedOrder* learned = nullptr;             // null: the author's order
  std::string_view conversation_id;                  // picks experiment arms
  // Variant -> text: the shop's own wording (Shop::texts); null: the
  // pack's texts.
  const std::map<int, ReplyTemplate>* shop_texts = nullptr;
};

// At most `max` replies for `intents` (indexes into pack.intents, best
// first).
std::vector<ChosenReply> ChooseReplies(const LocalePack& pack,
                                       const std::vector<int>& intents,
                                       const RenderInputs& inputs, int max,
                                       const ChoiceOptions& options = {});

}  // namespace reply

#endif  // REPLY_ENGINE_SELECT_REPLY_SELECTOR_H_

// ExtractSlots: the values the buyer said that the request's intents
// capture (the size they want, an order number), from the message and the
// buyer's earlier turns, validated by the pack's slot definitions.
//
//   if (NeedsSlots(lp, intents)) {
//     Slots slots = ExtractSlots(lp, normalizer, request.history,
//                                request.message, intents);
//     facts.set_slots(&slots);   // for {{slots.size}} and `when`
//   }
//
// Only the captures of the intents being answered run (SlotCapture), over
// every buyer turn, oldest first, then the message: a slot said again
// replaces what was said before ("换XL" ... "还是换L吧": L), also within
// one text (the last match wins: "42码小了换43" captures 43 when the
// capture is written after 换). A value the slot's definition does not
// accept (a shoe size 99) is no value, and an earlier valid one stands.
//
// Cost: one normalization with offsets and one RE2 search per capture per
// buyer turn; a request whose intents capture nothing never calls this.
//
// Thread safety: a pure function over immutable inputs.
#ifndef REPLY_ENGINE_PIPELINE_SLOT_EXTRACTOR_H_
#define REPLY_ENGINE_PIPELINE_SLOT_EXTRACTOR_H_

#include <string_view>
#include <vector>

#include "engine/normalize/normalizer.h"
#include "engine/order/slots.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/request.h"

namespace reply {

// Whether any of `intents` (indexes into lp.intents) captures a slot.
bool NeedsSlots(const LocalePack& lp, const std::vector<int>& intents);

Slots ExtractSlots(const LocalePack& lp, const Normalizer& normalizer,
                   const std::vector<Turn>& history, std::string_view message,
                   const std::vector<int>& intents);

}  // namespace reply

#endif  // REPLY_ENGINE_PIPELINE_SLOT_EXTRACTOR_H_

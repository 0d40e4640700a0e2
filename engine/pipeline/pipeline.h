// RunPipeline: one request through every stage, on one pack snapshot:
// normalize -> match intents -> derive facts -> choose replies -> render
// (and convert to Traditional for buyers who write it).
//
// Engine::Suggest (engine/engine.h, which sits above this) validates the
// request and calls this; Engine::Explain
// (for replyctl explain) calls it with a Trace to see inside.
//
// Thread safety: a pure function over immutable inputs; scratch buffers are
// per thread.
#ifndef REPLY_ENGINE_PIPELINE_PIPELINE_H_
#define REPLY_ENGINE_PIPELINE_PIPELINE_H_

#include <memory>
#include <vector>

#include "engine/base/status.h"
#include "engine/base/time.h"
#include "engine/match/intent_matcher.h"
#include "engine/normalize/normalizer.h"
#include "engine/order/facts.h"
#include "engine/order/slots.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/request.h"
#include "engine/select/reply_selector.h"

namespace reply {

// Everything a request went through, for explain. Pattern, intent and
// variant numbers index into *locale_pack.
struct Trace {
  NormalizedText normalized;  // with offsets into `text`
  // What was matched: the message, or (with a history) the buyer's turns
  // since the last agent turn and the message, joined by newlines.
  std::string text;
  std::vector<int> matched_patterns;  // match and exclude patterns
  std::vector<int> intents;           // chosen, best first
  // Parallel to `intents`: the resolve_by_order rules that turned the
  // match into the intent, in the order they held (empty: matched as
  // itself, or without_order).
  struct Resolution {
    std::vector<const OrderResolution*> rules;
  };
  std::vector<Resolution> resolutions;
  Facts facts;
  // With a history, parallel to `intents`: the facts each intent's variants
  // were chosen on (facts plus its conversation facts). Empty without.
  std::vector<Facts> intent_facts;
  std::vector<VariantDecision> variants;  // in the order they were considered
  // With a learned ranking, parallel to `intents`: how each intent's
  // variants were ranked, in learned order. Empty without one.
  std::vector<std::vector<RankDecision>> ranks;
  // The slots the buyer said that the intents capture, each with the turn
  // and words it came from (slot_extractor.h).
  Slots slots;
  const LocalePack* locale_pack = nullptr;
  // The policy the request was answered under (the shop's, or shop.yaml's),
  // inside `pack`.
  const ShopPolicy* shop = nullptr;
  // Set by Engine::Explain: the snapshot locale_pack points into, and the
  // clock the facts were derived at.
  std::shared_ptr<const Pack> pack;
  std::shared_ptr<const Ranking> ranking;  // none: the authors' order
  UnixSeconds now = 0;
};

// `ranking` (none: the author's order) reorders each intent's variants by
// what agents did with them, on the request's shop's evidence when it has
// enough (engine/select/ranking.h). `orders`, when given, is `ranking`
// bound to `pack` (engine/select/learned_orders.h): the same order, cheaper.
Result<Response> RunPipeline(const Pack& pack, const Request& request,
                             UnixSeconds now, Trace* trace = nullptr,
                             const Ranking* ranking = nullptr,
                             const LearnedOrders* orders = nullptr);

}  // namespace reply

#endif  // REPLY_ENGINE_PIPELINE_PIPELINE_H_

#include "engine/select/reply_selector.h"

#include <algorithm>

namespace reply {
namespace {

// Walks one intent's variants in the order they are offered, filling each
// only when the caller asks for the intent's next reply: a request for three
// suggestions renders three templates (plus any that cannot be filled), not
// every variant that holds.
class IntentCursor {
 public:
  IntentCursor(const LocalePack& pack, int intent, const RenderInputs& inputs,
               std::vector<VariantDecision>* trace,
               const std::function<bool(const std::string&)>* already_sent,
               const std::map<int, ReplyTemplate>* shop_texts)
      : pack_(pack),
        order_(pack.variants_of[intent]),
        inputs_(inputs),
        trace_(trace),
        already_sent_(already_sent),
        shop_texts_(shop_texts) {}

  // The intent's next reply; false when it has no more.
  bool Next(ChosenReply* out) {
    while (!done_) {
      if (next_ == order_.size()) {
        // Fallbacks stand in for the intent's real replies: one at most,
        // and only when nothing else could be offered.
        if (fallback_pass_ || offered_any_) {
          done_ = true;
          break;
        }
        fallback_pass_ = true;
        next_ = 0;
        continue;
      }
      const int v = order_[next_++];
      const Variant& variant = pack_.variants[v];
      if (variant.fallback != fallback_pass_) continue;
      const Tri holds = variant.when.Evaluate(*inputs_.facts);
      VariantDecision decision{v, holds, false, {}, false};
      bool offered = false;
      if (holds == Tri::kTrue) {
        std::string text;
        const bool filled =
            TextOf(v, variant).Render(inputs_, &text, &decision.missing);
        decision.repeat =
            filled && already_sent_ != nullptr && (*already_sent_)(text);
        if (filled && !decision.repeat) {
          *out = {v, std::move(text)};
          offered = decision.offered = true;
          offered_any_ = true;
          done_ = fallback_pass_;
        }
      }
      Record(std::move(decision));
      if (offered) return true;
    }
    return false;
  }

  // For explain: the variants never reached, with their conditions, once
  // enough replies were chosen.
  void RecordUnreached() {
    if (trace_ == nullptr) return;
    for (size_t i = done_ ? order_.size() : next_; i < order_.size(); ++i) {
      const Variant& variant = pack_.variants[order_[i]];
      if (variant.fallback != fallback_pass_) continue;
      Record(
          {order_[i], variant.when.Evaluate(*inputs_.facts), false, {}, false});
    }
  }

 private:
  const ReplyTemplate& TextOf(int v, const Variant& variant) const {
    if (shop_texts_ != nullptr) {
      auto it = shop_texts_->find(v);
      if (it != shop_texts_->end()) return it->second;
    }
    return variant.text;
  }

  void Record(VariantDecision decision) {
    if (trace_ != nullptr) trace_->push_back(std::move(decision));
  }

  const LocalePack& pack_;
  const std::vector<int>& order_;
  const RenderInputs inputs_;  // a copy: its facts may be the intent's own
  std::vector<VariantDecision>* trace_;
  const std::function<bool(const std::string&)>* already_sent_;
  const std::map<int, ReplyTemplate>* shop_texts_;
  size_t next_ = 0;
  bool fallback_pass_ = false;
  bool offered_any_ = false;
  bool done_ = false;
};

}  // namespace

std::vector<ChosenReply> ChooseReplies(
    const LocalePack& pack, const std::vector<int>& intents,
    const RenderInputs& inputs, int max, std::vector<VariantDecision>* trace,
    const ConversationChoice* conversation,
    const std::map<int, ReplyTemplate>* shop_texts) {
  std::vector<IntentCursor> cursors;
  cursors.reserve(intents.size());
  const std::function<bool(const std::string&)>* already_sent =
      conversation != nullptr && conversation->already_sent
          ? &conversation->already_sent
          : nullptr;
  for (size_t i = 0; i < intents.size(); ++i) {
    RenderInputs own = inputs;
    if (conversation != nullptr && conversation->intent_facts != nullptr) {
      own.facts = &(*conversation->intent_facts)[i];
    }
    cursors.emplace_back(pack, intents[i], own, trace, already_sent,
                         shop_texts);
  }
  std::vector<ChosenReply> out;
  // Round robin: the best reply of each intent before a second of any.
  bool any = true;
  while (any && static_cast<int>(out.size()) < max) {
    any = false;
    for (IntentCursor& cursor : cursors) {
      if (static_cast<int>(out.size()) == max) break;
      ChosenReply reply;
      if (cursor.Next(&reply)) {
        out.push_back(std::move(reply));
        any = true;
      }
    }
  }
  for (IntentCursor& cursor : cursors) cursor.RecordUnreached();
  return out;
}

}  // namespace reply

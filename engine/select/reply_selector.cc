#include "engine/select/reply_selector.h"

#include <algorithm>
#include <array>

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
               const int* learned_order, const Tri* learned_holds,
               std::string_view conversation_id,
               const std::map<int, ReplyTemplate>* shop_texts)
      : pack_(pack),
        conversation_id_(conversation_id),
        order_(learned_order != nullptr ? learned_order
                                        : pack.variants_of[intent].data()),
        size_(pack.variants_of[intent].size()),
        holds_(learned_holds),
        inputs_(inputs),
        trace_(trace),
        already_sent_(already_sent),
        shop_texts_(shop_texts) {}

  // The intent's next reply; false when it has no more.
  bool Next(ChosenReply* out) {
    while (!done_) {
      if (next_ == size_) {
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
      const size_t at = next_++;
      const int v = order_[at];
      const Variant& variant = pack_.variants[v];
      if (variant.fallback != fallback_pass_) continue;
      // The learned order evaluated the ordinary variants' conditions
      // already; kUnknown may be one, or not evaluated: evaluate again.
      const Tri holds = holds_ != nullptr && holds_[at] != Tri::kUnknown
                            ? holds_[at]
                            : variant.when.Evaluate(*inputs_.facts);
      VariantDecision decision{v, holds, false, {}, false};
      bool offered = false;
      if (holds == Tri::kTrue) {
        std::string text;
        int arm = -1;
        const bool filled =
            TextOf(v, variant, &arm).Render(inputs_, &text, &decision.missing);
        decision.repeat =
            filled && already_sent_ != nullptr && (*already_sent_)(text);
        if (filled && !decision.repeat) {
          *out = {v, std::move(text), arm};
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
    for (size_t i = done_ ? size_ : next_; i < size_; ++i) {
      const Variant& variant = pack_.variants[order_[i]];
      if (variant.fallback != fallback_pass_) continue;
      Record(
          {order_[i], variant.when.Evaluate(*inputs_.facts), false, {}, false});
    }
  }

 private:
  // The shop's own wording of variant v when it has one (not part of any
  // experiment: *arm stays -1), else the arm this conversation gets, else
  // the pack's text.
  const ReplyTemplate& TextOf(int v, const Variant& variant, int* arm) const {
    if (shop_texts_ != nullptr) {
      auto it = shop_texts_->find(v);
      if (it != shop_texts_->end()) return it->second;
    }
    *arm = ChooseArm(variant, conversation_id_);
    return variant.arms.empty() ? variant.text
                                : variant.arms[std::max(*arm, 0)].text;
  }

  void Record(VariantDecision decision) {
    if (trace_ != nullptr) trace_->push_back(std::move(decision));
  }

  const LocalePack& pack_;
  std::string_view conversation_id_;
  // The variants in the order walked: the pack's (the author's) or the
  // learned one, which ChooseReplies keeps for the cursor's lifetime.
  const int* order_;
  size_t size_;
  const Tri* holds_;           // parallel to order_ when known; null: evaluate
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

int ChooseArm(const Variant& variant, std::string_view conversation_id) {
  if (variant.arms.empty() || conversation_id.empty()) return -1;
  // FNV-1a, 64 bits: stable across builds and machines (std::hash is not).
  uint64_t h = 1469598103934665603ull;
  const auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(variant.id);
  mix(std::string_view("\0", 1));
  mix(conversation_id);
  uint64_t total = 0;
  for (const Arm& arm : variant.arms)
    total += static_cast<uint64_t>(arm.weight);
  uint64_t at = h % total;
  for (size_t i = 0; i < variant.arms.size(); ++i) {
    const uint64_t w = static_cast<uint64_t>(variant.arms[i].weight);
    if (at < w) return static_cast<int>(i);
    at -= w;
  }
  return 0;  // not reached: at < total
}

std::vector<ChosenReply> ChooseReplies(const LocalePack& pack,
                                       const std::vector<int>& intents,
                                       const RenderInputs& inputs, int max,
                                       const ChoiceOptions& options) {
  const ConversationChoice* conversation = options.conversation;
  const LearnedOrder* learned = options.learned;
  std::vector<IntentCursor> cursors;
  cursors.reserve(intents.size());
  const std::function<bool(const std::string&)>* already_sent =
      conversation != nullptr && conversation->already_sent
          ? &conversation->already_sent
          : nullptr;
  // The learned orders of every intent, one after the other: on the stack
  // when they fit (a message has one to three intents of a dozen variants).
  const bool learning = learned != nullptr && learned->ranking != nullptr;
  std::array<int, 128> order_stack;
  std::array<Tri, 128> holds_stack;
  std::vector<int> order_heap;
  std::vector<Tri> holds_heap;
  int* orders = order_stack.data();
  Tri* holds = holds_stack.data();
  if (learning) {
    size_t total = 0;
    for (int intent : intents) total += pack.variants_of[intent].size();
    if (total > order_stack.size()) {
      order_heap.resize(total);
      holds_heap.resize(total);
      orders = order_heap.data();
      holds = holds_heap.data();
    }
  }
  if (learning && learned->trace != nullptr) {
    learned->trace->resize(intents.size());
  }
  size_t used = 0;
  for (size_t i = 0; i < intents.size(); ++i) {
    RenderInputs own = inputs;
    if (conversation != nullptr && conversation->intent_facts != nullptr) {
      own.facts = &(*conversation->intent_facts)[i];
    }
    const int* order = nullptr;
    const Tri* order_holds = nullptr;
    if (learning) {
      const std::vector<int>& author = pack.variants_of[intents[i]];
      int* out = orders + used;
      Tri* out_holds = holds + used;
      used += author.size();
      LearnedOrders::Result fast = LearnedOrders::Result::kUnknown;
      if (learned->orders != nullptr && learned->trace == nullptr) {
        fast = learned->orders->Order(pack, intents[i], learned->shop,
                                      *own.facts, out, out_holds);
      }
      if (fast == LearnedOrders::Result::kLearned) {
        order = out;
        order_holds = out_holds;
      } else if (fast == LearnedOrders::Result::kUnknown) {
        // Explain's trace, or no snapshot bound to this pack.
        std::vector<RankDecision>* ranks =
            learned->trace != nullptr ? &(*learned->trace)[i] : nullptr;
        const Facts& facts = *own.facts;
        std::vector<int> learned_order;
        learned->ranking->Order(
            pack, learned->shop, author,
            [&](int v) {
              return pack.variants[v].when.Evaluate(facts) == Tri::kTrue;
            },
            &learned_order, ranks);
        std::copy(learned_order.begin(), learned_order.end(), out);
        order = out;
      }
    }
    cursors.emplace_back(pack, intents[i], own, options.trace, already_sent,
                         order, order_holds, options.conversation_id,
                         options.shop_texts);
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

// Pack: one loaded, validated set of knowledge packs (intents, reply
// templates and the shop policy) — the immutable snapshot the engine serves.
//
// A Pack is built by LoadPack (pack_loader.h) and never changes afterwards;
// reloading builds a new Pack and the engine swaps the pointer, so requests
// in flight finish on the snapshot they started with.
//
// Thread safety: immutable; share it through std::shared_ptr<const Pack>.
#ifndef REPLY_ENGINE_PACK_PACK_H_
#define REPLY_ENGINE_PACK_PACK_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/condition/condition.h"
#include "engine/match/intent_matcher.h"
#include "engine/normalize/abbreviations.h"
#include "engine/normalize/dialect_words.h"
#include "engine/normalize/normalizer.h"
#include "engine/order/shop_policy.h"
#include "engine/pack/lexicon.h"
#include "engine/pack/source_ref.h"
#include "engine/render/reply_template.h"

namespace reply {

struct PatternDecl {
  std::string text;  // as written by the author
  // As matched: concepts expanded (Lexicon), then Normalizer::FoldPattern.
  std::string folded;
  PatternKind kind;
  double score;
  int intent;
  SourceRef where;
};

// One rule of a vague intent: with an order for which `when` holds, the
// message is answered as `intent` ("帮我催催" on a paid order is urging).
struct OrderResolution {
  Condition when;
  int intent = -1;
  SourceRef where;
};

// A kind of value buyers say that replies quote and `when` tests
// ({{slots.size}}, slots.size >= 40): which values are valid. A captured
// value is valid when it is one of `values` (compared as normalized: "xl"
// is XL), a whole number within [min, max], or a whole match of `pattern`;
// an invalid one (a size 99) is not a slot. docs/authoring.md#slots.
struct SlotDef {
  std::string name;  // "size": quoted as slots.size
  std::string doc;
  std::vector<std::string> values;         // quoted as written here ("XL")
  std::vector<std::string> folded_values;  // parallel: as normalized keys
  std::optional<double> min, max;          // a whole-number range
  // Matched against the capture's normalized text; the value quoted is
  // what the buyer wrote there ("E2026112500123").
  std::shared_ptr<const RE2> pattern;
  SourceRef where;
};

// A pattern of an intent that captures slots: each named group
// (?P<size>...) is a slot of the locale. Run only when its intent is among
// the request's, over the message and the buyer's earlier turns.
struct SlotCapture {
  std::string text;  // as written
  std::shared_ptr<const RE2> re;
  // (RE2 group number, index into LocalePack::slots) per named group.
  std::vector<std::pair<int, int>> groups;
  SourceRef where;
};

struct IntentDef {
  std::string id;
  // What an agent calls it ("催发货"), in the pack's locale; shown by a
  // console instead of the id. Empty when the pack gives none (lint warns).
  std::string label;
  std::string description;
  int priority = 0;
  bool handoff = false;
  // Its patterns mark a follow-up ("那大概什么时候到", "vậy còn bao lâu"):
  // in a conversation, a message that matches only follow-up intents is
  // answered as the topic of the last exchange (docs/authoring.md).
  bool follow_up = false;
  // False for intents that are no topic to follow up on (a greeting, a
  // thanks): "在吗" then "那还要多久" has nothing to continue.
  bool topic = true;
  // A proactive intent: suggested from the order alone when the condition
  // holds, instead of from patterns in a message.
  std::optional<Condition> trigger;
  // Resolved by the order: the first rule that holds names the intent
  // that answers; with no order, `without_order` does (-1: the intent
  // answers itself, as it does when no rule holds). The answering intent's
  // own rules apply in turn (the loader refuses a cycle), so a vague
  // question on a paid order is urging, and urging on a delivered order is
  // a parcel not received.
  std::vector<OrderResolution> resolve_by_order;
  int without_order = -1;
  // Indexes into LocalePack::captures: the slots its replies may quote.
  std::vector<int> captures;
  std::vector<std::string> examples;
  std::vector<std::string> counter_examples;
  // Where each example and counter-example is written (same order), so a
  // failing one is reported at its own line.
  std::vector<SourceRef> example_where;
  std::vector<SourceRef> counter_example_where;
  SourceRef where;
};

// One wording of a variant under test (a wording experiment, `arms:` in
// the templates file; docs/learning.md).
struct Arm {
  std::string id;  // "short", unique in the variant
  int weight = 1;  // its share of conversations: weight / sum of weights
  ReplyTemplate text;
  SourceRef where;
};

struct Variant {
  std::string id;     // "urge_shipment.overdue"
  std::string label;  // "超时：道歉并补偿", as IntentDef::label
  int intent;
  Condition when;
  bool fallback = false;  // offered only when no other variant is
  bool handoff = false;   // the chat should go to a person
  ReplyTemplate text;     // with arms: the first arm's (the control)
  SourceRef where;
  // A wording experiment: two or more arms, the first the control; each
  // conversation gets one arm (ChooseArm, engine/select). Empty: none.
  std::vector<Arm> arms;
};

struct LocalePack {
  std::string locale;
  std::vector<IntentDef> intents;
  std::vector<PatternDecl> patterns;  // index = pattern id in `matcher`
  std::vector<Variant> variants;
  // Per intent, its variants, most specific first (file order on ties).
  std::vector<std::vector<int>> variants_of;
  // Shared with other snapshots of the same patterns (MatcherCache).
  std::shared_ptr<const IntentMatcher> matcher;
  // The patterns of the hand-off intents alone (intent numbers as in
  // `matcher`): a conversation's earlier turns are searched for a threat
  // or a complaint without running every intent's prefilter.
  std::shared_ptr<const IntentMatcher> handoff_matcher;
  Lexicon lexicon;  // the concepts patterns use as {name}
  std::vector<SlotDef> slots;
  std::vector<SlotCapture> captures;
  // How buyers shorten words, applied to every message after Normalize,
  // and where each of its rules is written.
  Abbreviations abbreviations;
  std::vector<SourceRef> abbreviation_where;
  // How a region's buyers write the locale's words (Hong Kong's Cantonese
  // in zh), applied after the abbreviations, and where each rule is
  // written.
  DialectWords dialect;
  std::vector<SourceRef> dialect_where;

  // The key patterns are matched against: `message` normalized, then
  // WriteOut. `key` keeps offsets when asked for them.
  void Normalize(std::string_view message, const Normalizer& normalizer,
                 NormalizedText* key, bool with_offsets = false) const;
  // On `key`, `message` normalized: its abbreviations and dialect words
  // written out as the words patterns name.
  void WriteOut(std::string_view message, const Normalizer& normalizer,
                NormalizedText* key) const;

  // Index of the intent, or -1.
  int FindIntent(std::string_view id) const;
  // Index of the slot, or -1.
  int FindSlot(std::string_view name) const;
};

// One shop served by the packs (shops/<id>.yaml): its policy, which is
// shop.yaml's with the file's `policy` keys over it, and the reply variants
// whose text it words its own way.
struct Shop {
  std::string id;  // the file's name without .yaml
  ShopPolicy policy;
  // Per locale: variant index (into LocalePack::variants) -> its text.
  std::map<std::string, std::map<int, ReplyTemplate>, std::less<>> texts;
  SourceRef where;

  // The shop's text of a variant, or null: the pack's.
  const ReplyTemplate* TextOf(std::string_view locale, int variant) const;
};

struct Pack {
  std::string dir;
  std::string version;  // a hash of every file read
  ShopPolicy shop;      // shop.yaml: the default shop's policy
  std::map<std::string, Shop, std::less<>> shops;
  std::vector<LocalePack> locales;
  const Normalizer* normalizer = nullptr;

  const LocalePack* Find(std::string_view locale) const;
  // The shop with this id, or null.
  const Shop* FindShop(std::string_view id) const;
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_PACK_H_

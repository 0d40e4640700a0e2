// Request and Response: what goes into the engine and what comes out, as
// plain values. The façade (engine/engine.h) takes and returns them, the
// pipeline (pipeline.h) fills them, the JSON codec (engine/api/json_codec.h)
// reads and writes them; docs/api.md is their JSON form.
//
//   Request request;
//   request.message = "怎么还不发货";
//   request.max = 2;
//   // -> Response{.intents = {{"urge_shipment", ...}},
//   //             .suggestions = {{"urge_shipment", "urge_shipment.overdue",
//   //                              "亲，非常抱歉…"}, ...}}
//
//   if (Status s = ValidateRequest(request); !s.ok()) return s;
//
// A request may carry the conversation so far (`history`, oldest first):
// the engine reads it to understand fragments, follow-ups and repeated asks
// (engine/pipeline/conversation.h). The server stays stateless: the client
// sends the history with each request.
//
// Limits: a message is at most Request::kMaxMessageBytes of UTF-8, a request
// asks for at most Request::kMaxSuggestions suggestions. A history has at
// most Request::kMaxHistoryTurns turns whose texts total at most
// Request::kMaxHistoryBytes (Salesforce's reply recommendations read the
// last 20 messages; 16 KiB is 20 turns of 800 bytes, long chat messages),
// each text at most kMaxMessageBytes.
//
// Thread safety: plain values.
#ifndef REPLY_ENGINE_PIPELINE_REQUEST_H_
#define REPLY_ENGINE_PIPELINE_REQUEST_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/base/enum_table.h"
#include "engine/base/status.h"
#include "engine/base/time.h"
#include "engine/normalize/normalizer.h"
#include "engine/order/order.h"

namespace reply {

// Who wrote a turn of the conversation.
enum class Role : uint8_t { kBuyer, kAgent, kSystem };
inline constexpr EnumName<Role> kRoleNames[] = {{Role::kBuyer, "buyer"},
                                                {Role::kAgent, "agent"},
                                                {Role::kSystem, "system"}};
static_assert(InEnumOrder(kRoleNames));

// One earlier turn of the conversation.
struct Turn {
  static constexpr size_t kMaxTemplateIdBytes = 128;

  Role role = Role::kBuyer;
  std::string text;
  std::optional<UnixSeconds> at;  // when it was sent; absent: not known
  // An agent turn that was one of our suggestions: its template id
  // ("urge_shipment.overdue"), so the engine knows what was already said.
  std::string template_id;
};

struct Request {
  static constexpr size_t kMaxMessageBytes = 8192;
  static constexpr int kMaxSuggestions = 10;
  static constexpr size_t kMaxHistoryTurns = 20;
  static constexpr size_t kMaxHistoryBytes = 16 * 1024;

  std::string message;             // required unless `trigger`
  std::optional<Order> order;      // absent: replies that ask for the order
  std::string locale;              // "zh", "vi"; empty: chosen by the script
  int max = 3;                     // suggestions wanted, 1..kMaxSuggestions
  std::optional<UnixSeconds> now;  // pins the clock (tests always do)
  // Proactive: no message; suggest what the shop should tell the buyer
  // about this order now (shipping will be late, stock ran out, ...).
  bool trigger = false;
  // What the JSON codec ignored but the caller likely meant: unknown order
  // fields, near misses of request fields ("order.paidAt: unknown field,
  // ignored (did you mean 'paid_at'?)"). The response repeats them.
  std::vector<std::string> warnings;
  // The conversation before `message`, oldest first; empty: the message is
  // judged alone.
  std::vector<Turn> history;
  // Who the buyer is, for wording experiments: one conversation always
  // gets the same arm (engine/select/reply_selector.h ChooseArm). Empty:
  // the first arm, not counted.
  std::string conversation_id;
  // The shop answering (Pack::shops, shops/<id>.yaml): its policy and reply
  // texts. Empty: shop.yaml's. Not in the JSON request: the server sets it
  // from the client's token, replyctl from --shop.
  std::string shop;
};

struct IntentMatch {
  std::string name;
  double score = 0;
  std::string pattern;  // where the matching pattern is: "intents/zh/x.yaml:12"
  // Set when the message matched a vague intent ("帮我催催": `asked`) that
  // the pack resolves to `name`: by the order's state (`resolved_by` is
  // "order") or, with no order, to its likeliest meaning ("without_order").
  // resolved_by is "follow_up" when the message only matched a follow-up
  // intent (`asked`) and continues the topic of the last exchange (`name`).
  std::string asked;
  std::string resolved_by;
  // The history turn (index) the intent was matched in, when it was an
  // earlier fragment of the buyer's ask rather than the message; -1: the
  // message.
  int turn = -1;
};

struct Suggestion {
  std::string intent;
  std::string template_id;  // "urge_shipment.overdue"
  std::string text;
  bool handoff = false;  // hand the chat to a person
  // The arm of the template's wording experiment this text is; empty: the
  // template has none, or the request no conversation_id.
  std::string arm;
};

struct Response {
  std::string normalized;
  Script script = Script::kUnknown;
  std::string locale;
  std::vector<IntentMatch> intents;
  std::vector<Suggestion> suggestions;
  std::string pack_version;
  std::vector<std::string> warnings;  // the request's (Request::warnings)
};

// The request's limits and rules beyond the types of its fields (docs/api.md):
// a trigger carries an order and no message, the message is valid UTF-8 of
// at most kMaxMessageBytes (else too_large), max is 1..kMaxSuggestions, the
// history within its limits with every text valid UTF-8 (else bad_request
// naming the turn: "history[3].text: ..."). The one validator: the engine, the JSON codec and replyd all call it.
Status ValidateRequest(const Request& request);

}  // namespace reply

#endif  // REPLY_ENGINE_PIPELINE_REQUEST_H_

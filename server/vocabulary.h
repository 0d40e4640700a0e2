// The words of replyd's protocol (docs/protocol.md) that more than the
// protocol uses: the message types (counted by Metrics) and the feedback
// actions (stored by FeedbackStore, counted by Metrics). Error codes are the
// engine's (engine/base/error_code.h). Each name is written once, in its
// table; counts come from the tables.
//
//   MessageTypeName(MessageType::kDoneSending);   // "done_sending"
//   ParseFeedbackAction("edited");                // FeedbackAction::kEdited
//   std::array<int, kMessageTypes> per_type;      // one per message type
//
// Thread safety: constexpr tables.
#ifndef REPLY_SERVER_VOCABULARY_H_
#define REPLY_SERVER_VOCABULARY_H_

#include <iterator>
#include <optional>
#include <string_view>

#include "engine/base/enum_table.h"

namespace reply::server {

enum class MessageType {
  kSuggest,
  kTrigger,
  kExplain,  // a suggest frame answered with why (the console's why panel)
  kFeedback,
  kReload,
  kDoneSending,  // the client will send nothing more on this connection
};
inline constexpr EnumName<MessageType> kMessageTypeNames[] = {
    {MessageType::kSuggest, "suggest"},
    {MessageType::kTrigger, "trigger"},
    {MessageType::kExplain, "explain"},
    {MessageType::kFeedback, "feedback"},
    {MessageType::kReload, "reload"},
    {MessageType::kDoneSending, "done_sending"},
};
static_assert(InEnumOrder(kMessageTypeNames));
inline constexpr int kMessageTypes =
    static_cast<int>(std::size(kMessageTypeNames));

constexpr std::string_view MessageTypeName(MessageType type) {
  return NameOf(kMessageTypeNames, type);
}

// What an agent did with a suggestion (docs/protocol.md, "feedback").
enum class FeedbackAction {
  kAccepted,  // sent as is
  kEdited,    // sent after changes
  kRejected,  // not sent
  kIgnored,   // not sent: the agent answered otherwise
  kShown,     // displayed by a console; not an answer
  kOwnReply,  // the agent's own text, with the intent that was showing
};
inline constexpr EnumName<FeedbackAction> kFeedbackActionNames[] = {
    {FeedbackAction::kAccepted, "accepted"},
    {FeedbackAction::kEdited, "edited"},
    {FeedbackAction::kRejected, "rejected"},
    {FeedbackAction::kIgnored, "ignored"},
    {FeedbackAction::kShown, "shown"},
    {FeedbackAction::kOwnReply, "own_reply"},
};
static_assert(InEnumOrder(kFeedbackActionNames));

// A final action answers the suggestion: it takes at most one (repeating it
// is a resend, another one a conflict). `shown` may come before it;
// `own_reply` is about the conversation, not one suggestion.
constexpr bool IsFinalAction(FeedbackAction action) {
  return action == FeedbackAction::kAccepted ||
         action == FeedbackAction::kEdited ||
         action == FeedbackAction::kRejected ||
         action == FeedbackAction::kIgnored;
}

constexpr std::string_view FeedbackActionName(FeedbackAction action) {
  return NameOf(kFeedbackActionNames, action);
}
constexpr std::optional<FeedbackAction> ParseFeedbackAction(
    std::string_view name) {
  return FromName(kFeedbackActionNames, name);
}

}  // namespace reply::server

#endif  // REPLY_SERVER_VOCABULARY_H_

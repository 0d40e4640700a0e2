// The wire protocol of /ws (docs/protocol.md): decoding client frames into
// typed messages and encoding the server's answers. Pure functions: no I/O,
// no engine calls, so every rule of the format is testable on strings.
//
//   DecodedFrame frame =
//       DecodeFrame(R"({"type":"suggest","id":"r1","message":"在吗"})");
//   if (frame.error) Send(EncodeError(frame.id, *frame.error));
//
// Limits: a request id and a conversation id are at most kMaxIdBytes; a
// message at most Request::kMaxMessageBytes and a final text at most
// kMaxFinalTextBytes (over: error too_large). A feedback key is
// kMinFeedbackKeyBytes to kMaxFeedbackKeyBytes of A-Z a-z 0-9 - _ . :
// (else bad_request): it is unique across the whole feedback store, so it
// must be random (a UUID), not a counter. The frame as a whole is limited
// by the WebSocket layer (ServerConfig::max_frame_bytes, close 1009).
//
// Thread safety: pure functions.
#ifndef REPLY_SERVER_PROTOCOL_H_
#define REPLY_SERVER_PROTOCOL_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error_code.h"
#include "engine/base/status.h"
#include "engine/pipeline/request.h"
#include "server/suggestion_id.h"
#include "server/vocabulary.h"

namespace reply::server {

inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxFinalTextBytes = 16 * 1024;
inline constexpr size_t kMinFeedbackKeyBytes = 16;
inline constexpr size_t kMaxFeedbackKeyBytes = 128;

// The protocol's own top-level fields of a suggest or trigger frame, beside
// the engine's request fields (engine/api/json_codec.h): no warning names
// them.
inline constexpr std::string_view kSuggestFrameFields[] = {
    "type", "id", "conversation_id", "gloss"};

// The codes are the engine's (engine/base/error_code.h), those with `sent`.
struct WireError {
  ErrorCode code;
  std::string message;  // names the field or the reason; never buyer text
};
// An engine Status as a wire error (bad_request, bad_order, ...): the same
// code, except that one not sent to clients (io_error) is internal.
WireError FromStatus(const Status& status);

struct ClientMessage {
  MessageType type = MessageType::kSuggest;
  std::string id;
  // suggest, trigger and explain
  Request request;
  std::string conversation_id;
  // explain: the locale to gloss the suggestions in (the agent's); empty:
  // none
  std::string gloss;
  // feedback
  std::string suggestion_id;  // as the suggestions answer gave it
  FeedbackAction action = FeedbackAction::kAccepted;
  std::optional<std::string> final_text;
  std::optional<std::string> key;  // idempotency key; none from old clients
  // own_reply (no suggestion_id; conversation_id as above)
  std::string intent;  // the intent that was showing; empty: none
};

struct DecodedFrame {
  std::string id;  // echoed in errors; empty when the frame had none
  std::optional<MessageType> type;  // set once the type was read
  std::optional<WireError> error;
  ClientMessage message;  // valid when !error
};

// What is known of a frame's bytes. A WebSocket text frame is valid UTF-8:
// Beast checks it as it reads (RFC 6455 section 8.1) and closes the
// connection with 1007 otherwise, so its strings need no second check.
enum class FrameBytes : uint8_t {
  kUnchecked,  // any bytes: every string is checked
  kValidUtf8,  // the whole text is valid UTF-8, so is every string in it
};

// Decodes one frame. `bytes` kValidUtf8 is a promise about `text`; a frame
// that breaks it may decode with ill-formed UTF-8 in its strings.
DecodedFrame DecodeFrame(std::string_view text,
                         FrameBytes bytes = FrameBytes::kUnchecked);
// DecodeFrame without its fast path for suggest and trigger frames
// (server/suggest_frame_decoder.h): the JSON tree that decodes every frame
// and names every error. For tests comparing the two.
DecodedFrame DecodeFrameWithTree(std::string_view text);
// Only the request id of a frame ("" if it has no valid one): for answering
// a frame that is refused without being run.
std::string PeekId(std::string_view text);

// {"type":"suggestions","id":...,"suggestions":[{"suggestion_id":...}],...}
// `ids[i]` names `response.suggestions[i]`.
std::string EncodeSuggestions(std::string_view id, const Response& response,
                              const std::vector<std::string>& ids,
                              int64_t elapsed_us);
// {"type":"explanation","id":...,"explanation":{...}}: the answer to
// `explain`, the JSON of `replyctl explain --json` (engine/explain).
std::string EncodeExplanation(std::string_view id,
                              const nlohmann::ordered_json& explanation);
std::string EncodeAck(std::string_view id);
std::string EncodeError(std::string_view id, const WireError& error);
// {"type":"going_away","reason":"shutdown","close_within_ms":...}: the server
// is shutting down; it answers what it has received and closes with 1001
// within `close_within_ms`. Not an answer, so it has no id.
std::string EncodeGoingAway(int64_t close_within_ms);

}  // namespace reply::server

#endif  // REPLY_SERVER_PROTOCOL_H_

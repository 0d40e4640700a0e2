#include "server/protocol.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/api/json_parse.h"
#include "engine/api/json_writer.h"

namespace reply::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string BytesOverLimit(std::string_view field, size_t size, size_t limit) {
  return std::string(field) + ": " + std::to_string(size) +
         " bytes; the limit is " + std::to_string(limit);
}

// An optional string field: absent and null are "not given".
std::optional<WireError> ReadString(const json& frame, const char* field,
                                    size_t limit,
                                    std::optional<std::string>* out) {
  auto it = frame.find(field);
  if (it == frame.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    return WireError{ErrorCode::kBadRequest,
                     std::string(field) + ": expected a string"};
  }
  const std::string& value = it->get_ref<const std::string&>();
  if (value.size() > limit) {
    return WireError{ErrorCode::kTooLarge,
                     BytesOverLimit(field, value.size(), limit)};
  }
  *out = value;
  return std::nullopt;
}

std::optional<WireError> DecodeSuggest(json& frame, ClientMessage* m) {
  const bool trigger = m->type == MessageType::kTrigger;
  // The message type decides; a "trigger" field cannot turn one into the other.
  frame["trigger"] = trigger;
  if (auto it = frame.find("message");
      it != frame.end() && it->is_string() &&
      it->get_ref<const std::string&>().size() > Request::kMaxMessageBytes) {
    return WireError{
        ErrorCode::kTooLarge,
        BytesOverLimit("message", it->get_ref<const std::string&>().size(),
                       Request::kMaxMessageBytes)};
  }
  std::optional<std::string> conversation;
  if (auto e =
          ReadString(frame, "conversation_id", kMaxIdBytes, &conversation)) {
    return e;
  }
  m->conversation_id = conversation.value_or("");
  Result<Request> request = RequestFromJson(frame);
  if (!request.ok()) return FromStatus(request.status());
  m->request = std::move(*request);
  if (trigger && !m->request.order) {
    return WireError{ErrorCode::kBadRequest,
                     "order: a trigger request needs an order"};
  }
  return std::nullopt;
}

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
}

// The optional idempotency key of a feedback frame.
std::optional<WireError> ReadFeedbackKey(const json& frame,
                                         std::optional<std::string>* key) {
  auto it = frame.find("key");
  if (it == frame.end() || it->is_null()) return std::nullopt;
  const std::string* value = it->get_ptr<const std::string*>();
  if (value == nullptr || value->size() < kMinFeedbackKeyBytes ||
      value->size() > kMaxFeedbackKeyBytes ||
      !std::all_of(value->begin(), value->end(), IsKeyChar)) {
    return WireError{ErrorCode::kBadRequest,
                     "key: expected " + std::to_string(kMinFeedbackKeyBytes) +
                         " to " + std::to_string(kMaxFeedbackKeyBytes) +
                         " characters from A-Z a-z 0-9 - _ . : (a random "
                         "UUID is the intended form)"};
  }
  *key = *value;
  return std::nullopt;
}

std::optional<WireError> DecodeFeedback(const json& frame, ClientMessage* m) {
  std::optional<std::string> text;
  if (auto e = ReadString(frame, "suggestion_id", kMaxIdBytes, &text)) return e;
  if (!text) return WireError{ErrorCode::kBadRequest, "suggestion_id: missing"};
  std::optional<SuggestionId> id = SuggestionId::FromHex(*text);
  if (!id) {
    return WireError{
        ErrorCode::kBadRequest,
        "suggestion_id: expected the 32 hex digits of a suggestion"};
  }
  m->suggestion_id = *id;
  text.reset();
  if (auto e = ReadString(frame, "action", kMaxIdBytes, &text)) return e;
  std::optional<FeedbackAction> action =
      text ? ParseFeedbackAction(*text) : std::nullopt;
  if (!action) {
    return WireError{
        ErrorCode::kBadRequest,
        "action: expected \"accepted\", \"edited\" or \"rejected\""};
  }
  m->action = *action;
  if (auto e =
          ReadString(frame, "final_text", kMaxFinalTextBytes, &m->final_text)) {
    return e;
  }
  if (m->action == FeedbackAction::kEdited && !m->final_text) {
    return WireError{ErrorCode::kBadRequest,
                     "final_text: required when the action is \"edited\""};
  }
  return ReadFeedbackKey(frame, &m->key);
}

}  // namespace

std::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kSuggest:
      return "suggest";
    case MessageType::kTrigger:
      return "trigger";
    case MessageType::kFeedback:
      return "feedback";
    case MessageType::kReload:
      return "reload";
    case MessageType::kDoneSending:
      return "done_sending";
  }
  return "suggest";
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kBadOrder:
      return "bad_order";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kPackError:
      return "pack_error";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kConflict:
      return "conflict";
  }
  return "internal";
}

WireError FromStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kBadRequest:
      return {ErrorCode::kBadRequest, status.message()};
    case Status::Code::kBadOrder:
      return {ErrorCode::kBadOrder, status.message()};
    case Status::Code::kPackError:
      return {ErrorCode::kPackError, status.message()};
    default:
      return {ErrorCode::kInternal, status.message()};
  }
}

DecodedFrame DecodeFrame(std::string_view text) {
  DecodedFrame out;
  // The engine's parser names what is wrong: the byte of a syntax error,
  // the field of a number out of range (1e400).
  Result<json> parsed = ParseJson(text, "frame");
  if (!parsed.ok()) {
    out.error = WireError{ErrorCode::kBadRequest, parsed.status().message()};
    return out;
  }
  json& frame = *parsed;
  if (!frame.is_object()) {
    out.error =
        WireError{ErrorCode::kBadRequest, "frame: expected a JSON object"};
    return out;
  }
  std::optional<std::string> id;
  if (auto e = ReadString(frame, "id", kMaxIdBytes, &id)) {
    // Too long or not a string: not echoed, the error names it instead.
    out.error = std::move(e);
    return out;
  }
  if (!id) {
    out.error = WireError{ErrorCode::kBadRequest, "id: missing"};
    return out;
  }
  // An empty id cannot be echoed: errors write a missing id as null, so an
  // error and a success for the same frame would name it differently.
  if (id->empty()) {
    out.error = WireError{ErrorCode::kBadRequest,
                          "id: empty; every frame needs a non-empty id for "
                          "its answer to echo"};
    return out;
  }
  out.id = *id;
  ClientMessage& m = out.message;
  m.id = *id;
  std::optional<std::string> type;
  if (auto e = ReadString(frame, "type", kMaxIdBytes, &type)) {
    out.error = std::move(e);
    return out;
  }
  static constexpr MessageType kTypes[] = {
      MessageType::kSuggest, MessageType::kTrigger, MessageType::kFeedback,
      MessageType::kReload, MessageType::kDoneSending};
  bool known = false;
  for (MessageType t : kTypes) {
    if (type && *type == MessageTypeName(t)) {
      m.type = t;
      known = true;
    }
  }
  if (!known) {
    out.error =
        WireError{ErrorCode::kBadRequest,
                  "type: expected \"suggest\", \"trigger\", \"feedback\", "
                  "\"reload\" or \"done_sending\""};
    return out;
  }
  out.type = m.type;
  switch (m.type) {
    case MessageType::kSuggest:
    case MessageType::kTrigger:
      out.error = DecodeSuggest(frame, &m);
      break;
    case MessageType::kFeedback:
      out.error = DecodeFeedback(frame, &m);
      break;
    case MessageType::kReload:
    case MessageType::kDoneSending:
      break;
  }
  return out;
}

std::string PeekId(std::string_view text) {
  const json frame = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!frame.is_object()) return "";
  auto it = frame.find("id");
  if (it == frame.end() || !it->is_string()) return "";
  const std::string& id = it->get_ref<const std::string&>();
  return id.size() <= kMaxIdBytes ? id : "";
}

// Written by hand rather than through a JSON tree: this is the answer to
// nearly every request, and building the tree cost more than the engine.
std::string EncodeSuggestions(std::string_view id, const Response& response,
                              const std::vector<SuggestionId>& ids,
                              int64_t elapsed_us) {
  std::string out;
  out.reserve(512 + 400 * response.suggestions.size());
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("type");
  w.String("suggestions");
  w.Key("id");
  w.String(id);
  std::vector<std::string> hex_ids;
  hex_ids.reserve(ids.size());
  for (const SuggestionId& sid : ids) hex_ids.push_back(sid.ToHex());
  WriteResponseMembers(response, &w, hex_ids);
  w.Key("elapsed_us");
  w.Int(elapsed_us);
  w.EndObject();
  return out;
}

std::string EncodeAck(std::string_view id) {
  return ordered_json{{"type", "ack"}, {"id", id}}.dump();
}

std::string EncodeGoingAway(int64_t close_within_ms) {
  return ordered_json{{"type", "going_away"},
                      {"reason", "shutdown"},
                      {"close_within_ms", close_within_ms}}
      .dump();
}

std::string EncodeError(std::string_view id, const WireError& error) {
  ordered_json out = {{"type", "error"}};
  out["id"] = id.empty() ? ordered_json() : ordered_json(id);
  out["code"] = ErrorCodeName(error.code);
  out["message"] = error.message;
  // Messages may quote request bytes; never let an encoding problem throw.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace reply::server

#include "server/protocol.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/api/json_codec.h"
#include "engine/api/json_parse.h"
#include "engine/api/json_writer.h"
#include "server/suggest_frame_decoder.h"
#include "server/suggestion_signer.h"

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

std::optional<WireError> DecodeSuggest(const json& frame, ClientMessage* m) {
  std::optional<std::string> conversation;
  if (auto e =
          ReadString(frame, "conversation_id", kMaxIdBytes, &conversation)) {
    return e;
  }
  m->conversation_id = conversation.value_or("");
  // The message type decides; a "trigger" field cannot turn one into the
  // other. The codec runs the engine's validator (ValidateRequest): a
  // message over its limit is too_large, a trigger without an order
  // bad_request.
  // An explain without a message explains a trigger: what the engine
  // derives from the order alone (a console's order panel shows those
  // facts before the buyer writes anything).
  const bool trigger =
      m->type == MessageType::kTrigger ||
      (m->type == MessageType::kExplain && !frame.contains("message"));
  Result<Request> request =
      RequestFromJson(frame, trigger, kSuggestFrameFields);
  if (!request.ok()) return FromStatus(request.status());
  m->request = std::move(*request);
  return std::nullopt;
}

// "\"a\", \"b\" or \"c\"": the names of a table, for an error message.
template <typename Row, size_t N>
std::string Choices(const Row (&table)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? " or " : ", ";
    out += '"';
    out += table[i].name;
    out += '"';
  }
  return out;
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

// own_reply: what the agent typed instead of a suggestion, with the intent
// that was showing (if any); about the conversation, not one suggestion.
std::optional<WireError> DecodeOwnReply(const json& frame, ClientMessage* m) {
  m->action = FeedbackAction::kOwnReply;
  if (frame.contains("suggestion_id")) {
    return WireError{ErrorCode::kBadRequest,
                     "suggestion_id: an own_reply answers no suggestion; name "
                     "the intent that was showing in \"intent\" and send "
                     "\"ignored\" for the suggestions it replaced"};
  }
  if (auto e =
          ReadString(frame, "final_text", kMaxFinalTextBytes, &m->final_text)) {
    return e;
  }
  if (!m->final_text || m->final_text->empty()) {
    return WireError{ErrorCode::kBadRequest,
                     "final_text: required when the action is \"own_reply\" "
                     "(what the agent sent)"};
  }
  std::optional<std::string> text;
  if (auto e = ReadString(frame, "intent", kMaxIdBytes, &text)) return e;
  m->intent = text.value_or("");
  text.reset();
  if (auto e = ReadString(frame, "conversation_id", kMaxIdBytes, &text)) {
    return e;
  }
  m->conversation_id = text.value_or("");
  return ReadFeedbackKey(frame, &m->key);
}

std::optional<WireError> DecodeFeedback(const json& frame, ClientMessage* m) {
  if (auto it = frame.find("action"); it != frame.end() && *it == "own_reply") {
    return DecodeOwnReply(frame, m);
  }
  std::optional<std::string> text;
  if (auto e = ReadString(frame, "suggestion_id", SuggestionSigner::kMaxIdBytes,
                          &text)) {
    return e;
  }
  if (!text) return WireError{ErrorCode::kBadRequest, "suggestion_id: missing"};
  // Its signature is checked by the handler; here only that it is an id's
  // text at all (base64url and dots).
  const bool id_text =
      !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      });
  if (!id_text) {
    return WireError{ErrorCode::kBadRequest,
                     "suggestion_id: expected a suggestion's id as the "
                     "suggestions answer gave it"};
  }
  m->suggestion_id = std::move(*text);
  text.reset();
  if (auto e = ReadString(frame, "action", kMaxIdBytes, &text)) return e;
  std::optional<FeedbackAction> action =
      text ? ParseFeedbackAction(*text) : std::nullopt;
  if (!action) {
    static const std::string kExpected =
        "action: expected " + Choices(kFeedbackActionNames);
    return WireError{ErrorCode::kBadRequest, kExpected};
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

// Reads the top-level "id" of a frame as the parse goes, so the id of a
// frame that fails to parse later on (a number beyond a double, a cut-off
// frame) is still known and the client can match the error to its request.
class IdCatcher : public json::json_sax_t {
 public:
  const std::string& id() const { return id_; }

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override {
    return Value();
  }
  bool string(string_t& value) override {
    if (depth_ == 1 && at_id_ && value.size() <= kMaxIdBytes) id_ = value;
    return Value();
  }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override { return Open(); }
  bool key(string_t& key) override {
    at_id_ = depth_ == 1 && key == "id";
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override {
    // A top-level array is no frame: nothing to read.
    return depth_ > 0 && Open();
  }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&,
                   const json::exception&) override {
    return false;
  }

 private:
  bool Open() {
    ++depth_;
    at_id_ = false;
    return true;
  }
  bool Close() {
    --depth_;
    return Value();
  }
  bool Value() {
    at_id_ = false;
    return true;
  }

  int depth_ = 0;
  bool at_id_ = false;  // the value being read is the frame's "id"
  std::string id_;
};

}  // namespace

WireError FromStatus(const Status& status) {
  const bool sent = kErrorCodeDefs[static_cast<size_t>(status.code())].sent;
  return {sent ? status.code() : ErrorCode::kInternal, status.message()};
}

DecodedFrame DecodeFrame(std::string_view text, FrameBytes bytes) {
  DecodedFrame out;
  if (DecodeSuggestFrame(text, &out.message, bytes)) {
    out.id = out.message.id;
    out.type = out.message.type;
    return out;
  }
  return DecodeFrameWithTree(text);
}

DecodedFrame DecodeFrameWithTree(std::string_view text) {
  DecodedFrame out;
  // The engine's parser names what is wrong: the byte of a syntax error,
  // the field of a number out of range (1e400).
  Result<json> parsed = ParseJson(text, "frame");
  if (!parsed.ok()) {
    out.id = PeekId(text);
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
  const std::optional<MessageType> known =
      type ? FromName(kMessageTypeNames, *type) : std::nullopt;
  if (!known) {
    static const std::string kExpected =
        "type: expected " + Choices(kMessageTypeNames);
    out.error = WireError{ErrorCode::kBadRequest, kExpected};
    return out;
  }
  m.type = *known;
  out.type = m.type;
  switch (m.type) {
    case MessageType::kSuggest:
    case MessageType::kTrigger:
      out.error = DecodeSuggest(frame, &m);
      break;
    case MessageType::kExplain: {
      out.error = DecodeSuggest(frame, &m);
      std::optional<std::string> gloss;
      if (!out.error)
        out.error = ReadString(frame, "gloss", kMaxIdBytes, &gloss);
      m.gloss = gloss.value_or("");
      break;
    }
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
  IdCatcher catcher;
  json::sax_parse(text, &catcher, json::input_format_t::json,
                  /*strict=*/true, /*ignore_comments=*/false);
  return catcher.id();
}

// Written by hand rather than through a JSON tree: this is the answer to
// nearly every request, and building the tree cost more than the engine.
std::string EncodeSuggestions(std::string_view id, const Response& response,
                              const std::vector<std::string>& ids,
                              int64_t elapsed_us) {
  std::string out;
  out.reserve(512 + 400 * response.suggestions.size());
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("type");
  w.String("suggestions");
  w.Key("id");
  w.String(id);
  // The engine knows nothing of suggestion ids: they go first in each
  // suggestion's object, through the codec's hook.
  WriteResponseMembers(response, &w, [&ids](size_t i, JsonWriter* w) {
    if (i >= ids.size()) return;
    w->Key("suggestion_id");
    w->String(ids[i]);
  });
  w.Key("elapsed_us");
  w.Int(elapsed_us);
  w.EndObject();
  return out;
}

std::string EncodeExplanation(std::string_view id,
                              const nlohmann::ordered_json& explanation) {
  return ordered_json{
      {"type", "explanation"}, {"id", id}, {"explanation", explanation}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
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

// The JSON form of requests, responses and errors (docs/api.md): the
// contract the engine's callers (replyd, replyctl) speak.
//
//   Result<Request> request = ParseRequest(R"({"message": "在吗", "max": 2})");
//   if (!request.ok()) return ErrorToJson(request.status());
//   // {"error": {"code": "bad_request", "message": "max: ..."}}
//   std::string out = ResponseToJson(*engine->Suggest(*request));
//
//   // A caller adding members of its own, outside and inside each suggestion:
//   w.BeginObject();
//   w.Key("type"); w.String("suggestions");
//   WriteResponseMembers(response, &w, [&](size_t i, JsonWriter* w) {
//     w->Key("suggestion_id"); w->String(ids[i]);
//   });
//   w.EndObject();
//
// Unknown request fields are ignored; one that is a near miss of a field
// (camelCase, a typo) and every unknown order field is named in
// Request::warnings, which the response repeats as "warnings". Parsing
// never throws: every problem is a bad_request (or bad_order) Status naming
// the field.
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_API_JSON_CODEC_H_
#define REPLY_ENGINE_API_JSON_CODEC_H_

#include <cstddef>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/api/json_writer.h"
#include "engine/base/status.h"
#include "engine/pipeline/request.h"

namespace reply {

// The request fields of docs/api.md ("history": issue 12's conversation).
inline constexpr std::string_view kRequestFields[] = {
    "message", "order",   "locale",  "max",
    "now",     "trigger", "history", "conversation_id"};

// " (did you mean 'conversation_id'?)" for a key that is neither a request
// field nor one of `caller_fields` (replyd's "type", "id", ...) but a near
// miss of one; "" for a known key, or one far from every known one (a
// caller's own field, left alone).
std::string RequestFieldHint(std::string_view key,
                             std::span<const std::string_view> caller_fields);

// Both parse the fields and then run ValidateRequest (request.h).
Result<Request> ParseRequest(std::string_view json);
// `trigger`, when given, decides whether the request is a trigger and a
// "trigger" field is ignored (replyd: the message type decides).
// `caller_fields` are the caller's own top-level fields (not warned about).
Result<Request> RequestFromJson(
    const nlohmann::json& json, std::optional<bool> trigger = std::nullopt,
    std::span<const std::string_view> caller_fields = {});

// The response as JSON text: {"normalized": ..., "suggestions": [...], ...}.
std::string ResponseToJson(const Response& response);

// Called at the start of the object of suggestion `index`, so a caller can
// put members of its own there.
using SuggestionMembers = std::function<void(size_t index, JsonWriter* writer)>;
// Writes the response's members (without the braces) into an object being
// written, so a caller can add its own members around them.
void WriteResponseMembers(const Response& response, JsonWriter* writer,
                          const SuggestionMembers& suggestion_members = {});

// The status as the engine's API reports it: docs/api.md has no too_large
// (a field over its limit is a bad_request there); replyd's protocol does.
Status ApiStatus(Status status);

// {"error": {"code": "bad_request", "message": "..."}}, through ApiStatus.
std::string ErrorToJson(const Status& status);

}  // namespace reply

#endif  // REPLY_ENGINE_API_JSON_CODEC_H_

// ParseJson: JSON text to an nlohmann::json, with every failure as a
// bad_request Status that says where, never an exception.
//
//   Result<nlohmann::json> j = ParseJson(text, "request");
//   // {"order": {"amount": 1e400}} ->
//   //   bad_request "order.amount: 1e400 is out of range for a number"
//   // {"message": "x",}            ->
//   //   bad_request "request is not valid JSON at byte 17: ..."
//   // {"history": [{"text": "\xff"}]} ->
//   //   bad_request "request is not valid JSON at byte 25, in
//   //                history[0].text: invalid string: ill-formed UTF-8 byte"
//
// nlohmann::json::parse throws more than parse_error: a number beyond a
// double (1e400) is an out_of_range exception, which a catch of parse_error
// alone let through (it aborted `replyctl suggest --jsonl` and
// Engine::SuggestJson). Every JSON text from outside goes through here.
// The field of a number, or of a syntax error inside a value, is found by a
// second, event-only pass over the text (json_sax), on the error path only.
//
// Thread safety: a pure function.
#ifndef REPLY_ENGINE_API_JSON_PARSE_H_
#define REPLY_ENGINE_API_JSON_PARSE_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "engine/base/status.h"

namespace reply {

// `what` names the text in errors ("request", "order file"); `path` is the
// field the text is, prefixed to the fields named ("order" for an order
// file: "order.amount"; empty for a request).
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what,
                                 std::string_view path = "");

}  // namespace reply

#endif  // REPLY_ENGINE_API_JSON_PARSE_H_

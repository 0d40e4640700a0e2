// The JSON form of requests, responses and errors (docs/api.md).
#include "engine/api/json_codec.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/api/json_parse.h"
#include "engine/api/json_writer.h"
#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"

namespace reply {

using nlohmann::json;

namespace {

// "history": [{"role": "buyer", "text": "...", "at": "...", "template": ...}]
// Types here; limits and UTF-8 in ValidateRequest. The turn count is checked
// before any turn is read, so 10,000 turns cost one comparison.
Status HistoryFromJson(const json& j, std::vector<Turn>* out) {
  if (!j.is_array()) {
    return Status::BadRequest(
        "history: expected an array of turns, oldest first");
  }
  if (j.size() > Request::kMaxHistoryTurns) {
    return Status::BadRequest("history: " + std::to_string(j.size()) +
                              " turns; the limit is " +
                              std::to_string(Request::kMaxHistoryTurns) +
                              " (send the most recent ones)");
  }
  out->reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    const json& t = j[i];
    const std::string where = "history[" + std::to_string(i) + "]";
    if (!t.is_object()) {
      return Status::BadRequest(
          where + ": expected an object {\"role\", \"text\", \"at\"}");
    }
    Turn& turn = out->emplace_back();
    auto role = t.find("role");
    const std::string* role_name =
        role == t.end() ? nullptr : role->get_ptr<const std::string*>();
    const std::optional<Role> known =
        role_name ? FromName(kRoleNames, *role_name) : std::nullopt;
    if (!known) {
      return Status::BadRequest(where +
                                ".role: expected \"buyer\", \"agent\" or "
                                "\"system\"");
    }
    turn.role = *known;
    auto text = t.find("text");
    if (text == t.end() || !text->is_string()) {
      return Status::BadRequest(where + ".text: expected a string");
    }
    turn.text = text->get<std::string>();
    if (auto at = t.find("at"); at != t.end() && !at->is_null()) {
      if (!at->is_string()) {
        return Status::BadRequest(where +
                                  ".at: expected an RFC 3339 time string");
      }
      Result<UnixSeconds> time =
          ParseRfc3339(at->get_ref<const std::string&>());
      if (!time.ok()) {
        return Status::BadRequest(where + ".at: " + time.status().message());
      }
      turn.at = *time;
    }
    if (auto tpl = t.find("template"); tpl != t.end() && !tpl->is_null()) {
      if (!tpl->is_string()) {
        return Status::BadRequest(where + ".template: expected a string");
      }
      turn.template_id = tpl->get<std::string>();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Request> ParseRequest(std::string_view text) {
  if (text.size() > Request::kMaxMessageBytes * 16) {
    return Status::BadRequest("request: " + std::to_string(text.size()) +
                              " bytes is too large");
  }
  Result<json> j = ParseJson(text, "request");
  if (!j.ok()) return j.status();
  return RequestFromJson(*j);
}

std::string RequestFieldHint(std::string_view key,
                             std::span<const std::string_view> caller_fields) {
  const auto known = [&](std::string_view name) {
    return std::find(std::begin(kRequestFields), std::end(kRequestFields),
                     name) != std::end(kRequestFields) ||
           std::find(caller_fields.begin(), caller_fields.end(), name) !=
               caller_fields.end();
  };
  if (known(key)) return "";
  std::vector<std::string_view> names(std::begin(kRequestFields),
                                      std::end(kRequestFields));
  names.insert(names.end(), caller_fields.begin(), caller_fields.end());
  return FieldNameHint(key, names);
}

Result<Request> RequestFromJson(
    const json& j, std::optional<bool> trigger,
    std::span<const std::string_view> caller_fields) {
  if (!j.is_object())
    return Status::BadRequest("request: expected a JSON object");
  Request r;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::string hint = RequestFieldHint(it.key(), caller_fields);
        !hint.empty()) {
      r.warnings.push_back(it.key().substr(0, 64) + ": unknown field, ignored" +
                           hint);
    }
  }
  if (trigger) {
    r.trigger = *trigger;
  } else if (auto it = j.find("trigger"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean())
      return Status::BadRequest("trigger: expected true or false");
    r.trigger = it->get<bool>();
  }
  if (auto it = j.find("message"); it != j.end() && !it->is_null()) {
    if (!it->is_string())
      return Status::BadRequest("message: expected a string");
    r.message = it->get<std::string>();
  } else if (!r.trigger) {
    return Status::BadRequest(
        "message: missing (required unless \"trigger\": true)");
  }
  if (auto it = j.find("conversation_id"); it != j.end() && !it->is_null()) {
    if (!it->is_string())
      return Status::BadRequest("conversation_id: expected a string");
    r.conversation_id = it->get<std::string>();
  }
  if (auto it = j.find("locale"); it != j.end() && !it->is_null()) {
    if (!it->is_string())
      return Status::BadRequest("locale: expected a string");
    r.locale = it->get<std::string>();
  }
  if (auto it = j.find("max"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer())
      return Status::BadRequest("max: expected an integer");
    // Clamped into an int, so ValidateRequest sees any value beyond int
    // as out of range; read unsigned first: 2^64 - 1 is not the -1 a signed
    // read would wrap it to.
    constexpr int64_t kIntMax = std::numeric_limits<int>::max();
    constexpr int64_t kIntMin = std::numeric_limits<int>::min();
    r.max =
        it->is_number_unsigned()
            ? static_cast<int>(std::min<uint64_t>(it->get<uint64_t>(), kIntMax))
            : static_cast<int>(
                  std::clamp(it->get<int64_t>(), kIntMin, kIntMax));
  }
  if (auto it = j.find("now"); it != j.end() && !it->is_null()) {
    if (!it->is_string())
      return Status::BadRequest("now: expected an RFC 3339 time string");
    Result<UnixSeconds> now = ParseRfc3339(it->get_ref<const std::string&>());
    if (!now.ok()) return Status::BadRequest("now: " + now.status().message());
    r.now = *now;
  }
  if (auto it = j.find("order"); it != j.end() && !it->is_null()) {
    Result<Order> order = ParseOrder(*it, &r.warnings);
    if (!order.ok()) return order.status();
    r.order = std::move(*order);
  }
  if (auto it = j.find("history"); it != j.end() && !it->is_null()) {
    if (Status s = HistoryFromJson(*it, &r.history); !s.ok()) return s;
  }
  if (Status s = ValidateRequest(r); !s.ok()) return s;
  return r;
}

void WriteResponseMembers(const Response& response, JsonWriter* w,
                          const SuggestionMembers& suggestion_members) {
  w->Key("normalized");
  w->String(response.normalized);
  w->Key("script");
  w->String(ScriptName(response.script));
  w->Key("locale");
  w->String(response.locale);
  w->Key("intents");
  w->BeginArray();
  for (const IntentMatch& m : response.intents) {
    w->BeginObject();
    w->Key("name");
    w->String(m.name);
    w->Key("score");
    w->Double(m.score);
    w->Key("pattern");
    w->String(m.pattern);
    if (!m.resolved_by.empty()) {
      w->Key("asked");
      w->String(m.asked);
      w->Key("resolved_by");
      w->String(m.resolved_by);
    }
    if (m.turn >= 0) {
      w->Key("turn");
      w->Int(m.turn);
    }
    w->EndObject();
  }
  w->EndArray();
  w->Key("suggestions");
  w->BeginArray();
  for (size_t i = 0; i < response.suggestions.size(); ++i) {
    const Suggestion& s = response.suggestions[i];
    w->BeginObject();
    if (suggestion_members) suggestion_members(i, w);
    w->Key("intent");
    w->String(s.intent);
    w->Key("template");
    w->String(s.template_id);
    w->Key("text");
    w->String(s.text);
    w->Key("handoff");
    w->Bool(s.handoff);
    if (!s.arm.empty()) {
      w->Key("arm");
      w->String(s.arm);
    }
    w->EndObject();
  }
  w->EndArray();
  w->Key("pack_version");
  w->String(response.pack_version);
  if (!response.warnings.empty()) {
    w->Key("warnings");
    w->BeginArray();
    for (const std::string& warning : response.warnings) {
      w->String(SanitizeUtf8(warning));
    }
    w->EndArray();
  }
}

std::string ResponseToJson(const Response& response) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(&out);
  w.BeginObject();
  WriteResponseMembers(response, &w);
  w.EndObject();
  return out;
}

Status ApiStatus(Status status) {
  if (status.code() == ErrorCode::kTooLarge)
    return Status::BadRequest(status.message());
  return status;
}

std::string ErrorToJson(const Status& given) {
  const Status status = ApiStatus(given);
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Key("code");
  w.String(status.code_name());
  w.Key("message");
  w.String(SanitizeUtf8(status.message()));
  w.EndObject();
  w.EndObject();
  return out;
}

}  // namespace reply

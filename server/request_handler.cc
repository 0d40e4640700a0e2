#include "server/request_handler.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "engine/explain/explanation.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/pipeline.h"
#include "engine/render/placeholders.h"
#include "server/log.h"

namespace reply::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t MicrosSince(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             SteadyClock::now() - start)
      .count();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An error answer, counted. A free function: the store's and the reloader's
// callbacks call it after the handler may be gone.
std::string Error(Metrics& metrics, std::optional<MessageType> type,
                  std::string_view id, WireError error) {
  metrics.CountRequest(type, error.code);
  return EncodeError(id, error);
}

WireError KeyConflict(const std::string& key) {
  return {ErrorCode::kConflict,
          "key: " + key +
              " is already stored with other feedback (another suggestion, "
              "action or final_text); a new piece of feedback needs a new "
              "key. Nothing was stored"};
}

WireError AlreadyAnswered(const std::string& suggestion_id) {
  return {ErrorCode::kAlreadyAnswered,
          "action: suggestion " + suggestion_id +
              " already has another final action (a suggestion is accepted, "
              "edited, rejected or ignored once); nothing was stored"};
}

// `glosses`: each suggestion's template as the `gloss` locale's pack writes
// it, filled with the same order and facts, so an agent can judge a reply
// in a language they do not read. null where that pack has no such
// template or cannot fill it.
std::optional<WireError> AddGlosses(const ClientMessage& m,
                                    const Response& response,
                                    const Trace& trace,
                                    nlohmann::ordered_json* explanation) {
  const LocalePack* target = trace.pack->Find(m.gloss);
  if (target == nullptr) {
    return WireError{ErrorCode::kBadRequest,
                     "gloss: no locale pack \"" + m.gloss +
                         "\" (the packs' locales, e.g. \"zh\" or \"vi\")"};
  }
  const Order* order = m.request.order ? &*m.request.order : nullptr;
  const RenderInputs inputs{order, &trace.facts, trace.shop, target->locale};
  nlohmann::ordered_json glosses = nlohmann::ordered_json::array();
  for (const Suggestion& s : response.suggestions) {
    nlohmann::ordered_json gloss = {{"template", s.template_id},
                                    {"locale", target->locale},
                                    {"text", nullptr}};
    for (const Variant& v : target->variants) {
      if (v.id != s.template_id) continue;
      std::string text;
      std::vector<std::string> missing;
      if (v.text.Render(inputs, &text, &missing)) gloss["text"] = text;
      break;
    }
    glosses.push_back(std::move(gloss));
  }
  (*explanation)["glosses"] = std::move(glosses);
  return std::nullopt;
}

}  // namespace

RequestHandler::Handled RequestHandler::Handle(std::string_view frame,
                                               const Client& client,
                                               Reply later) {
  const Role role = client.role;
  const auto start = SteadyClock::now();
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "frame", {{"text", std::string(frame)}});
  }
  DecodedFrame decoded = DecodeFrame(frame, FrameBytes::kValidUtf8);
  if (decoded.error) {
    return {Error(state_.metrics, decoded.type, decoded.id,
                  std::move(*decoded.error))};
  }
  // The shop comes from the token, never from the frame.
  decoded.message.request.shop = client.shop;
  const ClientMessage& m = decoded.message;
  switch (m.type) {
    case MessageType::kSuggest:
    case MessageType::kTrigger: {
      std::string out = Suggest(m);
      state_.metrics.ObserveLatencyUs(MicrosSince(start));
      return {std::move(out)};
    }
    case MessageType::kExplain:
      return {Explain(m)};
    case MessageType::kFeedback:
      return {Feedback(m, client, std::move(later))};
    case MessageType::kReload:
      return {Reload(m, role, std::move(later))};
    case MessageType::kDoneSending:
      state_.metrics.CountRequest(m.type, std::nullopt);
      return {.answer = std::nullopt, .done_sending = true};
  }
  return {Error(state_.metrics, std::nullopt, m.id,
                {ErrorCode::kInternal, "unhandled message type"})};
}

std::string RequestHandler::RateLimited(std::string_view frame) {
  const ServerConfig& c = state_.config;
  return Error(
      state_.metrics, std::nullopt, PeekId(frame),
      {ErrorCode::kRateLimited,
       "rate: more than " + std::to_string(static_cast<int64_t>(c.rate_limit)) +
           " frames/s (burst " +
           std::to_string(static_cast<int64_t>(c.rate_burst)) +
           "); this frame was not run"});
}

std::string RequestHandler::Suggest(const ClientMessage& m) {
  const auto start = SteadyClock::now();
  Result<Response> response = state_.engine.Suggest(m.request);
  const int64_t elapsed_us = MicrosSince(start);
  if (!response.ok()) {
    return Error(state_.metrics, m.type, m.id, FromStatus(response.status()));
  }
  std::vector<SuggestionId> ids;
  ids.reserve(response->suggestions.size());
  for (size_t i = 0; i < response->suggestions.size(); ++i) {
    ids.push_back(SuggestionId::Random());
  }
  std::string out = EncodeSuggestions(m.id, *response, ids, elapsed_us);
  state_.metrics.CountRequest(m.type, std::nullopt);
  state_.metrics.CountIntent(response->intents.empty()
                                 ? std::string_view("none")
                                 : response->intents[0].name);
  state_.metrics.CountSuggestions(ids.size());
  if (!m.request.shop.empty()) state_.metrics.CountShopRequest(m.request.shop);
  // The answer is written: the registry takes the response's strings
  // instead of copies of them.
  for (size_t i = 0; i < ids.size(); ++i) {
    Suggestion& s = response->suggestions[i];
    state_.registry.Remember(ids[i],
                             SuggestionRecord{
                                 .shop = m.request.shop,
                                 .conversation_id = m.conversation_id,
                                 .intent = std::move(s.intent),
                                 .template_id = std::move(s.template_id),
                                 .pack_version = response->pack_version,
                                 .text = std::move(s.text),
                                 .latency_us = elapsed_us,
                             });
  }
  return out;
}

std::optional<std::string> RequestHandler::Feedback(const ClientMessage& m,
                                                    const Client& client,
                                                    Reply later) {
  FeedbackRow row;
  row.action = m.action;
  row.final_text = m.final_text;
  row.feedback_at_ms = NowMillis();
  row.key = m.key;
  if (m.action == FeedbackAction::kOwnReply) {
    row.suggestion.shop = client.shop;
    row.suggestion.conversation_id = m.conversation_id;
    row.suggestion.intent = m.intent;
  } else {
    std::optional<SuggestionRecord> suggestion =
        state_.registry.Find(m.suggestion_id);
    if (!suggestion) return FeedbackResent(m);
    if (suggestion->shop != client.shop) {
      // Told apart from an unknown id only for the shop's own suggestions:
      // another shop's are none of this client's business.
      return FeedbackResent(m);
    }
    row.suggestion_id = m.suggestion_id.ToHex();
    row.suggestion = std::move(*suggestion);
  }
  // Accepted as is: what was sent is the suggestion itself.
  if (!row.final_text && row.action == FeedbackAction::kAccepted) {
    row.final_text = row.suggestion.text;
  }
  std::string template_id = row.suggestion.template_id;
  std::string shop = row.suggestion.shop;
  std::string suggestion_id = row.suggestion_id;
  const FeedbackAction action = row.action;
  state_.store.Append(
      std::move(row),
      [&metrics = state_.metrics, id = m.id, key = m.key.value_or(""),
       suggestion_id = std::move(suggestion_id),
       template_id = std::move(template_id), shop = std::move(shop), action,
       later = std::move(later)](const Result<FeedbackStore::Outcome>& stored) {
        if (!stored.ok()) {
          later(Error(metrics, MessageType::kFeedback, id,
                      {ErrorCode::kInternal,
                       stored.status().message() + "; not stored"}));
          return;
        }
        switch (*stored) {
          case FeedbackStore::Outcome::kInserted:
            // Per template: an own_reply has none.
            if (!template_id.empty())
              metrics.CountFeedback(template_id, action);
            if (!shop.empty()) metrics.CountShopFeedback(shop, action);
            break;
          case FeedbackStore::Outcome::kDuplicate:
            break;
          case FeedbackStore::Outcome::kKeyConflict:
            later(Error(metrics, MessageType::kFeedback, id, KeyConflict(key)));
            return;
          case FeedbackStore::Outcome::kAlreadyAnswered:
            later(Error(metrics, MessageType::kFeedback, id,
                        AlreadyAnswered(suggestion_id)));
            return;
        }
        metrics.CountRequest(MessageType::kFeedback, std::nullopt);
        later(EncodeAck(id));
      });
  return std::nullopt;
}

std::string RequestHandler::Explain(const ClientMessage& m) {
  Trace trace;
  Result<Response> response = state_.engine.Explain(m.request, &trace);
  if (!response.ok()) {
    return Error(state_.metrics, m.type, m.id, FromStatus(response.status()));
  }
  // Pack files named as the pack directory has them: the console shows
  // where a pattern or reply is written, not a path on this machine.
  nlohmann::ordered_json explanation =
      BuildExplanation(m.request, *response, trace, "");
  // The arithmetic of the amounts a reply quotes (the agent checks 6.45
  // before sending it): the shop's rule with the order's numbers.
  const ShopPolicy& shop = *trace.shop;
  const nlohmann::ordered_json& facts = explanation["facts"];
  if (facts.contains("compensation") && facts["compensation"].is_number() &&
      facts.contains("amount") && facts["amount"].is_number()) {
    explanation["amounts"] =
        nlohmann::ordered_json::array({{{"fact", "compensation"},
                                        {"value", facts["compensation"]},
                                        {"amount", facts["amount"]},
                                        {"rate", shop.compensation_rate},
                                        {"min", shop.compensation_min},
                                        {"max", shop.compensation_max}}});
  }
  if (!m.gloss.empty() && m.gloss != response->locale) {
    std::optional<WireError> error =
        AddGlosses(m, *response, trace, &explanation);
    if (error) return Error(state_.metrics, m.type, m.id, std::move(*error));
  }
  state_.metrics.CountRequest(m.type, std::nullopt);
  return EncodeExplanation(m.id, explanation);
}

std::string RequestHandler::FeedbackResent(const ClientMessage& m) {
  // Its own code, not bad_request: the request was well formed, and a
  // console tells the agent what happened (a restart is the common case)
  // instead of blaming the request.
  const std::string unknown =
      "suggestion_id: not known to this server: suggestions are remembered "
      "in memory only, so one made before the server restarted is "
      "forgotten, as is one older than --suggestion-ttl-s (" +
      std::to_string(state_.config.suggestion_ttl_s) +
      " s) or than the last --suggestion-capacity (" +
      std::to_string(state_.config.suggestion_capacity) +
      ") suggestions; nothing was stored";
  if (!m.key) {
    return Error(state_.metrics, m.type, m.id,
                 {ErrorCode::kUnknownSuggestion, unknown});
  }
  Result<std::optional<StoredFeedback>> stored = state_.store.FindByKey(*m.key);
  if (!stored.ok()) {
    return Error(
        state_.metrics, m.type, m.id,
        {ErrorCode::kInternal, stored.status().message() + "; not stored"});
  }
  if (!stored->has_value()) {
    return Error(state_.metrics, m.type, m.id,
                 {ErrorCode::kUnknownSuggestion,
                  unknown + " (no feedback with this key is stored)"});
  }
  if (!SameFeedback(**stored, m.suggestion_id.ToHex(), m.action,
                    m.final_text)) {
    return Error(state_.metrics, m.type, m.id, KeyConflict(*m.key));
  }
  // Stored before (by this server or the one before a restart): a resend
  // whose ack was lost.
  state_.metrics.CountRequest(m.type, std::nullopt);
  return EncodeAck(m.id);
}

std::optional<std::string> RequestHandler::Reload(const ClientMessage& m,
                                                  Role role, Reply later) {
  if (role != Role::kAdmin) {
    return Error(state_.metrics, m.type, m.id,
                 {ErrorCode::kUnauthorized, "reload: needs the admin token"});
  }
  state_.reloader.Request(
      "request", [&metrics = state_.metrics, id = m.id,
                  later = std::move(later)](const Status& status) {
        if (!status.ok()) {
          later(Error(metrics, MessageType::kReload, id,
                      {ErrorCode::kPackError, status.message()}));
          return;
        }
        metrics.CountRequest(MessageType::kReload, std::nullopt);
        later(EncodeAck(id));
      });
  return std::nullopt;
}

}  // namespace reply::server

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

// Why feedback's suggestion_id was refused. An id nobody could verify on
// this server (the random key of a server without --suggestion-key-file,
// or a 32-digit id of a replyd before signed ids) is most likely from
// before a restart: unknown_suggestion, which a console explains as such.
WireError RefusedId(const std::string& id, SuggestionSigner::Refusal refusal,
                    int64_t ttl_s) {
  using Refusal = SuggestionSigner::Refusal;
  const bool old_format =
      id.size() == 2 * SuggestionId::kBytes && SuggestionId::FromHex(id);
  if (refusal == Refusal::kUnknownKey ||
      (refusal == Refusal::kMalformed && old_format)) {
    return {ErrorCode::kUnknownSuggestion,
            "suggestion_id: not known to this server: it was most likely made "
            "before the server restarted (without --suggestion-key-file, ids "
            "are signed with a key of the process that made them); nothing "
            "was stored"};
  }
  switch (refusal) {
    case Refusal::kExpired:
      return {ErrorCode::kBadRequest,
              "suggestion_id: expired: feedback is taken for " +
                  std::to_string(ttl_s) +
                  " s after a suggestion (--suggestion-ttl-s); nothing was "
                  "stored"};
    case Refusal::kFuture:
      return {ErrorCode::kBadRequest,
              "suggestion_id: issued in the future: the clock of the server "
              "that made it is ahead of this one's; nothing was stored"};
    case Refusal::kBadMac:
      return {ErrorCode::kBadRequest,
              "suggestion_id: altered, forged, or signed with a key that is "
              "no longer in --suggestion-key-file; nothing was stored"};
    default:
      return {ErrorCode::kBadRequest,
              "suggestion_id: not a suggestion id this service issued (send "
              "it as the suggestions answer gave it); nothing was stored"};
  }
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
  // Each id names its suggestion to any server of the cluster (signed
  // claims); the nonce also keys this server's own record of it.
  std::vector<SuggestionId> nonces;
  std::vector<std::string> ids;
  nonces.reserve(response->suggestions.size());
  ids.reserve(response->suggestions.size());
  const int64_t now_ms = NowMillis();
  for (const Suggestion& s : response->suggestions) {
    nonces.push_back(SuggestionId::Random());
    ids.push_back(state_.signer.Sign({.nonce = nonces.back(),
                                      .issued_at_ms = now_ms,
                                      .shop = m.request.shop,
                                      .intent = s.intent,
                                      .template_id = s.template_id,
                                      .pack_version = response->pack_version,
                                      .arm = s.arm}));
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
    state_.registry.Remember(nonces[i],
                             SuggestionRecord{
                                 .conversation_id = m.conversation_id,
                                 .intent = std::move(s.intent),
                                 .template_id = std::move(s.template_id),
                                 .pack_version = response->pack_version,
                                 .text = std::move(s.text),
                                 .latency_us = elapsed_us,
                                 .arm = std::move(s.arm),
                                 .shop = m.request.shop,
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
    const int64_t ttl_ms = state_.config.suggestion_ttl_s * 1000;
    SuggestionSigner::Verified verified =
        state_.signer.Verify(m.suggestion_id, row.feedback_at_ms, ttl_ms);
    if (!verified.claims) {
      const WireError refused = RefusedId(m.suggestion_id, verified.refusal,
                                          state_.config.suggestion_ttl_s);
      // An id from before a restart: its feedback may have been stored
      // then and only the ack lost; a resend of that is acknowledged.
      if (refused.code == ErrorCode::kUnknownSuggestion) {
        return FeedbackResent(m, refused, std::move(later));
      }
      return Error(state_.metrics, m.type, m.id, refused);
    }
    SuggestionClaims& claims = *verified.claims;
    if (claims.shop != client.shop) {
      return Error(state_.metrics, m.type, m.id,
                   {ErrorCode::kBadRequest,
                    "suggestion_id: made for another shop than this "
                    "connection's token; nothing was stored"});
    }
    row.suggestion_id = m.suggestion_id;
    // This server's record adds what the id does not carry (the text, the
    // conversation, the latency); on another server, or after a restart,
    // those are not known and stay empty.
    if (std::optional<SuggestionRecord> known =
            state_.registry.Find(claims.nonce)) {
      row.suggestion = std::move(*known);
    } else {
      row.suggestion.shop = std::move(claims.shop);
      row.suggestion.intent = std::move(claims.intent);
      row.suggestion.template_id = std::move(claims.template_id);
      row.suggestion.pack_version = std::move(claims.pack_version);
      row.suggestion.arm = std::move(claims.arm);
      row.suggestion.suggested_at_ms = claims.issued_at_ms;
    }
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
          case FeedbackStore::Outcome::kNotStored:  // FindResend's only
            later(Error(metrics, MessageType::kFeedback, id,
                        {ErrorCode::kInternal,
                         "feedback store: not stored; try again"}));
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
  // The policy numbers the facts are measured against, so a console can
  // show a fact with its limit (tracking quiet for 80 h of the 72 allowed,
  // 5 of the 7 return days left).
  explanation["policy"] = {
      {"promise_ship_hours", shop.promise_ship_hours},
      {"return_window_days", shop.return_window_days},
      {"tracking_appears_hours", shop.tracking_appears_hours},
      {"stale_tracking_hours", shop.stale_tracking_hours}};
  if (!m.gloss.empty() && m.gloss != response->locale) {
    std::optional<WireError> error =
        AddGlosses(m, *response, trace, &explanation);
    if (error) return Error(state_.metrics, m.type, m.id, std::move(*error));
  }
  state_.metrics.CountRequest(m.type, std::nullopt);
  return EncodeExplanation(m.id, explanation);
}

std::optional<std::string> RequestHandler::FeedbackResent(
    const ClientMessage& m, const WireError& unknown, Reply later) {
  if (!m.key) return Error(state_.metrics, m.type, m.id, unknown);
  FeedbackRow row;
  row.suggestion_id = m.suggestion_id;
  row.action = m.action;
  row.final_text = m.final_text;
  row.key = m.key;
  // Looked up on the store's thread: this I/O thread's other connections
  // never wait for the database.
  state_.store.FindResend(
      std::move(row),
      [&metrics = state_.metrics, id = m.id, key = *m.key, unknown,
       later = std::move(later)](const Result<FeedbackStore::Outcome>& found) {
        if (!found.ok()) {
          later(Error(metrics, MessageType::kFeedback, id,
                      {ErrorCode::kInternal,
                       found.status().message() + "; not stored"}));
          return;
        }
        switch (*found) {
          case FeedbackStore::Outcome::kDuplicate:
            // Stored before (by this server or the one before a restart):
            // a resend whose ack was lost.
            metrics.CountRequest(MessageType::kFeedback, std::nullopt);
            later(EncodeAck(id));
            return;
          case FeedbackStore::Outcome::kKeyConflict:
            later(Error(metrics, MessageType::kFeedback, id, KeyConflict(key)));
            return;
          case FeedbackStore::Outcome::kNotStored:
          // Not outcomes of a look-up.
          case FeedbackStore::Outcome::kInserted:
          case FeedbackStore::Outcome::kAlreadyAnswered:
            later(Error(
                metrics, MessageType::kFeedback, id,
                {unknown.code,
                 unknown.message + " (no feedback with this key is stored)"}));
            return;
        }
      });
  return std::nullopt;
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

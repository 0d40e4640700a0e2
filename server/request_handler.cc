#include "server/request_handler.h"

#include <chrono>

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

}  // namespace

std::optional<std::string> RequestHandler::Handle(std::string_view frame,
                                                  Role role, Reply later) {
  const auto start = SteadyClock::now();
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "frame", {{"text", std::string(frame)}});
  }
  DecodedFrame decoded = DecodeFrame(frame);
  if (decoded.error) {
    return Error(decoded.type, decoded.id, std::move(*decoded.error));
  }
  const ClientMessage& m = decoded.message;
  switch (m.type) {
    case MessageType::kSuggest:
    case MessageType::kTrigger: {
      std::string out = Suggest(m);
      state_.metrics.ObserveLatencyUs(MicrosSince(start));
      return out;
    }
    case MessageType::kFeedback:
      return Feedback(m, std::move(later));
    case MessageType::kReload:
      return Reload(m, role, std::move(later));
  }
  return Error(std::nullopt, m.id,
               {ErrorCode::kInternal, "unhandled message type"});
}

std::string RequestHandler::RateLimited(std::string_view frame) {
  const ServerConfig& c = state_.config;
  return Error(
      std::nullopt, PeekId(frame),
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
  if (!response.ok()) return Error(m.type, m.id, FromStatus(response.status()));
  std::vector<SuggestionId> ids;
  ids.reserve(response->suggestions.size());
  for (const Suggestion& s : response->suggestions) {
    ids.push_back(SuggestionId::Random());
    state_.registry.Remember(ids.back(),
                             SuggestionRecord{
                                 .conversation_id = m.conversation_id,
                                 .intent = s.intent,
                                 .template_id = s.template_id,
                                 .pack_version = response->pack_version,
                                 .text = s.text,
                                 .latency_us = elapsed_us,
                             });
  }
  state_.metrics.CountRequest(m.type, std::nullopt);
  state_.metrics.CountIntent(response->intents.empty()
                                 ? std::string_view("none")
                                 : response->intents[0].name);
  state_.metrics.CountSuggestions(ids.size());
  return EncodeSuggestions(m.id, *response, ids, elapsed_us);
}

std::optional<std::string> RequestHandler::Feedback(const ClientMessage& m,
                                                    Reply later) {
  std::optional<SuggestionRecord> suggestion =
      state_.registry.Find(m.suggestion_id);
  if (!suggestion) {
    return Error(m.type, m.id,
                 {ErrorCode::kBadRequest,
                  "suggestion_id: unknown or expired (feedback is taken for " +
                      std::to_string(state_.config.suggestion_ttl_s) +
                      " s after a suggestion)"});
  }
  FeedbackRow row{.suggestion_id = m.suggestion_id.ToHex(),
                  .suggestion = std::move(*suggestion),
                  .action = m.action,
                  .final_text = m.final_text,
                  .feedback_at_ms = NowMillis()};
  // Accepted as is: what was sent is the suggestion itself.
  if (!row.final_text && row.action == FeedbackAction::kAccepted) {
    row.final_text = row.suggestion.text;
  }
  const std::string template_id = row.suggestion.template_id;
  const FeedbackAction action = row.action;
  state_.store.Append(std::move(row), [this, id = m.id, template_id, action,
                                       later = std::move(later)](
                                          const Status& status) {
    if (!status.ok()) {
      later(Error(MessageType::kFeedback, id,
                  {ErrorCode::kInternal, status.message() + "; not stored"}));
      return;
    }
    state_.metrics.CountRequest(MessageType::kFeedback, std::nullopt);
    state_.metrics.CountFeedback(template_id, action);
    later(EncodeAck(id));
  });
  return std::nullopt;
}

std::optional<std::string> RequestHandler::Reload(const ClientMessage& m,
                                                  Role role, Reply later) {
  if (role != Role::kAdmin) {
    return Error(m.type, m.id,
                 {ErrorCode::kUnauthorized, "reload: needs the admin token"});
  }
  state_.reloader.Request(
      "request",
      [this, id = m.id, later = std::move(later)](const Status& status) {
        if (!status.ok()) {
          later(Error(MessageType::kReload, id,
                      {ErrorCode::kPackError, status.message()}));
          return;
        }
        state_.metrics.CountRequest(MessageType::kReload, std::nullopt);
        later(EncodeAck(id));
      });
  return std::nullopt;
}

std::string RequestHandler::Error(std::optional<MessageType> type,
                                  std::string_view id, WireError error) {
  state_.metrics.CountRequest(type, error.code);
  return EncodeError(id, error);
}

}  // namespace reply::server

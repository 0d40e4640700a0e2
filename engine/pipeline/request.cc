#include "engine/pipeline/request.h"

#include "engine/base/utf8.h"

namespace reply {
namespace {

Status ValidateHistory(const std::vector<Turn>& history) {
  if (history.size() > Request::kMaxHistoryTurns) {
    return Status::BadRequest("history: " + std::to_string(history.size()) +
                              " turns; the limit is " +
                              std::to_string(Request::kMaxHistoryTurns) +
                              " (send the most recent ones)");
  }
  size_t total = 0;
  for (size_t i = 0; i < history.size(); ++i) {
    const std::string& text = history[i].text;
    const std::string where = "history[" + std::to_string(i) + "].text: ";
    if (text.size() > Request::kMaxMessageBytes) {
      return Status::BadRequest(where + std::to_string(text.size()) +
                                " bytes; the limit for a turn is " +
                                std::to_string(Request::kMaxMessageBytes));
    }
    if (const size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
      return Status::BadRequest(where + "invalid UTF-8 at byte " +
                                std::to_string(bad));
    }
    if (history[i].template_id.size() > Turn::kMaxTemplateIdBytes) {
      return Status::BadRequest(
          "history[" + std::to_string(i) +
          "].template: " + std::to_string(history[i].template_id.size()) +
          " bytes; a template id is at most " +
          std::to_string(Turn::kMaxTemplateIdBytes));
    }
    total += text.size();
  }
  if (total > Request::kMaxHistoryBytes) {
    return Status::BadRequest("history: its texts total " +
                              std::to_string(total) + " bytes; the limit is " +
                              std::to_string(Request::kMaxHistoryBytes) +
                              " (send fewer or shorter turns)");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateRequest(const Request& request) {
  if (request.trigger) {
    if (!request.message.empty()) {
      return Status::BadRequest(
          "message: a trigger request carries no message");
    }
    if (!request.order)
      return Status::BadRequest("order: a trigger request needs an order");
  }
  if (request.message.size() > Request::kMaxMessageBytes) {
    return Status::TooLarge(
        "message: " + std::to_string(request.message.size()) +
        " bytes; the limit is " + std::to_string(Request::kMaxMessageBytes));
  }
  if (const size_t bad = FindInvalidUtf8(request.message);
      bad != std::string::npos) {
    return Status::BadRequest("message: invalid UTF-8 at byte " +
                              std::to_string(bad));
  }
  if (request.max < 1 || request.max > Request::kMaxSuggestions) {
    return Status::BadRequest("max: must be between 1 and " +
                              std::to_string(Request::kMaxSuggestions));
  }
  return ValidateHistory(request.history);
}

}  // namespace reply

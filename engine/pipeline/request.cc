#include "engine/pipeline/request.h"

#include "engine/base/utf8.h"

namespace reply {

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
  return Status::Ok();
}

}  // namespace reply

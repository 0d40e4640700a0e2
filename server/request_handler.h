// RequestHandler: answers protocol frames (docs/protocol.md) with the engine,
// the suggestion registry, the feedback store and the reloader. It knows
// nothing of sockets: a session hands it a frame and sends what comes back.
//
//   RequestHandler handler(state);
//   std::optional<std::string> now = handler.Handle(frame, role, [](std::string
//   later) {...}); if (now) Send(*now);  // suggest, trigger and every error
//   answer at once
//   // feedback and reload answer later through the callback, from another
//   // thread (the store's writer, the reloader)
//
// Thread safety: Handle may be called from any number of threads at once.
#ifndef REPLY_SERVER_REQUEST_HANDLER_H_
#define REPLY_SERVER_REQUEST_HANDLER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/access.h"
#include "server/protocol.h"
#include "server/server_state.h"

namespace reply::server {

class RequestHandler {
 public:
  using Reply = std::function<void(std::string)>;

  explicit RequestHandler(ServerState& state) : state_(state) {}

  // The answer if it is ready now; otherwise nullopt and `later` is called
  // exactly once with it.
  std::optional<std::string> Handle(std::string_view frame, Role role,
                                    Reply later);

  // The answer to a frame refused by the rate limit (the frame is not run).
  std::string RateLimited(std::string_view frame);

 private:
  std::string Suggest(const ClientMessage& m);
  std::optional<std::string> Feedback(const ClientMessage& m, Reply later);
  std::optional<std::string> Reload(const ClientMessage& m, Role role,
                                    Reply later);
  std::string Error(std::optional<MessageType> type, std::string_view id,
                    WireError error);

  ServerState& state_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_REQUEST_HANDLER_H_

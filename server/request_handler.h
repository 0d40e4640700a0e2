// RequestHandler: answers protocol frames (docs/protocol.md) with the engine,
// the suggestion registry, the feedback store and the reloader. It knows
// nothing of sockets: a session hands it a frame and sends what comes back.
//
//   RequestHandler handler(state);
//   RequestHandler::Handled h = handler.Handle(frame, client, later);
//   if (h.answer) Send(*h.answer);  // suggest, trigger, every error: at once
//   // feedback and reload answer later through `later`, from another thread
//   // (the store's writer, the reloader); done_sending is not answered
//
// The callbacks given to the store and the reloader hold only the
// ServerState and `later`, never the handler, so a session may end (its
// peer gone) while a commit is still on its way.
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

  struct Handled {
    // The answer if it is ready now. Otherwise `later` is called exactly
    // once with it, unless the frame was done_sending (not answered).
    std::optional<std::string> answer;
    bool done_sending = false;  // the peer will send nothing more
  };

  explicit RequestHandler(ServerState& state) : state_(state) {}

  // `frame` is a WebSocket text frame: valid UTF-8 (FrameBytes).
  // `client`: who sent it (access.h); suggestions are the client's shop's,
  // and feedback is taken only on them.
  Handled Handle(std::string_view frame, const Client& client, Reply later);

  // The answer to a frame refused by the rate limit (the frame is not run).
  std::string RateLimited(std::string_view frame);

 private:
  std::string Suggest(const ClientMessage& m);
  // Why: the request run through Engine::Explain (slower; never on the
  // suggest path), answered with its explanation and no suggestion ids.
  std::string Explain(const ClientMessage& m);
  std::optional<std::string> Feedback(const ClientMessage& m,
                                      const Client& client, Reply later);
  // Feedback whose id this server cannot verify (`unknown`: made before a
  // restart, without a shared key): only a resend of a row already stored
  // is taken.
  std::optional<std::string> FeedbackResent(const ClientMessage& m,
                                            const WireError& unknown,
                                            Reply later);
  std::optional<std::string> Reload(const ClientMessage& m, Role role,
                                    Reply later);

  ServerState& state_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_REQUEST_HANDLER_H_

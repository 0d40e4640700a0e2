// Access rules checked at the WebSocket handshake and on HTTP endpoints:
// which browser origins may connect, and which token a client presented.
//
//   if (!OriginAllowed(origin, host, config.allow_origins)) Respond(403);
//   Role role = Authenticate(req, config);
//   if (role == Role::kDenied) Respond(401);
//
// A token comes in "Authorization: Bearer TOKEN" or, for browsers, whose
// WebSocket API cannot set headers, in the query: /ws?token=TOKEN.
//
// Thread safety: pure functions.
#ifndef REPLY_SERVER_ACCESS_H_
#define REPLY_SERVER_ACCESS_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"

namespace reply::server {

enum class Role {
  kDenied,  // tokens are configured and none matched
  kShop,    // a shop token, or no tokens configured
  kAdmin,   // the admin token: may also reload
};

// A request without Origin is not from a browser page and is allowed; token
// auth covers those. With no allow-list, only pages of the same host
// (Origin's authority equals the Host header) may connect.
bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed);

Role Authenticate(
    const boost::beast::http::request<boost::beast::http::string_body>& req,
    const ServerConfig& config);

// The value of `name` in the query of `target` ("/ws?token=abc"), undecoded.
std::string_view QueryParam(std::string_view target, std::string_view name);
// The path of `target`, without the query.
std::string_view TargetPath(std::string_view target);

}  // namespace reply::server

#endif  // REPLY_SERVER_ACCESS_H_

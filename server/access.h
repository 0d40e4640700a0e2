// Access rules checked on every HTTP request and at the WebSocket handshake:
// which names the server answers to (Host), which browser pages may open /ws
// (Origin), and which token a client presented.
//
//   if (HostCheckRequired(config) && !HostAllowed(host, config, local))
//     Respond(403);
//   if (!OriginAllowed(origin, config, local)) Respond(403);
//   Client client = Identify(req, config, tokens);
//   if (client.role == Role::kDenied) Respond(401);
//
// `local` is the server's end of the connection (its address and port).
//
// Host names allowed: localhost, 127.0.0.1 and [::1], the --allow-host
// names and, on a connection to a non-loopback address, any IP literal; any
// port. A DNS-rebinding page always carries its own DNS name in Host, so
// none of these can be one. The Host header is checked when no shop token
// is configured (anyone reaching the port may use it, so a rebinding page
// must not) or when --allow-host is given; with tokens and no --allow-host
// the token is the protection and any Host passes.
//
// Origin (sent by browsers): absent passes (not a browser page; tokens
// cover those). With --allow-origin it must be one of them exactly.
// Without, it must be http(s)://HOST:PORT with HOST an allowed name (above)
// and PORT (explicit, or the scheme's default) the server's own port: a page
// served by replyd itself. It is never compared with the request's Host,
// which a rebinding page controls.
//
// A token comes in "Authorization: Bearer TOKEN" or, for browsers, whose
// WebSocket API cannot set headers, in the query: /ws?token=TOKEN. Tokens
// are compared as SHA-256 digests in constant time, so neither their bytes
// nor their length can be learned from response times. A token of the
// tokens file (server/shop_tokens.h) makes the client that shop's: it is
// answered with the shop's policy and reads only the shop's feedback; a
// --token makes it the default shop's (shop.yaml), as does no token where
// none is required.
//
// Thread safety: pure functions.
#ifndef REPLY_SERVER_ACCESS_H_
#define REPLY_SERVER_ACCESS_H_

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"
#include "server/shop_tokens.h"

namespace reply::server {

enum class Role {
  kDenied,  // tokens are configured and none matched
  kShop,    // a shop token, or no tokens configured
  kAdmin,   // the admin token: may also reload
};

// Who a client is: its role and the shop its token belongs to.
struct Client {
  Role role = Role::kDenied;
  std::string shop;  // shops/<shop>.yaml; empty: the default shop (shop.yaml)
};

bool HostCheckRequired(const ServerConfig& config);

// `host` is the Host header's value: "name", "name:port", "[v6]:port".
bool HostAllowed(std::string_view host, const ServerConfig& config,
                 const boost::asio::ip::tcp::endpoint& local);

bool OriginAllowed(std::string_view origin, const ServerConfig& config,
                   const boost::asio::ip::tcp::endpoint& local);

Client Identify(
    const boost::beast::http::request<boost::beast::http::string_body>& req,
    const ServerConfig& config, const ShopTokens& tokens);
// Identify without a tokens file: the role alone.
Role Authenticate(
    const boost::beast::http::request<boost::beast::http::string_body>& req,
    const ServerConfig& config);

// Whether two secrets are equal, in time that depends on neither their
// contents nor their lengths.
bool SameSecret(std::string_view presented, std::string_view configured);

// Whether `name` may be given to --allow-host: a DNS name, an IPv4 literal
// or a bracketed IPv6 literal, without a port.
bool ValidHostName(std::string_view name);

// The value of `name` in the query of `target` ("/ws?token=abc"), undecoded.
std::string_view QueryParam(std::string_view target, std::string_view name);
// The path of `target`, without the query.
std::string_view TargetPath(std::string_view target);

}  // namespace reply::server

#endif  // REPLY_SERVER_ACCESS_H_

// The plain HTTP endpoints on the server's port:
//   GET /healthz  pack version; the load error if the last reload failed
//   GET /metrics  Prometheus text (server/metrics.h)
//   GET /stats    acceptance rates per template and intent, from the store
//   GET /templates  every reply variant per locale, its text unfilled (the
//                 console's template search)
//   GET /...      static files of the web root
// /metrics, /stats and /templates need a token when tokens are configured;
// /healthz never does (load balancers probe it). A shop's token (tokens
// file) reads its own shop's /stats and /templates and no /metrics (403:
// they count every shop); the admin token reads every shop's /stats, or
// one's with /stats?shop=ID.
//
//   HttpResponse res = RouteHttp(req, state, client);
//
// Thread safety: RouteHttp may be called from any number of threads.
#ifndef REPLY_SERVER_HTTP_ROUTES_H_
#define REPLY_SERVER_HTTP_ROUTES_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/access.h"
#include "server/server_state.h"

namespace reply::server {

using HttpRequest =
    boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse =
    boost::beast::http::response<boost::beast::http::string_body>;

HttpResponse RouteHttp(const HttpRequest& req, ServerState& state,
                       const Client& client);

// Whether RouteHttp may block on the feedback database for `req` (/stats):
// such a request is routed on state.blocking, not on an I/O thread.
bool ReadsTheDatabase(const HttpRequest& req);

// A short plain-text response (errors, refusals).
HttpResponse TextResponse(const HttpRequest& req,
                          boost::beast::http::status status,
                          std::string_view text);

}  // namespace reply::server

#endif  // REPLY_SERVER_HTTP_ROUTES_H_

#include "server/http_routes.h"

#include <boost/beast/version.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/pack/pack.h"
#include "server/static_files.h"

namespace reply::server {
namespace {

namespace http = boost::beast::http;
using nlohmann::ordered_json;

HttpResponse Respond(const HttpRequest& req, http::status status,
                     std::string_view content_type, std::string body) {
  HttpResponse res{status, req.version()};
  res.set(http::field::server, "replyd");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

HttpResponse JsonResponse(const HttpRequest& req, http::status status,
                          const ordered_json& body) {
  return Respond(req, status, "application/json", body.dump());
}

HttpResponse Healthz(const HttpRequest& req, ServerState& state) {
  const PackReloader::Health health = state.reloader.health();
  ordered_json body = {
      {"status", health.last_error.empty() ? "ok" : "degraded"},
      {"pack_version", health.pack_version},
      {"reloads", health.reloads},
      {"connections", state.connections.size()}};
  if (!health.last_error.empty()) body["load_error"] = health.last_error;
  return JsonResponse(req, http::status::ok, body);
}

// One row of /stats. The rates are over the suggestions shown (a console
// sends `shown` for each card it displays; a card answered without it
// counts as shown too), null before anything was shown.
ordered_json Rates(const char* key_name, const ordered_json& key,
                   const FeedbackStats& c) {
  const int64_t total = c.accepted + c.edited + c.rejected + c.ignored;
  const auto rate = [&c](int64_t n) -> ordered_json {
    if (c.shown == 0) return nullptr;
    return static_cast<double>(n) / static_cast<double>(c.shown);
  };
  return {{key_name, key},
          {"shown", c.shown},
          {"accepted", c.accepted},
          {"edited", c.edited},
          {"rejected", c.rejected},
          {"ignored", c.ignored},
          {"total", total},
          {"acceptance_rate", rate(c.accepted)},
          {"used_rate", rate(c.accepted + c.edited)}};
}

// A shop's client reads its own shop's rows only; the admin reads every
// row, or one shop's with ?shop=ID.
HttpResponse Stats(const HttpRequest& req, ServerState& state,
                   const Client& client) {
  const std::string_view asked = QueryParam(req.target(), "shop");
  Result<std::vector<FeedbackStats>> stats =
      client.role != Role::kAdmin ? state.store.StatsOfShop(client.shop)
      : asked.empty()             ? state.store.Stats()
                                  : state.store.StatsOfShop(asked);
  if (!stats.ok()) {
    return TextResponse(req, http::status::internal_server_error,
                        stats.status().message());
  }
  ordered_json templates = ordered_json::array();
  std::map<std::string, FeedbackStats> by_intent;
  for (const FeedbackStats& s : *stats) {
    FeedbackStats& sum = by_intent[s.intent];
    sum.shown += s.shown;
    sum.accepted += s.accepted;
    sum.edited += s.edited;
    sum.rejected += s.rejected;
    sum.ignored += s.ignored;
    sum.own_replies += s.own_replies;
    if (s.template_id.empty()) continue;  // own replies: no template
    ordered_json row = Rates("template", s.template_id, s);
    row["intent"] = s.intent;
    templates.push_back(std::move(row));
  }
  ordered_json intents = ordered_json::array();
  for (const auto& [intent, c] : by_intent) {
    // An own reply typed while no suggestion was showing has no intent.
    ordered_json row = Rates(
        "intent", intent.empty() ? ordered_json() : ordered_json(intent), c);
    row["own_replies"] = c.own_replies;
    intents.push_back(std::move(row));
  }
  return JsonResponse(
      req, http::status::ok,
      {{"templates", std::move(templates)}, {"intents", std::move(intents)}});
}

// Every reply variant of the serving packs, per locale, with its text as
// written (placeholders unfilled): what a console searches when no
// suggestion fits. Built per request from the snapshot; it is small (a few
// hundred variants) and asked for once per page.
// A shop's client sees the shop's own wording where it has one.
HttpResponse Templates(const HttpRequest& req, ServerState& state,
                       const Client& client) {
  const std::shared_ptr<const Pack> pack = state.engine.pack();
  const Shop* shop = pack->FindShop(client.shop);
  ordered_json locales = ordered_json::array();
  for (const LocalePack& locale : pack->locales) {
    ordered_json templates = ordered_json::array();
    for (size_t i = 0; i < locale.variants.size(); ++i) {
      const Variant& v = locale.variants[i];
      const ReplyTemplate* own =
          shop != nullptr ? shop->TextOf(locale.locale, static_cast<int>(i))
                          : nullptr;
      templates.push_back({{"template", v.id},
                           {"intent", locale.intents[v.intent].id},
                           {"text", (own != nullptr ? *own : v.text).source()},
                           {"handoff", v.handoff}});
    }
    locales.push_back(
        {{"locale", locale.locale}, {"templates", std::move(templates)}});
  }
  return JsonResponse(
      req, http::status::ok,
      {{"pack_version", pack->version}, {"locales", std::move(locales)}});
}

}  // namespace

HttpResponse TextResponse(const HttpRequest& req, http::status status,
                          std::string_view text) {
  return Respond(req, status, "text/plain; charset=utf-8",
                 std::string(text) + "\n");
}

HttpResponse RouteHttp(const HttpRequest& req, ServerState& state,
                       const Client& client) {
  const Role role = client.role;
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    HttpResponse res =
        TextResponse(req, http::status::method_not_allowed, "GET or HEAD");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const std::string_view path = TargetPath(req.target());
  if (path == "/healthz") return Healthz(req, state);
  if (path == "/metrics" || path == "/stats" || path == "/templates") {
    if (role == Role::kDenied) {
      return TextResponse(req, http::status::unauthorized,
                          "a token is required");
    }
    if (path == "/stats") return Stats(req, state, client);
    if (path == "/templates") return Templates(req, state, client);
    // The counters cover every shop: the operator's, not one shop's.
    if (!client.shop.empty()) {
      return TextResponse(req, http::status::forbidden,
                          "/metrics covers every shop: use the admin token "
                          "(or a --token) for it");
    }
    return Respond(req, http::status::ok, "text/plain; version=0.0.4",
                   state.metrics.Render(state.engine.pack()->version,
                                        state.connections.size()));
  }
  if (path == "/ws") {
    return TextResponse(req, http::status::upgrade_required,
                        "/ws speaks WebSocket (docs/protocol.md)");
  }
  Result<StaticFile> file = ReadStaticFile(state.config.web, path);
  if (!file.ok()) {
    const bool bad_path = file.status().code() == Status::Code::kBadRequest;
    return TextResponse(
        req, bad_path ? http::status::bad_request : http::status::not_found,
        file.status().message());
  }
  return Respond(req, http::status::ok, file->content_type,
                 std::move(file->body));
}

}  // namespace reply::server

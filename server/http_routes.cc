#include "server/http_routes.h"

#include <boost/beast/version.hpp>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/pack/pack.h"
#include "engine/select/ranking.h"
#include "learn/report.h"
#include "server/access.h"
#include "server/log.h"
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
  // Feedback only: suggestions need no database, so an unreachable one
  // leaves the status (and the 200 load balancers check) as it is.
  body["feedback_store"] = state.store.Reachable() ? "ok" : "unreachable";
  // What the learned order was computed from (docs/learning.md); null
  // while replies go in the authors' order (--no-learn, or not computed
  // yet).
  ordered_json learned = nullptr;
  if (const std::shared_ptr<const Ranking> ranking = state.engine.ranking()) {
    int64_t shown = 0, templates = 0;
    const auto pooled = ranking->evidence().find("");
    if (pooled != ranking->evidence().end()) {
      for (const auto& [id, e] : pooled->second) {
        shown += e.shown;
        ++templates;
      }
    }
    learned = {{"templates", templates},
               {"shown", shown},
               {"shops", ranking->evidence().size() -
                             (pooled != ranking->evidence().end() ? 1 : 0)}};
  }
  body["learned"] = std::move(learned);
  return JsonResponse(req, http::status::ok, body);
}

// The feedback report (learn/report.h) over ?since=&until= (milliseconds
// since the epoch; default all of it), with the serving packs' templates
// for "never offered". Read through its own read-only connection: the
// writer is never blocked (WAL). A shop's client reads its own shop's rows
// only; the admin reads every row, or one shop's with ?shop=ID.
HttpResponse Stats(const HttpRequest& req, ServerState& state,
                   const Client& client) {
  learn::ReportOptions options;
  if (client.role != Role::kAdmin) {
    options.shop = client.shop;
  } else if (const std::string_view asked = QueryParam(req.target(), "shop");
             !asked.empty()) {
    options.shop = std::string(asked);
  }
  for (const auto& [name, bound] :
       {std::pair{"since", &options.since_ms}, {"until", &options.until_ms}}) {
    const std::string_view value = QueryParam(req.target(), name);
    if (value.empty()) continue;
    int64_t ms = 0;
    const auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return TextResponse(
          req, http::status::bad_request,
          std::string(name) + ": expected milliseconds since the Unix epoch");
    }
    *bound = ms;
  }
  std::vector<learn::KnownTemplate> known;
  const std::shared_ptr<const Pack> pack = state.engine.pack();
  for (const LocalePack& lp : pack->locales) {
    for (const Variant& v : lp.variants) {
      std::vector<std::string> arms;
      for (const Arm& arm : v.arms) arms.push_back(arm.id);
      known.push_back({lp.intents[v.intent].id, v.id, std::move(arms)});
    }
  }
  Result<learn::Report> report =
      learn::BuildReport(state.config.db, options, known);
  if (!report.ok()) {
    // An empty window is the client's; anything else is the server's (the
    // path and SQLite's reason go to the log, not to clients).
    if (report.status().code() == ErrorCode::kBadRequest) {
      return TextResponse(req, http::status::bad_request,
                          report.status().message());
    }
    Log(LogLevel::kError, "stats_failed",
        {{"error", report.status().message()}});
    return TextResponse(req, http::status::internal_server_error,
                        "the feedback database cannot be read");
  }
  return JsonResponse(req, http::status::ok, learn::ReportJson(*report));
}

// Every intent and reply variant of the serving packs, per locale, with
// their labels and each variant's text as written (placeholders unfilled):
// what a console shows instead of ids and searches when no suggestion fits.
// Built per request from the snapshot; it is small (a few hundred variants)
// and asked for once per page. A shop's client sees the shop's own wording
// where it has one.
HttpResponse Templates(const HttpRequest& req, ServerState& state,
                       const Client& client) {
  const std::shared_ptr<const Pack> pack = state.engine.pack();
  const Shop* shop = pack->FindShop(client.shop);
  ordered_json locales = ordered_json::array();
  // A missing label is null: the console shows the id then.
  const auto label = [](const std::string& text) {
    return text.empty() ? ordered_json() : ordered_json(text);
  };
  for (const LocalePack& locale : pack->locales) {
    ordered_json intents = ordered_json::array();
    for (const IntentDef& intent : locale.intents) {
      intents.push_back(
          {{"intent", intent.id}, {"label", label(intent.label)}});
    }
    ordered_json templates = ordered_json::array();
    for (size_t i = 0; i < locale.variants.size(); ++i) {
      const Variant& v = locale.variants[i];
      const ReplyTemplate* own =
          shop != nullptr ? shop->TextOf(locale.locale, static_cast<int>(i))
                          : nullptr;
      // A wording experiment's text is its control (the first arm), which
      // requests without a conversation get; `arms` lists every wording.
      const ReplyTemplate& text = own != nullptr   ? *own
                                  : v.arms.empty() ? v.text
                                                   : v.arms[0].text;
      ordered_json row = {{"template", v.id},
                          {"intent", locale.intents[v.intent].id},
                          {"label", label(v.label)},
                          {"text", text.source()},
                          {"handoff", v.handoff}};
      if (!v.arms.empty() && own == nullptr) {
        ordered_json arms = ordered_json::array();
        for (const Arm& arm : v.arms) {
          arms.push_back({{"arm", arm.id},
                          {"weight", arm.weight},
                          {"text", arm.text.source()}});
        }
        row["arms"] = std::move(arms);
      }
      templates.push_back(std::move(row));
    }
    locales.push_back({{"locale", locale.locale},
                       {"intents", std::move(intents)},
                       {"templates", std::move(templates)}});
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

bool ReadsTheDatabase(const HttpRequest& req) {
  return TargetPath(req.target()) == "/stats";
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

#include "server/server.h"

#include <algorithm>
#include <boost/asio/strand.hpp>
#include <chrono>

#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "learn/pg_connection.h"
#include "server/listener.h"
#include "server/log.h"
#include "server/pack_watcher.h"

namespace reply::server {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

// Pack file changes closer together than this cost one reload.
constexpr auto kWatchDebounce = std::chrono::milliseconds(200);
// After the shutdown deadline, how long sessions whose sockets were closed
// get to finish before the I/O threads stop regardless.
constexpr auto kAbortGrace = std::chrono::milliseconds(500);

Result<tcp::endpoint> ResolveListen(net::io_context& ioc,
                                    const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::BadRequest("listen: expected HOST:PORT, got " + listen);
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(
      host, listen.substr(colon + 1),
      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Status::BadRequest("listen: cannot resolve " + listen + ": " +
                              ec.message());
  }
  return results.begin()->endpoint();
}

int IoThreads(const ServerConfig& config) {
  if (config.threads > 0) return config.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(ServerConfig config) {
  SetLogLevel(config.log_level);
  std::unique_ptr<Server> server(new Server(std::move(config)));
  if (Status s = server->Init(); !s.ok()) return s;
  return server;
}

Server::Server(ServerConfig config)
    : config_(std::move(config)),
      io_threads_(IoThreads(config_)),
      connections_(config_.max_connections),
      ioc_(io_threads_) {}

Status Server::Init() {
  std::vector<PackIssue> issues;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(
      {.pack_dir = config_.packs, .loaded = config_.loaded_packs}, &issues);
  if (!engine.ok()) {
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const PackIssue& issue : issues) problems.push_back(issue.ToString());
    Log(LogLevel::kError, "packs_not_loaded",
        {{"packs", config_.packs}, {"issues", problems}});
    return engine.status();
  }
  engine_ = std::move(*engine);
  tokens_ = std::make_unique<ShopTokens>(config_.tokens_file);
  signer_ = std::make_unique<SuggestionSigner>(config_.suggestion_key_file);
  if (Status s = ReloadFiles(); !s.ok()) return s;
  Result<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open({.path = config_.db,
                           .busy_timeout_ms = config_.db_busy_timeout_ms,
                           .max_pending = config_.max_pending_feedback});
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  registry_ = std::make_unique<SuggestionRegistry>(
      SuggestionRegistry::Options{.capacity = config_.suggestion_capacity,
                                  .ttl_ms = config_.suggestion_ttl_s * 1000});
  reloader_ = std::make_unique<PackReloader>(engine_.get(), &metrics_,
                                             [this] { return ReloadFiles(); });
  state_.reset(new ServerState{config_, *engine_, *reloader_, *registry_,
                               *store_, metrics_, connections_, *tokens_,
                               *signer_, blocking_});

  Result<tcp::endpoint> endpoint = ResolveListen(ioc_, config_.listen);
  if (!endpoint.ok()) return endpoint.status();
  listener_ = std::make_shared<Listener>(ioc_, *state_);
  if (Status s = listener_->Open(*endpoint); !s.ok()) return s;
  endpoint_ = listener_->local_endpoint();

  if (config_.watch_packs) {
    auto watcher = PackWatcher::Start(net::make_strand(ioc_), config_.packs,
                                      kWatchDebounce,
                                      [this] { reloader_->Request("watch"); });
    if (!watcher.ok()) return watcher.status();
    watcher_ = std::move(*watcher);
  }

  // After the store: the database file exists (with its schema) before the
  // first read.
  if (config_.learn) {
    learner_ = std::make_unique<Learner>(
        engine_.get(), config_.db,
        std::chrono::seconds(config_.learn_interval_s));
  }
  // Retention erases texts through its own connection, SQLite or
  // PostgreSQL.
  if (config_.feedback_retention_days > 0) {
    retention_ =
        std::make_unique<Retention>(config_.db, config_.feedback_retention_days,
                                    config_.db_busy_timeout_ms);
  }

  work_.emplace(ioc_.get_executor());
  listener_->Run();
  for (int i = 0; i < io_threads_; ++i)
    threads_.emplace_back([this] { ioc_.run(); });

  Log(LogLevel::kInfo, "listening",
      {{"addr", endpoint_.address().to_string()},
       {"port", endpoint_.port()},
       {"packs", config_.packs},
       {"pack_version", engine_->pack()->version},
       {"db", learn::RedactUrl(config_.db)},
       {"learn_interval_s",
        config_.learn ? nlohmann::ordered_json(config_.learn_interval_s)
                      : nlohmann::ordered_json()},
       {"threads", io_threads_}});
  if (config_.suggestion_key_file.empty()) {
    Log(LogLevel::kInfo, "suggestion_key_per_process",
        {{"note",
          "no --suggestion-key-file: suggestion ids verify on this process "
          "only; give the cluster's key file for feedback across servers "
          "and restarts"}});
  }
  if (config_.tokens.empty() && config_.tokens_file.empty()) {
    Log(LogLevel::kWarn, "no_auth",
        {{"note",
          "no --token given: any client may connect; for local use only"}});
  }
  return Status::Ok();
}

Server::~Server() { Shutdown(); }

Status Server::ReloadFiles() {
  if (Status s = signer_->Reload(); !s.ok()) return s;
  const std::shared_ptr<const Pack> pack = engine_->pack();
  return tokens_->Reload([&pack](std::string_view shop) {
    return pack->FindShop(shop) != nullptr;
  });
}

void Server::RequestReload(std::string cause) {
  reloader_->Request(std::move(cause));
}

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (!threads_.empty()) {
    const auto timeout = std::chrono::milliseconds(config_.shutdown_timeout_ms);
    const auto deadline = Connection::Clock::now() + timeout;
    const auto close_by = deadline - std::min<Connection::Clock::duration>(
                                         Connection::kCloseGrace, timeout / 4);
    Log(LogLevel::kInfo, "shutdown", {{"connections", connections_.size()}});
    listener_->Stop();
    if (watcher_) watcher_->Stop();
    connections_.ShutdownAll(close_by);
    if (!connections_.WaitUntilEmpty(deadline)) {
      Log(LogLevel::kWarn, "shutdown_timeout",
          {{"connections_dropped", connections_.size()},
           {"timeout_ms", config_.shutdown_timeout_ms}});
      connections_.AbortAll();
      // A closed socket ends its session's operations at once; this only
      // waits for their handlers to run.
      connections_.WaitUntilEmpty(Connection::Clock::now() + kAbortGrace);
    }
    work_.reset();
    ioc_.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }
  // Its answers go to the stopped io_context too.
  blocking_.Stop();
  // Answers posted by these go to the stopped io_context and are dropped
  // with it; the rows themselves are committed.
  if (learner_) learner_->Stop();
  if (retention_) retention_->Stop();
  if (store_) store_->Close();
  reloader_.reset();
  Log(LogLevel::kInfo, "shutdown_complete");
}

}  // namespace reply::server

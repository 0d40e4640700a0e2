// ServerState: the parts of the server every session uses, in one place.
// The Server owns them; sessions hold a reference that outlives them (the
// Server drains all sessions before it destroys any of these).
//
// Thread safety: each member documents its own; all are safe to share.
#ifndef REPLY_SERVER_SERVER_STATE_H_
#define REPLY_SERVER_SERVER_STATE_H_

#include "engine/engine.h"
#include "server/blocking_work.h"
#include "server/config.h"
#include "server/connection_registry.h"
#include "server/feedback_store.h"
#include "server/metrics.h"
#include "server/pack_reloader.h"
#include "server/shop_tokens.h"
#include "server/suggestion_registry.h"
#include "server/suggestion_signer.h"

namespace reply::server {

struct ServerState {
  const ServerConfig& config;
  Engine& engine;
  PackReloader& reloader;
  SuggestionRegistry& registry;
  FeedbackStore& store;
  Metrics& metrics;
  ConnectionRegistry& connections;
  const ShopTokens& tokens;
  const SuggestionSigner& signer;
  BlockingWork& blocking;  // requests that read the feedback database
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SERVER_STATE_H_

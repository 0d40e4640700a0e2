// The reply-suggestion engine: a buyer's message (and the order it is about)
// in, the intents it expresses and ready-to-send reply suggestions out.
//
//   Result<std::unique_ptr<Engine>> engine = Engine::Open({.pack_dir = "."});
//   if (!engine.ok()) Die(engine.status().ToString());  // file:line: reason
//
//   Request request;
//   request.message = "怎么还不发货";
//   request.order = ParseOrder(order_json).value();  // engine/order/order.h
//   Result<Response> response = (*engine)->Suggest(request);
//   // response->intents[0].name == "urge_shipment"
//   // response->suggestions[0].text == "亲，非常抱歉，您的订单已超过…"
//
//   // The same over JSON, as the server and replyctl use it:
//   std::string out = (*engine)->SuggestJson(R"({"message": "怎么还不发货"})");
//
//   Status s = (*engine)->Reload();  // on error the old packs keep serving
//
// The pipeline: normalize (engine/normalize), match intents (engine/match),
// derive facts from the order (engine/order), select reply variants
// (engine/select), fill their templates (engine/render). The packs come from
// a directory (engine/pack; formats in docs/authoring.md); the JSON contract
// is in docs/api.md and docs/orders.md.
//
// This header is the façade only: Request and Response are in
// engine/pipeline/request.h, their JSON in engine/api/json_codec.h, the pack
// in engine/pack/pack.h for callers that look inside it. It includes neither
// nlohmann nor the pack, so a file that only asks for suggestions compiles
// without them.
//
// Limits: a message is at most Request::kMaxMessageBytes of UTF-8, a request
// asks for at most Request::kMaxSuggestions suggestions.
//
// Thread safety: Suggest, SuggestJson and the accessors may be called from
// any number of threads at once, also while Reload runs: each request uses
// the immutable pack snapshot current when it started, and Reload swaps in a
// new snapshot only once it has loaded completely.
#ifndef REPLY_ENGINE_ENGINE_H_
#define REPLY_ENGINE_ENGINE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/base/time.h"
#include "engine/pipeline/request.h"

namespace reply {

class Normalizer;     // engine/normalize/normalizer.h
class LearnedOrders;  // engine/select/learned_orders.h
class Ranking;        // engine/select/ranking.h
struct Pack;          // engine/pack/pack.h
struct PackIssue;     // engine/pack/pack_loader.h
struct Trace;         // engine/pipeline/pipeline.h

class Engine {
 public:
  struct Options {
    std::string pack_dir;
    Clock clock = SystemClock();
    // pack_dir already loaded (LoadPack with Normalizer::Shared()): Open
    // serves it instead of loading again, so a process that opens many
    // engines on one directory (the server tests) pays for one load, most
    // of an engine's start. Reload still reads pack_dir.
    std::shared_ptr<const Pack> loaded = nullptr;
  };

  // Loads the packs; on failure the status lists every problem and
  // *issues (if given) holds them one by one.
  static Result<std::unique_ptr<Engine>> Open(
      Options options, std::vector<PackIssue>* issues = nullptr);

  Result<Response> Suggest(const Request& request) const;
  // Parses a request, suggests, and writes the response, or an error object
  // {"error": {"code": "bad_request", "message": "..."}}.
  std::string SuggestJson(std::string_view request_json) const;

  // Like Suggest, and records in *trace what the request went through: the
  // normalized text with offsets into the message, every pattern that
  // matched, the facts, and what happened to each reply variant. For
  // `replyctl explain`; slower than Suggest (offsets, a second pattern
  // pass), so not for serving. The trace keeps the pack snapshot it points
  // into, so it stays valid across a Reload.
  Result<Response> Explain(const Request& request, Trace* trace) const;

  // Loads the pack directory again. On failure the current snapshot stays.
  Status Reload(std::vector<PackIssue>* issues = nullptr);

  std::shared_ptr<const Pack> pack() const;

  // The learned order of reply variants (engine/select/ranking.h) that
  // later requests use; null: the authors' order. Swapped like a pack: a
  // request keeps the ranking current when it started.
  void SetRanking(std::shared_ptr<const Ranking> ranking);
  std::shared_ptr<const Ranking> ranking() const;
  const Normalizer& normalizer() const { return *normalizer_; }
  UnixSeconds Now() const { return options_.clock(); }

 private:
  Engine(Options options, const Normalizer* normalizer,
         std::shared_ptr<const Pack> pack);

  Options options_;
  const Normalizer* normalizer_;
  // Serializes Reload and SetRanking, which both bind a ranking to a pack
  // outside mu_ (requests go on meanwhile).
  std::mutex write_mu_;
  mutable std::mutex mu_;  // guards pack_ and orders_ (the pointers)
  std::shared_ptr<const Pack> pack_;
  // The learned ranking bound to pack_ (it holds the Ranking); null: the
  // authors' order.
  std::shared_ptr<const LearnedOrders> orders_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_ENGINE_H_

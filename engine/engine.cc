#include "engine/engine.h"

#include "engine/api/json_codec.h"
#include "engine/order/timeline.h"
#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "engine/pipeline/pipeline.h"
#include "engine/select/learned_orders.h"

namespace reply {

Engine::Engine(Options options, const Normalizer* normalizer,
               std::shared_ptr<const Pack> pack)
    : options_(std::move(options)),
      normalizer_(normalizer),
      pack_(std::move(pack)) {}

Result<std::unique_ptr<Engine>> Engine::Open(Options options,
                                             std::vector<PackIssue>* issues) {
  Result<const Normalizer*> normalizer = Normalizer::Shared();
  if (!normalizer.ok()) return normalizer.status();
  std::shared_ptr<const Pack> loaded = std::move(options.loaded);
  if (loaded == nullptr) {
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(options.pack_dir, **normalizer, issues);
    if (!pack.ok()) return pack.status();
    loaded = std::move(*pack);
  }
  return std::unique_ptr<Engine>(
      new Engine(std::move(options), *normalizer, std::move(loaded)));
}

Status Engine::Reload(std::vector<PackIssue>* issues) {
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(options_.pack_dir, *normalizer_, issues);
  if (!pack.ok()) return pack.status();
  // The learned order is bound to a pack: bind the current one to the new
  // pack before both are swapped in together.
  std::lock_guard<std::mutex> writing(write_mu_);
  std::shared_ptr<const LearnedOrders> orders;
  if (std::shared_ptr<const Ranking> ranking = this->ranking()) {
    orders = std::make_shared<const LearnedOrders>(std::move(ranking), *pack);
  }
  std::lock_guard<std::mutex> lock(mu_);
  pack_ = std::move(*pack);
  orders_ = std::move(orders);
  return Status::Ok();
}

std::shared_ptr<const Pack> Engine::pack() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pack_;
}

void Engine::SetRanking(std::shared_ptr<const Ranking> ranking) {
  std::lock_guard<std::mutex> writing(write_mu_);
  std::shared_ptr<const LearnedOrders> orders;
  if (ranking != nullptr) {
    orders = std::make_shared<const LearnedOrders>(std::move(ranking), pack());
  }
  std::lock_guard<std::mutex> lock(mu_);
  orders_ = std::move(orders);
}

std::shared_ptr<const Ranking> Engine::ranking() const {
  std::lock_guard<std::mutex> lock(mu_);
  return orders_ != nullptr ? orders_->shared_ranking() : nullptr;
}

namespace {

// ValidateRequest, then the order's times against the clock of the request.
Status Check(const Request& request, UnixSeconds now) {
  if (Status s = ValidateRequest(request); !s.ok()) return ApiStatus(s);
  if (request.order) return CheckTimeline(*request.order, now);
  return Status::Ok();
}

}  // namespace

Result<Response> Engine::Suggest(const Request& request) const {
  const UnixSeconds now = request.now.value_or(options_.clock());
  if (Status s = Check(request, now); !s.ok()) return s;
  std::shared_ptr<const Pack> pack;
  std::shared_ptr<const LearnedOrders> orders;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pack = pack_;
    orders = orders_;
  }
  return RunPipeline(*pack, request, now, nullptr,
                     orders != nullptr ? &orders->ranking() : nullptr,
                     orders.get());
}

Result<Response> Engine::Explain(const Request& request, Trace* trace) const {
  const UnixSeconds now = request.now.value_or(options_.clock());
  if (Status s = Check(request, now); !s.ok()) return s;
  *trace = Trace();
  trace->pack = this->pack();
  trace->ranking = this->ranking();
  trace->now = now;
  return RunPipeline(*trace->pack, request, trace->now, trace,
                     trace->ranking.get());
}

std::string Engine::SuggestJson(std::string_view request_json) const {
  // Errors are values all the way down; this catch is the last resort that
  // keeps anything unforeseen (std::bad_alloc) from leaving the caller's
  // thread, as an `internal` error instead.
  try {
    Result<Request> request = ParseRequest(request_json);
    if (!request.ok()) return ErrorToJson(request.status());
    Result<Response> response = Suggest(*request);
    if (!response.ok()) return ErrorToJson(response.status());
    return ResponseToJson(*response);
  } catch (const std::exception& e) {
    return ErrorToJson(Status::Internal(e.what()));
  }
}

}  // namespace reply

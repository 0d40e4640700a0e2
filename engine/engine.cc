#include "engine/engine.h"

#include "engine/api/json_codec.h"
#include "engine/base/utf8.h"
#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "engine/pipeline/pipeline.h"

namespace reply {
namespace {

// The limits of docs/api.md that the JSON parser cannot check alone.
Status ValidateRequest(const Request& request) {
  if (request.trigger) {
    if (!request.message.empty()) {
      return Status::BadRequest(
          "message: a trigger request carries no message");
    }
    if (!request.order)
      return Status::BadRequest("order: a trigger request needs an order");
  }
  if (request.message.size() > Request::kMaxMessageBytes) {
    return Status::BadRequest(
        "message: " + std::to_string(request.message.size()) +
        " bytes; the limit is " + std::to_string(Request::kMaxMessageBytes));
  }
  if (const size_t bad = FindInvalidUtf8(request.message);
      bad != std::string::npos) {
    return Status::BadRequest("message: invalid UTF-8 at byte " +
                              std::to_string(bad));
  }
  if (request.max < 1 || request.max > Request::kMaxSuggestions) {
    return Status::BadRequest("max: must be between 1 and " +
                              std::to_string(Request::kMaxSuggestions));
  }
  return Status::Ok();
}

}  // namespace

Engine::Engine(Options options, const Normalizer* normalizer,
               std::shared_ptr<const Pack> pack)
    : options_(std::move(options)),
      normalizer_(normalizer),
      pack_(std::move(pack)) {}

Result<std::unique_ptr<Engine>> Engine::Open(Options options,
                                             std::vector<PackIssue>* issues) {
  Result<const Normalizer*> normalizer = Normalizer::Shared();
  if (!normalizer.ok()) return normalizer.status();
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(options.pack_dir, **normalizer, issues);
  if (!pack.ok()) return pack.status();
  return std::unique_ptr<Engine>(
      new Engine(std::move(options), *normalizer, std::move(*pack)));
}

Status Engine::Reload(std::vector<PackIssue>* issues) {
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(options_.pack_dir, *normalizer_, issues);
  if (!pack.ok()) return pack.status();
  std::lock_guard<std::mutex> lock(mu_);
  pack_ = std::move(*pack);
  return Status::Ok();
}

std::shared_ptr<const Pack> Engine::pack() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pack_;
}

Result<Response> Engine::Suggest(const Request& request) const {
  if (Status s = ValidateRequest(request); !s.ok()) return s;
  const std::shared_ptr<const Pack> pack = this->pack();
  return RunPipeline(*pack, request, request.now.value_or(options_.clock()));
}

Result<Response> Engine::Explain(const Request& request, Trace* trace) const {
  if (Status s = ValidateRequest(request); !s.ok()) return s;
  *trace = Trace();
  trace->pack = this->pack();
  trace->now = request.now.value_or(options_.clock());
  return RunPipeline(*trace->pack, request, trace->now, trace);
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

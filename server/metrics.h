// Metrics: the server's counters, rendered as Prometheus text for
// GET /metrics: requests by type and outcome, request latency histogram,
// matched intents, feedback actions per template, connections, reloads.
//
//   metrics.CountRequest(MessageType::kSuggest, std::nullopt);  // ok
//   metrics.ObserveLatencyUs(42);
//   std::string text = metrics.Render(pack_version, connections.size());
//
// The open-connection gauge is not kept here: ConnectionRegistry owns that
// count and Render is given it.
//
// Thread safety: every method may be called from any thread. Fixed-shape
// counters are atomics; the per-intent and per-template maps take a mutex
// for the few nanoseconds of an increment. What every request counts
// (requests, latency, suggestions, intents) is kept in kShards shards, one
// chosen per thread, each on its own cache lines: the I/O threads then never
// write the same line or take the same mutex on a request; Render sums the
// shards.
#ifndef REPLY_SERVER_METRICS_H_
#define REPLY_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/enum_table.h"
#include "engine/base/error_code.h"
#include "server/vocabulary.h"

namespace reply::server {

enum class RejectReason {
  kTooManyConnections,
  kForbiddenOrigin,
  kUnauthorized,
  kForbiddenHost,     // Host not served (DNS rebinding)
  kMalformedRequest,  // HTTP that does not parse: 400, 413, 431
};
inline constexpr EnumName<RejectReason> kRejectReasonNames[] = {
    {RejectReason::kTooManyConnections, "too_many_connections"},
    {RejectReason::kForbiddenOrigin, "forbidden_origin"},
    {RejectReason::kUnauthorized, "unauthorized"},
    {RejectReason::kForbiddenHost, "forbidden_host"},
    {RejectReason::kMalformedRequest, "malformed_request"},
};
static_assert(InEnumOrder(kRejectReasonNames));

enum class CloseReason { kTooBig, kBadUtf8, kRateLimited, kSlowReader };
inline constexpr EnumName<CloseReason> kCloseReasonNames[] = {
    {CloseReason::kTooBig, "too_big"},
    {CloseReason::kBadUtf8, "bad_utf8"},
    {CloseReason::kRateLimited, "rate_limited"},
    {CloseReason::kSlowReader, "slow_reader"},
};
static_assert(InEnumOrder(kCloseReasonNames));

class Metrics {
 public:
  // Upper bounds of the latency buckets, in microseconds.
  static constexpr std::array<int64_t, 12> kLatencyBoundsUs = {
      50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000};

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `type`: nullopt for a frame that has none or was not run (type="none").
  // `error`: nullopt when the request succeeded.
  void CountRequest(std::optional<MessageType> type,
                    std::optional<ErrorCode> error);
  // Time from reading a frame to queuing its answer.
  void ObserveLatencyUs(int64_t micros);
  void CountIntent(std::string_view intent);
  void CountSuggestions(size_t n);
  void CountFeedback(std::string_view template_id, FeedbackAction action);
  // Per shop of the tokens file (the default shop is not counted apart).
  void CountShopRequest(std::string_view shop);
  void CountShopFeedback(std::string_view shop, FeedbackAction action);
  void CountAccepted() { ++connections_total_; }
  void CountRejected(RejectReason reason);
  void CountClosed(CloseReason reason);
  void CountReload(bool ok);

  std::string Render(std::string_view pack_version,
                     size_t open_connections) const;

 private:
  // More shards than I/O threads are usual; a thread beyond kShards shares.
  static constexpr size_t kShards = 8;

  // The counters every request touches, for the threads using this shard.
  struct alignas(64) Shard {
    // [type or none][ok or error code]
    std::array<std::array<std::atomic<uint64_t>, kErrorCodes>,
               kMessageTypes + 1>
        requests{};
    std::array<std::atomic<uint64_t>, kLatencyBoundsUs.size() + 1>
        latency_buckets{};
    std::atomic<uint64_t> latency_count{0};
    std::atomic<uint64_t> latency_sum_us{0};
    std::atomic<uint64_t> suggestions{0};
    mutable std::mutex mu;  // guards intents
    std::map<std::string, uint64_t, std::less<>> intents;
  };

  // The calling thread's shard: threads take shards in turn, at first use.
  Shard& ThisThreadsShard();

  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> connections_total_{0};
  std::array<std::atomic<uint64_t>, std::size(kRejectReasonNames)> rejected_{};
  std::array<std::atomic<uint64_t>, std::size(kCloseReasonNames)> closed_{};
  std::atomic<uint64_t> reloads_ok_{0};
  std::atomic<uint64_t> reloads_failed_{0};

  mutable std::mutex mu_;  // guards feedback_, shop_requests_, shop_feedback_
  std::map<std::pair<std::string, int>, uint64_t>
      feedback_;  // (template, action)
  std::map<std::string, uint64_t, std::less<>> shop_requests_;
  std::map<std::pair<std::string, int>, uint64_t> shop_feedback_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_METRICS_H_

#include "server/metrics.h"

#include <sstream>

namespace reply::server {
namespace {

// A Prometheus label value: backslash, quote and newline escaped.
std::string Label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Header(std::ostringstream& out, const char* name, const char* type,
            const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type
      << "\n";
}

}  // namespace

Metrics::Shard& Metrics::ThisThreadsShard() {
  static std::atomic<size_t> next{0};
  thread_local const size_t index = next.fetch_add(1) % kShards;
  return shards_[index];
}

void Metrics::CountRequest(std::optional<MessageType> type,
                           std::optional<ErrorCode> error) {
  const size_t t = type ? static_cast<size_t>(*type) : kMessageTypes;
  const size_t e = static_cast<size_t>(error.value_or(ErrorCode::kOk));
  ThisThreadsShard().requests[t][e].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::ObserveLatencyUs(int64_t micros) {
  size_t bucket = 0;
  while (bucket < kLatencyBoundsUs.size() &&
         micros > kLatencyBoundsUs[bucket]) {
    ++bucket;
  }
  Shard& shard = ThisThreadsShard();
  shard.latency_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  shard.latency_count.fetch_add(1, std::memory_order_relaxed);
  shard.latency_sum_us.fetch_add(static_cast<uint64_t>(micros),
                                 std::memory_order_relaxed);
}

void Metrics::CountIntent(std::string_view intent) {
  Shard& shard = ThisThreadsShard();
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.intents.find(intent);
  if (it == shard.intents.end()) {
    it = shard.intents.emplace(std::string(intent), 0).first;
  }
  ++it->second;
}

void Metrics::CountSuggestions(size_t n) {
  ThisThreadsShard().suggestions.fetch_add(n, std::memory_order_relaxed);
}

void Metrics::CountFeedback(std::string_view template_id,
                            FeedbackAction action) {
  std::lock_guard<std::mutex> lock(mu_);
  ++feedback_[{std::string(template_id), static_cast<int>(action)}];
}

void Metrics::CountShopRequest(std::string_view shop) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shop_requests_.find(shop);
  if (it == shop_requests_.end()) {
    it = shop_requests_.emplace(std::string(shop), 0).first;
  }
  ++it->second;
}

void Metrics::CountShopFeedback(std::string_view shop, FeedbackAction action) {
  std::lock_guard<std::mutex> lock(mu_);
  ++shop_feedback_[{std::string(shop), static_cast<int>(action)}];
}

void Metrics::CountRejected(RejectReason reason) {
  ++rejected_[static_cast<size_t>(reason)];
}

void Metrics::CountClosed(CloseReason reason) {
  ++closed_[static_cast<size_t>(reason)];
}

void Metrics::CountReload(bool ok) { ++(ok ? reloads_ok_ : reloads_failed_); }

std::string Metrics::Render(std::string_view pack_version,
                            size_t open_connections) const {
  // A counter summed over the shards.
  const auto sum = [this](const auto& counter_of) {
    uint64_t total = 0;
    for (const Shard& s : shards_) {
      total += counter_of(s).load(std::memory_order_relaxed);
    }
    return total;
  };
  std::ostringstream out;
  Header(out, "replyd_requests_total", "counter",
         "Protocol requests by type and outcome (ok or the error code).");
  for (int t = 0; t <= kMessageTypes; ++t) {
    const std::string_view type =
        t == kMessageTypes ? "none"
                           : MessageTypeName(static_cast<MessageType>(t));
    for (int e = 0; e < kErrorCodes; ++e) {
      const uint64_t n =
          sum([&](const Shard& s) -> const auto& { return s.requests[t][e]; });
      if (n == 0) continue;
      const std::string_view outcome =
          ErrorCodeName(static_cast<ErrorCode>(e));  // "ok" for kOk
      out << "replyd_requests_total{type=\"" << type << "\",outcome=\""
          << outcome << "\"} " << n << "\n";
    }
  }

  Header(out, "replyd_request_duration_seconds", "histogram",
         "Time from reading a request to queuing its answer.");
  uint64_t cumulative = 0;
  for (size_t b = 0; b <= kLatencyBoundsUs.size(); ++b) {
    cumulative += sum([&](const Shard& s) -> const auto& {
      return s.latency_buckets[b];
    });
    out << "replyd_request_duration_seconds_bucket{le=\"";
    if (b == kLatencyBoundsUs.size()) {
      out << "+Inf";
    } else {
      out << static_cast<double>(kLatencyBoundsUs[b]) / 1e6;
    }
    out << "\"} " << cumulative << "\n";
  }
  out << "replyd_request_duration_seconds_sum "
      << static_cast<double>(sum(
             [](const Shard& s) -> const auto& { return s.latency_sum_us; })) /
             1e6
      << "\n";
  out << "replyd_request_duration_seconds_count "
      << sum([](const Shard& s) -> const auto& { return s.latency_count; })
      << "\n";

  Header(out, "replyd_suggestions_total", "counter", "Suggestions sent.");
  out << "replyd_suggestions_total "
      << sum([](const Shard& s) -> const auto& { return s.suggestions; })
      << "\n";

  std::map<std::string, uint64_t, std::less<>> intents;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const auto& [intent, n] : shard.intents) intents[intent] += n;
  }
  Header(out, "replyd_intent_matches_total", "counter",
         "Requests whose best intent was this one.");
  for (const auto& [intent, n] : intents) {
    out << "replyd_intent_matches_total{intent=\"" << Label(intent) << "\"} "
        << n << "\n";
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    Header(out, "replyd_feedback_total", "counter",
           "Committed feedback by template and action.");
    for (const auto& [key, n] : feedback_) {
      out << "replyd_feedback_total{template=\"" << Label(key.first)
          << "\",action=\""
          << FeedbackActionName(static_cast<FeedbackAction>(key.second))
          << "\"} " << n << "\n";
    }
    Header(out, "replyd_shop_suggest_requests_total", "counter",
           "Answered suggest and trigger requests per shop (tokens file).");
    for (const auto& [shop, n] : shop_requests_) {
      out << "replyd_shop_suggest_requests_total{shop=\"" << Label(shop)
          << "\"} " << n << "\n";
    }
    Header(out, "replyd_shop_feedback_total", "counter",
           "Committed feedback per shop (tokens file) and action.");
    for (const auto& [key, n] : shop_feedback_) {
      out << "replyd_shop_feedback_total{shop=\"" << Label(key.first)
          << "\",action=\""
          << FeedbackActionName(static_cast<FeedbackAction>(key.second))
          << "\"} " << n << "\n";
    }
  }

  Header(out, "replyd_connections", "gauge", "Open connections.");
  out << "replyd_connections " << open_connections << "\n";
  Header(out, "replyd_connections_total", "counter", "Connections accepted.");
  out << "replyd_connections_total " << connections_total_.load() << "\n";
  Header(out, "replyd_connections_rejected_total", "counter",
         "Connections refused before they were served.");
  for (size_t i = 0; i < rejected_.size(); ++i) {
    out << "replyd_connections_rejected_total{reason=\""
        << kRejectReasonNames[i].name << "\"} " << rejected_[i].load() << "\n";
  }
  Header(out, "replyd_connections_closed_total", "counter",
         "WebSocket connections the server closed for breaking a limit.");
  for (size_t i = 0; i < closed_.size(); ++i) {
    out << "replyd_connections_closed_total{reason=\""
        << kCloseReasonNames[i].name << "\"} " << closed_[i].load() << "\n";
  }
  Header(out, "replyd_reloads_total", "counter", "Pack reloads by result.");
  out << "replyd_reloads_total{result=\"ok\"} " << reloads_ok_.load() << "\n";
  out << "replyd_reloads_total{result=\"error\"} " << reloads_failed_.load()
      << "\n";
  Header(out, "replyd_pack_info", "gauge", "The pack version being served.");
  out << "replyd_pack_info{version=\"" << Label(pack_version) << "\"} 1\n";
  return out.str();
}

}  // namespace reply::server

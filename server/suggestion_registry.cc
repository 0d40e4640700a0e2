#include "server/suggestion_registry.h"

#include <chrono>

namespace reply::server {

MillisClock SystemMillisClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

SuggestionRegistry::SuggestionRegistry(Options options)
    : options_(std::move(options)),
      shard_capacity_((options_.capacity + kShards - 1) / kShards) {
  // Full size from the start: no rehash pauses while traffic grows.
  for (Shard& shard : shards_) shard.index.reserve(shard_capacity_ + 1);
}

void SuggestionRegistry::Remember(const SuggestionId& id,
                                  SuggestionRecord record) {
  const int64_t now = options_.clock();
  Shard& shard = ShardOf(id);
  std::lock_guard<std::mutex> lock(shard.mu);
  // Entries are in send order, so expired ones are at the front.
  while (
      !shard.order.empty() &&
      (shard.order.size() >= shard_capacity_ ||
       shard.order.front().second.suggested_at_ms + options_.ttl_ms <= now)) {
    shard.index.erase(shard.order.front().first);
    shard.order.pop_front();
  }
  if (auto it = shard.index.find(id); it != shard.index.end()) {
    shard.order.erase(it->second);
    shard.index.erase(it);
  }
  record.suggested_at_ms = now;
  shard.order.emplace_back(id, std::move(record));
  shard.index.emplace(id, std::prev(shard.order.end()));
}

std::optional<SuggestionRecord> SuggestionRegistry::Find(
    const SuggestionId& id) const {
  const int64_t now = options_.clock();
  Shard& shard = ShardOf(id);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(id);
  if (it == shard.index.end()) return std::nullopt;
  const SuggestionRecord& record = it->second->second;
  if (record.suggested_at_ms + options_.ttl_ms <= now) return std::nullopt;
  return record;
}

size_t SuggestionRegistry::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.order.size();
  }
  return total;
}

}  // namespace reply::server

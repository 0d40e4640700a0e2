// SuggestionRegistry: what the server remembers about each suggestion it sent,
// so that feedback quoting the suggestion's id can be stored with its intent,
// template, pack version and latency.
//
//   SuggestionRegistry registry({.capacity = 100'000, .ttl_ms = 3'600'000});
//   registry.Remember(id, record);
//   std::optional<SuggestionRecord> r = registry.Find(id);  // nullopt: unknown
//   or expired
//
// Limits: memory is bounded by `capacity` entries (about 0.5 KiB each with
// typical texts); when full, the least recently sent suggestion is dropped.
// An entry also expires `ttl_ms` after it was sent. Feedback for a dropped or
// expired suggestion is refused with a clear error rather than stored half.
//
// Thread safety: every method may be called from any thread. The map is split
// into shards with one mutex each, so I/O threads rarely wait on each other.
#ifndef REPLY_SERVER_SUGGESTION_REGISTRY_H_
#define REPLY_SERVER_SUGGESTION_REGISTRY_H_

#include <array>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/suggestion_id.h"

namespace reply::server {

// Milliseconds since the Unix epoch.
using MillisClock = std::function<int64_t()>;
MillisClock SystemMillisClock();

struct SuggestionRecord {
  std::string conversation_id;  // empty: the request gave none
  std::string intent;
  std::string template_id;
  std::string pack_version;
  std::string text;        // as suggested
  int64_t latency_us = 0;  // the engine's time for the whole request
  int64_t suggested_at_ms = 0;
  std::string arm = {};   // the wording experiment's arm; empty: none
  std::string shop = {};  // empty: the default shop (shop.yaml)
};

class SuggestionRegistry {
 public:
  struct Options {
    size_t capacity = 100'000;
    int64_t ttl_ms = 3'600'000;
    MillisClock clock = SystemMillisClock();
  };

  explicit SuggestionRegistry(Options options);
  SuggestionRegistry(const SuggestionRegistry&) = delete;
  SuggestionRegistry& operator=(const SuggestionRegistry&) = delete;

  void Remember(const SuggestionId& id, SuggestionRecord record);
  std::optional<SuggestionRecord> Find(const SuggestionId& id) const;
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;

  struct Shard {
    mutable std::mutex mu;
    // Oldest first; the map points into it.
    std::list<std::pair<SuggestionId, SuggestionRecord>> order;
    std::unordered_map<SuggestionId, decltype(order)::iterator,
                       SuggestionIdHash>
        index;
  };

  Shard& ShardOf(const SuggestionId& id) const {
    return shards_[(id.Hash() >> 56) % kShards];
  }

  const Options options_;
  const size_t shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SUGGESTION_REGISTRY_H_

// The registry keeps what feedback needs, within its capacity and TTL.
#include "server/suggestion_registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace reply::server {
namespace {

SuggestionRecord Record(const std::string& template_id) {
  return {.conversation_id = "c1",
          .intent = "urge_shipment",
          .template_id = template_id,
          .pack_version = "v1",
          .text = "亲",
          .latency_us = 12};
}

TEST(SuggestionRegistryTest, RemembersAndStampsTheTime) {
  int64_t now = 1000;
  SuggestionRegistry registry(
      {.capacity = 100, .ttl_ms = 60'000, .clock = [&] { return now; }});
  const SuggestionId id = SuggestionId::Random();
  registry.Remember(id, Record("t.a"));
  std::optional<SuggestionRecord> found = registry.Find(id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->template_id, "t.a");
  EXPECT_EQ(found->conversation_id, "c1");
  EXPECT_EQ(found->latency_us, 12);
  EXPECT_EQ(found->suggested_at_ms, 1000);
  EXPECT_FALSE(registry.Find(SuggestionId::Random()));
}

TEST(SuggestionRegistryTest, ForgetsAfterTheTtl) {
  int64_t now = 0;
  SuggestionRegistry registry(
      {.capacity = 100, .ttl_ms = 1000, .clock = [&] { return now; }});
  const SuggestionId id = SuggestionId::Random();
  registry.Remember(id, Record("t.a"));
  now = 999;
  EXPECT_TRUE(registry.Find(id));
  now = 1000;
  EXPECT_FALSE(registry.Find(id));
  // Expired entries are dropped as new ones arrive: memory does not keep them.
  registry.Remember(SuggestionId::Random(), Record("t.b"));
  EXPECT_LE(registry.size(), 2u);
}

TEST(SuggestionRegistryTest, StaysWithinItsCapacityDroppingTheOldest) {
  int64_t now = 0;
  SuggestionRegistry registry(
      {.capacity = 160, .ttl_ms = 1'000'000, .clock = [&] { return now; }});
  std::vector<SuggestionId> ids;
  for (int i = 0; i < 2000; ++i) {
    ids.push_back(SuggestionId::Random());
    registry.Remember(ids.back(), Record("t." + std::to_string(i)));
    ++now;
  }
  EXPECT_LE(registry.size(), 160u);
  EXPECT_GE(registry.size(), 100u)
      << "capacity is per shard; most of it is used";
  EXPECT_FALSE(registry.Find(ids.front()));
  std::optional<SuggestionRecord> newest = registry.Find(ids.back());
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->template_id, "t.1999");
}

TEST(SuggestionRegistryTest, IsSafeFromManyThreads) {
  SuggestionRegistry registry({.capacity = 10'000, .ttl_ms = 60'000});
  std::atomic<int> missing{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        const SuggestionId id = SuggestionId::Random();
        registry.Remember(id, Record("t.x"));
        if (!registry.Find(id)) ++missing;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(registry.size(), 2000u);
}

}  // namespace
}  // namespace reply::server

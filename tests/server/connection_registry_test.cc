// The connection registry on its own: the count behind --max-connections,
// slots that move with their socket, shutdown and abort reaching every
// session (also one that attaches late), and the wait that shutdown blocks
// on, woken by the last slot rather than by polling.
#include "server/connection_registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace reply::server {
namespace {

using Clock = Connection::Clock;
using namespace std::chrono_literals;

// A session that records what the registry asked of it.
class FakeConnection : public Connection {
 public:
  void Shutdown(Clock::time_point close_by) override {
    ++shutdowns;
    this->close_by = close_by;
  }
  void Abort() override { ++aborts; }

  std::atomic<int> shutdowns{0};
  std::atomic<int> aborts{0};
  Clock::time_point close_by{};
};

TEST(ConnectionRegistryTest, CountsAdmittedSlotsAndRefusesBeyondTheLimit) {
  ConnectionRegistry registry(2);
  std::optional<ConnectionRegistry::Slot> a = registry.Admit();
  std::optional<ConnectionRegistry::Slot> b = registry.Admit();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(registry.size(), 2u);
  ConnectionRegistry::Refusal why = ConnectionRegistry::Refusal::kShuttingDown;
  EXPECT_FALSE(registry.Admit(&why));
  EXPECT_EQ(why, ConnectionRegistry::Refusal::kFull);
  a.reset();
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_TRUE(registry.Admit()) << "a freed slot makes room";
}

TEST(ConnectionRegistryTest, ASlotMovesWithItsSocketAndCountsOnce) {
  ConnectionRegistry registry(10);
  std::optional<ConnectionRegistry::Slot> http = registry.Admit();
  ASSERT_TRUE(http);
  auto first = std::make_shared<FakeConnection>();
  http->Attach(first);
  // The upgrade: the WebSocket session takes the slot and attaches itself.
  ConnectionRegistry::Slot ws(std::move(*http));
  http.reset();
  EXPECT_EQ(registry.size(), 1u) << "the moved-from slot released nothing";
  auto second = std::make_shared<FakeConnection>();
  ws.Attach(second);
  registry.ShutdownAll(Clock::now() + 1s);
  EXPECT_EQ(first->shutdowns, 0) << "the HTTP session no longer serves it";
  EXPECT_EQ(second->shutdowns, 1);
}

TEST(ConnectionRegistryTest,
     ShutdownReachesEverySessionAndAnyThatAttachesLater) {
  ConnectionRegistry registry(10);
  std::optional<ConnectionRegistry::Slot> a = registry.Admit();
  std::optional<ConnectionRegistry::Slot> pending = registry.Admit();
  auto session = std::make_shared<FakeConnection>();
  a->Attach(session);
  const Clock::time_point close_by = Clock::now() + 5s;
  registry.ShutdownAll(close_by);
  EXPECT_EQ(session->shutdowns, 1);
  EXPECT_EQ(session->close_by, close_by);
  ConnectionRegistry::Refusal why = ConnectionRegistry::Refusal::kFull;
  EXPECT_FALSE(registry.Admit(&why)) << "no new connections while stopping";
  EXPECT_EQ(why, ConnectionRegistry::Refusal::kShuttingDown);
  // Admitted before, attached after (an upgrade under way): told at once.
  auto late = std::make_shared<FakeConnection>();
  pending->Attach(late);
  EXPECT_EQ(late->shutdowns, 1);
  EXPECT_EQ(late->close_by, close_by);

  registry.AbortAll();
  EXPECT_EQ(session->aborts, 1);
  EXPECT_EQ(late->aborts, 1);
  EXPECT_FALSE(registry.Admit());
}

TEST(ConnectionRegistryTest, ASessionAlreadyGoneIsSkipped) {
  ConnectionRegistry registry(10);
  std::optional<ConnectionRegistry::Slot> slot = registry.Admit();
  {
    auto gone = std::make_shared<FakeConnection>();
    slot->Attach(gone);
  }
  registry.ShutdownAll(Clock::now());
  registry.AbortAll();
  EXPECT_EQ(registry.size(), 1u) << "counted until the slot itself goes";
}

TEST(ConnectionRegistryTest, WaitUntilEmptyWakesWhenTheLastSlotGoes) {
  ConnectionRegistry registry(10);
  std::vector<ConnectionRegistry::Slot> slots;
  for (int i = 0; i < 3; ++i) slots.push_back(*registry.Admit());
  std::atomic<bool> released{false};
  std::thread sessions([&] {
    std::this_thread::sleep_for(50ms);
    released = true;
    slots.clear();
  });
  // The deadline is far: only the release can end the wait.
  EXPECT_TRUE(registry.WaitUntilEmpty(Clock::now() + 60s));
  EXPECT_TRUE(released);
  EXPECT_EQ(registry.size(), 0u);
  sessions.join();
  EXPECT_TRUE(registry.WaitUntilEmpty(Clock::now())) << "already empty";
}

TEST(ConnectionRegistryTest, WaitUntilEmptyGivesUpAtTheDeadline) {
  ConnectionRegistry registry(10);
  std::optional<ConnectionRegistry::Slot> stuck = registry.Admit();
  const Clock::time_point deadline = Clock::now() + 100ms;
  EXPECT_FALSE(registry.WaitUntilEmpty(deadline));
  EXPECT_GE(Clock::now(), deadline);
  EXPECT_EQ(registry.size(), 1u);
}

}  // namespace
}  // namespace reply::server

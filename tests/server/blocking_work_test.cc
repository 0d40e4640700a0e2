// BlockingWork: tasks run in order on a thread of their own; a full queue
// refuses the next task; a task that throws does not end the thread; Stop
// waits for the running task and drops the queued ones.
#include "server/blocking_work.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace reply::server {
namespace {

TEST(BlockingWorkTest, RunsTasksInOrderOffTheCallersThread) {
  BlockingWork work;
  std::vector<int> order;
  std::promise<std::thread::id> ran_on;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(work.Post([&order, i] { order.push_back(i); }));
  }
  ASSERT_TRUE(
      work.Post([&ran_on] { ran_on.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(BlockingWorkTest, AFullQueueRefusesAndATaskThatThrowsEndsNothing) {
  BlockingWork work;
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(work.Post([&started, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();
  ASSERT_TRUE(work.Post([] { throw std::runtime_error("boom"); }));
  for (size_t i = 1; i < BlockingWork::kMaxQueued; ++i) {
    ASSERT_TRUE(work.Post([] {})) << i;
  }
  EXPECT_FALSE(work.Post([] {}));
  release.set_value();
  std::promise<void> after;
  // The queue drains past the throwing task.
  while (!work.Post([&after] { after.set_value(); })) {
    std::this_thread::yield();
  }
  after.get_future().wait();
}

TEST(BlockingWorkTest, StopWaitsForTheRunningTaskAndDropsTheQueued) {
  BlockingWork work;
  std::promise<void> started;
  bool finished = false;
  ASSERT_TRUE(work.Post([&] {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished = true;
  }));
  started.get_future().wait();
  auto held = std::make_shared<int>(0);
  bool queued_ran = false;
  ASSERT_TRUE(work.Post([held, &queued_ran] { queued_ran = true; }));
  EXPECT_EQ(held.use_count(), 2);
  work.Stop();
  EXPECT_TRUE(finished);
  EXPECT_FALSE(queued_ran);
  EXPECT_EQ(held.use_count(), 1);  // what the dropped task held is gone
  EXPECT_FALSE(work.Post([] {}));
}

}  // namespace
}  // namespace reply::server

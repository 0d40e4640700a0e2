// The watcher on a real directory with real inotify events.
#include "server/pack_watcher.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "tests/test_util.h"

namespace reply::server {
namespace {

using namespace std::chrono_literals;
using reply::testing::WriteFile;

class PackWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = reply::testing::MakeTempDir("watch");
    WriteFile(dir_ / "shop.yaml", "name: x\n");
    WriteFile(dir_ / "intents/zh/a.yaml", "intents: []\n");
    WriteFile(dir_ / "templates/zh/a.yaml", "intent: a\n");
    auto watcher = PackWatcher::Start(ioc_.get_executor(), dir_.string(), 50ms,
                                      [this] { ++changes_; });
    ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
    watcher_ = *watcher;
    RunFor(20ms);
  }
  void TearDown() override {
    watcher_->Stop();
    ioc_.run_for(50ms);
    std::filesystem::remove_all(dir_);
  }

  void RunFor(std::chrono::milliseconds d) {
    ioc_.restart();
    ioc_.run_for(d);
  }
  // Runs until `changes_` reaches `n`, for 5 s at most.
  void RunUntil(int n) {
    for (int i = 0; i < 500 && changes_ < n; ++i) RunFor(10ms);
  }

  boost::asio::io_context ioc_;
  std::filesystem::path dir_;
  std::shared_ptr<PackWatcher> watcher_;
  int changes_ = 0;
};

TEST_F(PackWatcherTest, AChangedPackFileIsReportedOncePerBurst) {
  for (int i = 0; i < 5; ++i) {
    WriteFile(dir_ / "intents/zh/a.yaml",
              "intents: [] # " + std::to_string(i) + "\n");
    WriteFile(dir_ / "shop.yaml", "name: y" + std::to_string(i) + "\n");
  }
  RunUntil(1);
  RunFor(200ms);  // the debounce has long passed: no second report
  EXPECT_EQ(changes_, 1);
}

TEST_F(PackWatcherTest, NewLocaleDirectoriesAreWatchedToo) {
  WriteFile(dir_ / "templates/vi/b.yaml", "intent: b\n");
  RunUntil(1);
  ASSERT_EQ(changes_, 1);
  RunFor(100ms);
  WriteFile(dir_ / "templates/vi/b.yaml", "intent: b2\n");
  RunUntil(2);
  EXPECT_EQ(changes_, 2);
}

TEST_F(PackWatcherTest, FilesOutsideThePackLayoutAreIgnored) {
  WriteFile(dir_ / "notes.txt", "x");
  WriteFile(dir_ / "intents/zh/.a.yaml.swp", "x");
  std::filesystem::create_directories(dir_ / "build");
  WriteFile(dir_ / "build/CMakeCache.txt", "x");
  RunFor(300ms);
  EXPECT_EQ(changes_, 0);
}

TEST(PackWatcherStartTest, AMissingDirectoryIsAnError) {
  boost::asio::io_context ioc;
  auto watcher =
      PackWatcher::Start(ioc.get_executor(), "/no/such/packs", 50ms, [] {});
  ASSERT_FALSE(watcher.ok());
  EXPECT_NE(watcher.status().message().find("/no/such/packs"),
            std::string::npos);
}

}  // namespace
}  // namespace reply::server

// Replyd: the real replyd binary as a child process for tests that need a
// process of its own (signals, kill -9, resource limits). It listens on an
// ephemeral port, which it reads from the log.
//
//   Replyd replyd({"--db", db}, dir / "log");
//   ASSERT_NE(replyd.port(), 0) << replyd.Log();
//   replyd.Signal(SIGTERM);
//   EXPECT_EQ(replyd.Wait(), 0);
//
// Thread safety: one thread uses it.
#ifndef REPLY_TESTS_SERVER_REPLYD_PROCESS_H_
#define REPLY_TESTS_SERVER_REPLYD_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/ws_client.h"
#include "tests/test_util.h"

extern char** environ;

namespace reply::testing {

class Replyd {
 public:
  // Starts replyd with `args`, its log in `log_path`; waits until it listens.
  // With `file_size_limit`, the process runs under that RLIMIT_FSIZE.
  Replyd(const std::vector<std::string>& args,
         const std::filesystem::path& log_path,
         std::optional<rlim_t> file_size_limit = std::nullopt)
      : log_path_(log_path) {
    std::vector<std::string> all = {REPLYD_PATH, "--listen", "127.0.0.1:0",
                                    "--threads", "2"};
    if (std::find(args.begin(), args.end(), "--packs") == args.end()) {
      all.insert(all.end(), {"--packs", SourceDir().string()});
    }
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int log = ::open(log_path.c_str(),
                           O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    EXPECT_GE(log, 0) << log_path;
    pid_ = fork();
    if (pid_ == 0) {
      // The child of a threaded process: async-signal-safe calls only.
      const rlimit limit{file_size_limit.value_or(RLIM_INFINITY),
                         file_size_limit.value_or(RLIM_INFINITY)};
      if (dup2(log, 2) < 0 ||
          (file_size_limit && setrlimit(RLIMIT_FSIZE, &limit) != 0)) {
        _exit(126);
      }
      execve(REPLYD_PATH, argv.data(), environ);
      _exit(127);
    }
    EXPECT_GT(pid_, 0) << "fork failed";
    ::close(log);
    for (int i = 0; i < 1000 && port_ == 0 && Running(); ++i) {
      for (const nlohmann::json& line : LogLines()) {
        if (line["event"] == "listening") port_ = line["port"];
      }
      if (port_ == 0) std::this_thread::sleep_for(10ms);
    }
  }

  ~Replyd() {
    if (pid_ > 0 && Running()) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }

  uint16_t port() const { return port_; }
  void Signal(int sig) { kill(pid_, sig); }

  // SIGTERM; the exit status (as Wait() gives it) and how long the exit
  // took.
  std::pair<int, std::chrono::steady_clock::duration> Terminate() {
    const auto start = std::chrono::steady_clock::now();
    Signal(SIGTERM);
    const int status = Wait();
    return {status, std::chrono::steady_clock::now() - start};
  }

  bool Running() {
    if (exit_status_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = status;
      return false;
    }
    return true;
  }

  // The exit status (as waitpid reports it) within 10 s, or -1.
  int Wait() {
    for (int i = 0; i < 1000 && Running(); ++i)
      std::this_thread::sleep_for(10ms);
    return exit_status_.value_or(-1);
  }

  std::string Log() const { return ReadFile(log_path_); }
  std::vector<nlohmann::json> LogLines() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(Log());
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
      if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
    }
    return lines;
  }

 private:
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::optional<int> exit_status_;
};

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_REPLYD_PROCESS_H_

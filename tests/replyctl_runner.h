// Runs the real replyctl binary (REPLYCTL_PATH, set by CMake) as a
// subprocess and captures its exit code and output, for the tests of its
// commands. Also copies the fixture pack (tests/fixtures/pack) into a temp
// dir, so a test can break it one file at a time.
#ifndef REPLY_TESTS_REPLYCTL_RUNNER_H_
#define REPLY_TESTS_REPLYCTL_RUNNER_H_

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace reply::testing {

struct CtlResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::filesystem::path FixtureDir() {
  return SourceDir() / "tests" / "fixtures";
}

// Runs `replyctl args...` in `cwd` (the current directory when empty), with
// REPLY_PACKS unset so the pack directory is only what the test says, and
// `input` on its stdin. exit_code is -1 when it did not exit (a crash).
inline CtlResult RunReplyctl(const std::vector<std::string>& args,
                             const std::filesystem::path& cwd = {},
                             const std::string& input = "") {
  const std::filesystem::path dir = MakeTempDir("ctl-run");
  const std::string out_path = (dir / "out").string();
  const std::string err_path = (dir / "err").string();
  const std::string in_path = (dir / "in").string();
  WriteFile(in_path, input);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    const int in = open(in_path.c_str(), O_RDONLY);
    dup2(in, 0);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    unsetenv("REPLY_PACKS");
    std::vector<std::string> argv_strings = {REPLYCTL_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(REPLYCTL_PATH, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CtlResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

// A copy of the fixture pack in a fresh temp dir, with `changes` applied
// (path relative to the pack -> new content; "" deletes the file). The
// caller removes the directory.
inline std::filesystem::path FixturePackWith(
    const std::map<std::string, std::string>& changes) {
  const std::filesystem::path dir = MakeTempDir("ctl-pack");
  std::filesystem::copy(FixtureDir() / "pack", dir,
                        std::filesystem::copy_options::recursive);
  for (const auto& [path, content] : changes) {
    if (content.empty()) {
      std::filesystem::remove(dir / path);
    } else {
      WriteFile(dir / path, content);
    }
  }
  return dir;
}

}  // namespace reply::testing

#endif  // REPLY_TESTS_REPLYCTL_RUNNER_H_

// Helpers shared by the engine tests: paths of the bundled packs and the dev
// set, and small file utilities for building broken packs in temp dirs.
#ifndef REPLY_TESTS_TEST_UTIL_H_
#define REPLY_TESTS_TEST_UTIL_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/test_paths.h"

namespace reply::testing {

inline std::filesystem::path SourceDir() { return REPLY_SOURCE_DIR; }
inline std::filesystem::path EvalFile() {
  return std::filesystem::path(REPLY_EVAL_DIR) / "ecd_buyer_messages.tsv";
}

// Why an eval test fails when its labelled set is absent. The eval tests
// are real gates: without the data they fail (never skip), saying so.
inline std::string EvalSetNotFound(const std::filesystem::path& file) {
  return "eval set not found at " + file.string() +
         " (the repository must sit next to shared/eval; see "
         "eval/README.md)";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::filesystem::path& path,
                      const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// (text, label) pairs of the labelled dev set.
inline std::vector<std::pair<std::string, std::string>> ReadEvalSet() {
  std::vector<std::pair<std::string, std::string>> rows;
  std::ifstream in(EvalFile());
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.rfind('\t');
    if (tab == std::string::npos) continue;
    rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return rows;
}

// A fresh empty directory under the system temp dir, removed by the caller.
inline std::filesystem::path MakeTempDir(const std::string& tag) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("reply-" + tag + "-" + std::to_string(::getpid()) + "-" +
       std::to_string(std::rand()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace reply::testing

#endif  // REPLY_TESTS_TEST_UTIL_H_

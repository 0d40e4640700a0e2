// The pack loader's test fixture: a small good pack, loaded with changes,
// returning the issues as "file:line: reason" lines. Shared by the
// pack_*_test.cc files, one concept each.
#ifndef REPLY_TESTS_PACK_LOADER_FIXTURE_H_
#define REPLY_TESTS_PACK_LOADER_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/pack/pack_loader.h"
#include "tests/test_util.h"

namespace reply {

inline const std::map<std::string, std::string> kGoodPack = {
    {"shop.yaml", "name: 测试店\n"},
    {"intents/zh/a.yaml",
     "intents:\n"                        // 1
     "  - id: urge\n"                    // 2
     "    patterns:\n"                   // 3
     "      - 还没发货\n"                // 4
     "    examples: [还没发货]\n"        // 5
     "    counter_examples: [发票]\n"},  // 6
    {"templates/zh/urge.yaml",
     "intent: urge\n"                                  // 1
     "variants:\n"                                     // 2
     "  - id: no_order\n"                              // 3
     "    when: not has_order\n"                       // 4
     "    text: 亲，请发一下订单号。\n"                // 5
     "  - id: paid\n"                                  // 6
     "    when: status == \"paid\"\n"                  // 7
     "    text: 亲，订单{{order.id}}已为您加急。\n"},  // 8
};

class PackLoaderTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Loads kGoodPack with `changes` applied ("" content deletes the file).
  std::vector<std::string> Load(
      const std::map<std::string, std::string>& changes) {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    dir_ = testing::MakeTempDir("pack");
    std::map<std::string, std::string> files = kGoodPack;
    for (const auto& [path, content] : changes) files[path] = content;
    for (const auto& [path, content] : files) {
      if (!content.empty()) testing::WriteFile(dir_ / path, content);
    }
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(dir_.string(), **Normalizer::Shared(), &issues);
    std::vector<std::string> out;
    for (const PackIssue& issue : issues) out.push_back(issue.ToString());
    EXPECT_EQ(pack.ok(), out.empty()) << pack.status().ToString();
    if (!pack.ok()) {
      // The status carries every issue too.
      for (const std::string& line : out) {
        EXPECT_THAT(pack.status().message(), ::testing::HasSubstr(line));
      }
    }
    return out;
  }

  // Loads kGoodPack with `path` replaced by exactly `content` (even empty).
  std::vector<std::string> LoadWithFile(const std::string& path,
                                        const std::string& content) {
    std::vector<std::string> out = Load({{path, "placeholder"}});
    testing::WriteFile(dir_ / path, content);
    std::vector<PackIssue> issues;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(dir_.string(), **Normalizer::Shared(), &issues);
    out.clear();
    for (const PackIssue& issue : issues) out.push_back(issue.ToString());
    EXPECT_EQ(pack.ok(), out.empty()) << pack.status().ToString();
    return out;
  }

  std::filesystem::path dir_;
};

}  // namespace reply

#endif  // REPLY_TESTS_PACK_LOADER_FIXTURE_H_

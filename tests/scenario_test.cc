// Runs every scenario of tests/scenarios/*.yaml against the bundled packs,
// and checks that every reply variant of every pack is offered by at least
// one scenario answered by that variant's locale (a zh scenario does not
// cover the vi variant of the same id).
#include "tools/scenario/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

std::vector<Scenario> AllScenarios() {
  std::vector<Scenario> all;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           testing::SourceDir() / "tests/scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    Result<std::vector<Scenario>> loaded = LoadScenarios(file.string());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    if (loaded.ok()) all.insert(all.end(), loaded->begin(), loaded->end());
  }
  return all;
}

TEST(ScenarioTest, EveryScenarioPassesAndEveryVariantIsExercised) {
  const std::vector<Scenario> scenarios = AllScenarios();
  ASSERT_FALSE(scenarios.empty());
  std::set<std::string> offered;
  for (const Scenario& s : scenarios) {
    ScenarioOutcome outcome = RunScenario(testing::BundledEngine(), s);
    for (const std::string& failure : outcome.failures) {
      ADD_FAILURE() << s.Where() << " (" << s.name << "): " << failure;
    }
    for (const std::string& id : outcome.templates)
      offered.insert(outcome.locale + ":" + id);
  }
  for (const LocalePack& lp : testing::BundledEngine().pack()->locales) {
    for (const Variant& v : lp.variants) {
      EXPECT_TRUE(offered.count(lp.locale + ":" + v.id))
          << v.where.ToString() << ": variant " << v.id << " (" << lp.locale
          << ") is offered by no scenario";
    }
  }
  std::printf("%zu scenarios\n", scenarios.size());
}

}  // namespace
}  // namespace reply

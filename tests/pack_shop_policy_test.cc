// shop.yaml's policy as the loader reads it: missing, a value of the wrong
// kind or outside its range, each reported at its line with the range.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::Contains;

TEST_F(PackLoaderTest, MissingShopPolicyAndNonYamlFiles) {
  auto issues = Load({{"shop.yaml", ""}, {"intents/zh/notes.txt", "x"}});
  EXPECT_THAT(issues,
              Contains("shop.yaml: missing: every pack has a shop policy"));
  EXPECT_THAT(
      issues,
      Contains("intents/zh/notes.txt: not a .yaml file; packs hold only YAML"));
}

TEST_F(PackLoaderTest, BadShopPolicyValues) {
  auto issues =
      Load({{"shop.yaml",
             "timezone: Beijing\npromise_ship_hours: -3\nsame_day_cutoff: 4pm\n"
             "compensation: {rate: 0.05, min: 40, max: 30}\n"}});
  EXPECT_THAT(
      issues,
      Contains("shop.yaml:1: timezone: expected a UTC offset like +08:00 or Z, "
               "got \"Beijing\""));
  EXPECT_THAT(issues,
              Contains("shop.yaml:2: 'promise_ship_hours' must be a number "
                       "more than 0 and at most 1440 hours; found -3"));
  EXPECT_THAT(issues,
              Contains("shop.yaml:3: same_day_cutoff must be a time of day "
                       "from 00:00 to 23:59, like \"16:00\"; found 4pm"));
  EXPECT_THAT(issues, Contains("shop.yaml:4: compensation: min 40 is above "
                               "max 30: make min at most max"));
}

// Replies quote the policy's numbers ("0小时内发货", "0天内退换"): each must
// be in its range, and the error says which range.
TEST_F(PackLoaderTest, ShopPolicyValuesOutsideTheirRanges) {
  struct Case {
    std::string yaml;
    std::string issue;
  };
  const Case cases[] = {
      {"promise_ship_hours: 0",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 0"},
      {"promise_ship_hours: 1441",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 1441"},
      {"promise_ship_hours: .nan",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found .nan"},
      {"promise_ship_hours: nan",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found nan"},
      {"promise_ship_hours: 1e400",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found 1e400"},
      {"promise_ship_hours: [48]",
       "'promise_ship_hours' must be a number more than 0 and at most 1440 "
       "hours; found a list"},
      {"return_window_days: 0",
       "'return_window_days' must be a whole number from 1 to 365 days; "
       "found 0"},
      {"return_window_days: 7.5",
       "'return_window_days' must be a whole number from 1 to 365 days; "
       "found 7.5"},
      {"tracking_appears_hours: 0",
       "'tracking_appears_hours' must be a number more than 0 and at most "
       "720 hours; found 0"},
      {"stale_tracking_hours: 0",
       "'stale_tracking_hours' must be a number more than 0 and at most 1440 "
       "hours; found 0"},
      {"signed_followup_days: 0",
       "'signed_followup_days' must be a number more than 0 and at most 60 "
       "days; found 0"},
      {"compensation: {rate: 1.5}",
       "'rate' must be a number from 0 to 1; found 1.5"},
      {"compensation: {rate: -0.1}",
       "'rate' must be a number from 0 to 1; found -0.1"},
      {"compensation: {min: -1}",
       "'min' must be a number from 0 to 1000000 (in the shop's currency); "
       "found -1"},
      {"compensation: {max: 1e300}",
       "'max' must be a number from 0 to 1000000 (in the shop's currency); "
       "found 1e300"},
      {"compensation: {min: 5, max: 2}",
       "compensation: min 5 is above max 2: make min at most max"},
      {"same_day_cutoff: \"24:00\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found 24:00"},
      {"same_day_cutoff: \"16:60\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found 16:60"},
      {"same_day_cutoff: \"-1:00\"",
       "same_day_cutoff must be a time of day from 00:00 to 23:59, like "
       "\"16:00\"; found -1:00"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Load({{"shop.yaml", "name: 测试店\n" + c.yaml + "\n"}}),
                Contains("shop.yaml:2: " + c.issue))
        << c.yaml;
  }
  // The edges of each range load.
  EXPECT_TRUE(Load({{"shop.yaml",
                     "promise_ship_hours: 0.5\nreturn_window_days: 1\n"
                     "tracking_appears_hours: 720\nsame_day_cutoff: \"00:00\"\n"
                     "compensation: {rate: 0, min: 0, max: 0}\n"}})
                  .empty());
  EXPECT_TRUE(Load({{"shop.yaml",
                     "same_day_cutoff: \"23:59\"\nreturn_window_days: 365\n"
                     "compensation: {rate: 1, min: 30, max: 30}\n"}})
                  .empty());
}

}  // namespace
}  // namespace reply

// Wording experiments: the arm a conversation gets (ChooseArm: stable, by
// weight) and the verdict of the report (learn/experiment.h: a real
// difference reaches one, none does not claim one).
#include "learn/experiment.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "engine/select/reply_selector.h"

namespace reply {
namespace {

Variant WithArms(int first_weight, int second_weight) {
  Variant v{"urge.paid",
            "",
            0,
            Condition::Always(),
            false,
            false,
            *ReplyTemplate::Parse("a"),
            SourceRef{}};
  v.arms.push_back({"plain", first_weight, *ReplyTemplate::Parse("a"), {}});
  v.arms.push_back({"warm", second_weight, *ReplyTemplate::Parse("b"), {}});
  return v;
}

TEST(ChooseArm, StablePerConversationAndSplitByWeight) {
  const Variant v = WithArms(1, 3);
  int warm = 0;
  constexpr int kConversations = 10'000;
  for (int i = 0; i < kConversations; ++i) {
    const std::string id = "conversation-" + std::to_string(i);
    const int arm = ChooseArm(v, id);
    ASSERT_TRUE(arm == 0 || arm == 1);
    EXPECT_EQ(ChooseArm(v, id), arm) << "the same conversation, the same arm";
    warm += arm;
  }
  EXPECT_NEAR(static_cast<double>(warm) / kConversations, 0.75, 0.02);
  EXPECT_EQ(ChooseArm(v, ""), -1) << "no conversation: not in the experiment";
  Variant none = v;
  none.arms.clear();
  EXPECT_EQ(ChooseArm(none, "c1"), -1);
}

// Simulated experiments, `runs` of them, each arm shown `n` times with the
// given acceptance rates; how many got each verdict.
struct Verdicts {
  int better = 0, worse = 0, unknown = 0;
};
Verdicts Simulate(double control_rate, double arm_rate, int n, int runs) {
  std::mt19937 rng(2);
  std::bernoulli_distribution control(control_rate), arm(arm_rate);
  Verdicts v;
  for (int run = 0; run < runs; ++run) {
    learn::ArmCounts c{n, 0}, a{n, 0};
    for (int i = 0; i < n; ++i) {
      c.accepted += control(rng);
      a.accepted += arm(rng);
    }
    switch (learn::CompareArm(c, a).verdict) {
      case learn::Verdict::kBetter:
        ++v.better;
        break;
      case learn::Verdict::kWorse:
        ++v.worse;
        break;
      default:
        ++v.unknown;
    }
  }
  return v;
}

TEST(CompareArm, ARealDifferenceReachesAVerdict) {
  const Verdicts up = Simulate(0.40, 0.55, 400, 200);
  EXPECT_GE(up.better, 180) << "power at 400 shown per arm";
  EXPECT_EQ(up.worse, 0);
  const Verdicts down = Simulate(0.55, 0.40, 400, 200);
  EXPECT_GE(down.worse, 180);
  EXPECT_EQ(down.better, 0);
}

TEST(CompareArm, NoDifferenceClaimsNone) {
  const Verdicts same = Simulate(0.40, 0.40, 400, 200);
  // 1% two-sided: about 2 false verdicts in 200; allow for chance.
  EXPECT_LE(same.better + same.worse, 6);
}

TEST(CompareArm, NoVerdictBeforeEnoughShown) {
  // 90% against 10% is clear, but 20 shown per arm is too few to say.
  EXPECT_EQ(learn::CompareArm({20, 2}, {20, 18}).verdict,
            learn::Verdict::kNotYetKnown);
  EXPECT_GT(learn::CompareArm({20, 2}, {20, 18}).z, 4);
  EXPECT_EQ(learn::CompareArm({0, 0}, {100, 50}).verdict,
            learn::Verdict::kNotYetKnown);
}

TEST(Wilson95, CoversTheRateAndNarrowsWithData) {
  const learn::Interval small = learn::Wilson95({10, 5});
  const learn::Interval large = learn::Wilson95({1000, 500});
  EXPECT_LT(small.low, 0.5);
  EXPECT_GT(small.high, 0.5);
  EXPECT_LT(large.high - large.low, small.high - small.low);
  EXPECT_NEAR(large.low, 0.469, 0.002);
  EXPECT_NEAR(large.high, 0.531, 0.002);
  const learn::Interval none = learn::Wilson95({0, 0});
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 1);
}

}  // namespace
}  // namespace reply

// Experiment statistics: whether an arm of a wording experiment is accepted
// more or less often than the control (the variant's first arm), by a
// two-sided two-proportion z-test, with a Wilson 95% interval per arm.
//
//   ArmResult r = CompareArm({.shown = 400, .accepted = 160},
//                            {.shown = 400, .accepted = 240});
//   // r.verdict == Verdict::kBetter
//
// Why this test: each suggestion shown is a Bernoulli trial (accepted or
// not), arms are independent samples, and the counts authors collect are
// large, where the normal approximation holds; its result is one number an
// author can check by hand. Authors read the report again and again while
// an experiment runs, and each look is another chance of a false verdict:
// the threshold is strict (|z| >= 2.576, 1% two-sided) and no verdict is
// given before both arms were shown kMinShown times.
//
// Thread safety: pure functions.
#ifndef REPLY_LEARN_EXPERIMENT_H_
#define REPLY_LEARN_EXPERIMENT_H_

#include <cstdint>
#include <string_view>

namespace reply::learn {

// No verdict before each arm was shown this often.
inline constexpr int64_t kMinShown = 100;
// |z| at or above this is a verdict (1% two-sided).
inline constexpr double kCriticalZ = 2.576;

enum class Verdict { kControl, kBetter, kWorse, kNotYetKnown };
std::string_view VerdictName(Verdict v);  // "control", "better", ...

struct ArmCounts {
  int64_t shown = 0;
  int64_t accepted = 0;
};

struct Interval {
  double low = 0;
  double high = 0;
};

// The Wilson score interval (95%) of accepted / shown; [0, 1] for none.
Interval Wilson95(const ArmCounts& arm);

struct ArmResult {
  double z = 0;  // (arm - control) / pooled standard error; 0 when undefined
  Verdict verdict = Verdict::kNotYetKnown;
};

// `arm` against `control`.
ArmResult CompareArm(const ArmCounts& control, const ArmCounts& arm);

}  // namespace reply::learn

#endif  // REPLY_LEARN_EXPERIMENT_H_

#include "learn/experiment.h"

#include <cmath>

namespace reply::learn {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kControl:
      return "control";
    case Verdict::kBetter:
      return "better";
    case Verdict::kWorse:
      return "worse";
    case Verdict::kNotYetKnown:
      break;
  }
  return "not yet known";
}

Interval Wilson95(const ArmCounts& arm) {
  if (arm.shown <= 0) return {0, 1};
  constexpr double z = 1.96;
  const double n = static_cast<double>(arm.shown);
  const double p = static_cast<double>(arm.accepted) / n;
  const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half =
      z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

ArmResult CompareArm(const ArmCounts& control, const ArmCounts& arm) {
  ArmResult r;
  if (control.shown <= 0 || arm.shown <= 0) return r;
  const double n0 = static_cast<double>(control.shown);
  const double n1 = static_cast<double>(arm.shown);
  const double p0 = static_cast<double>(control.accepted) / n0;
  const double p1 = static_cast<double>(arm.accepted) / n1;
  const double pooled = (control.accepted + arm.accepted) / (n0 + n1);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
  if (se > 0) r.z = (p1 - p0) / se;
  if (control.shown < kMinShown || arm.shown < kMinShown) return r;
  if (r.z >= kCriticalZ) r.verdict = Verdict::kBetter;
  if (r.z <= -kCriticalZ) r.verdict = Verdict::kWorse;
  return r;
}

}  // namespace reply::learn

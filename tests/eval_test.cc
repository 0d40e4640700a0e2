// The packs measured on real buyer messages (../shared/eval): per-intent
// precision and recall are printed; the test fails when the precision of a
// core intent drops below 0.95, or when more than 1% of the `other`
// messages get a core intent. The messages are never copied into the packs.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

const std::vector<std::string> kCoreIntents = {
    "urge_shipment", "missing_tracking", "signed_not_received", "wrong_size"};

std::set<std::string> Split(const std::string& label) {
  std::set<std::string> out;
  std::stringstream ss(label);
  std::string part;
  while (std::getline(ss, part, '|')) out.insert(part);
  return out;
}

TEST(EvalTest, CoreIntentsArePreciseOnRealMessages) {
  ASSERT_TRUE(std::filesystem::exists(testing::EvalFile()))
      << testing::EvalSetNotFound(testing::EvalFile());
  const auto rows = testing::ReadEvalSet();
  ASSERT_GE(rows.size(), 600u) << testing::EvalFile() << " is cut short";
  struct Counts {
    int tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> counts;
  int other_total = 0, other_hit = 0;
  std::vector<std::string> false_positives;
  for (const auto& [text, label] : rows) {
    Request req;
    req.message = text;
    req.locale = "zh";
    Result<Response> r = testing::BundledEngine().Suggest(req);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::set<std::string> predicted;
    for (const IntentMatch& m : r->intents) {
      if (std::find(kCoreIntents.begin(), kCoreIntents.end(), m.name) !=
          kCoreIntents.end()) {
        predicted.insert(m.name);
      }
    }
    const std::set<std::string> gold =
        label == "other" ? std::set<std::string>{} : Split(label);
    if (label == "other") {
      ++other_total;
      if (!predicted.empty()) {
        ++other_hit;
        false_positives.push_back(text + " -> " + *predicted.begin());
      }
    }
    for (const std::string& intent : kCoreIntents) {
      const bool p = predicted.count(intent) > 0;
      const bool g = gold.count(intent) > 0;
      if (p && g) ++counts[intent].tp;
      if (p && !g) ++counts[intent].fp;
      if (!p && g) ++counts[intent].fn;
      if (p && !g && label != "other")
        false_positives.push_back(text + " -> " + intent);
    }
  }
  std::printf("%-22s %9s %9s %5s %5s %5s\n", "intent", "precision", "recall",
              "tp", "fp", "fn");
  for (const std::string& intent : kCoreIntents) {
    const Counts& c = counts[intent];
    const double precision =
        c.tp + c.fp == 0 ? 1.0 : double(c.tp) / (c.tp + c.fp);
    const double recall = c.tp + c.fn == 0 ? 1.0 : double(c.tp) / (c.tp + c.fn);
    std::printf("%-22s %9.3f %9.3f %5d %5d %5d\n", intent.c_str(), precision,
                recall, c.tp, c.fp, c.fn);
    EXPECT_GE(precision, 0.95) << intent;
  }
  const double other_rate = double(other_hit) / other_total;
  std::printf("other messages given a core intent: %d of %d (%.2f%%)\n",
              other_hit, other_total, 100 * other_rate);
  for (const std::string& fp : false_positives)
    std::printf("  false positive: %s\n", fp.c_str());
  EXPECT_LE(other_rate, 0.01);
}

}  // namespace
}  // namespace reply

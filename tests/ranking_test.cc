// The learned order of reply variants (engine/select/ranking.h): the
// authors' order with no evidence, a handful of events moving nothing, a
// population of agents that prefers one reply moving it first, per shop
// with enough data, fallbacks and hand-offs in place. The selector's use of
// the order runs through the real server in
// tests/server/server_learn_test.cc.
#include "engine/select/ranking.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace reply {
namespace {

// One intent's variants "v0".."v{n-1}", in the authors' order.
LocalePack Pack(int n, std::vector<bool> fixed = {}) {
  LocalePack lp;
  for (int i = 0; i < n; ++i) {
    Variant v{"v" + std::to_string(i),
              "",
              0,
              Condition::Always(),
              false,
              false,
              *ReplyTemplate::Parse("reply"),
              SourceRef{}};
    if (i < static_cast<int>(fixed.size()) && fixed[i]) v.fallback = true;
    lp.variants.push_back(std::move(v));
  }
  lp.variants_of.emplace_back();
  for (int i = 0; i < n; ++i) lp.variants_of[0].push_back(i);
  return lp;
}

bool All(int) { return true; }

std::vector<int> Order(const LocalePack& lp, const Ranking::Evidence& evidence,
                       std::string_view shop = "",
                       Ranking::Options options = {}) {
  const Ranking ranking(options, evidence);
  std::vector<int> out;
  ranking.Order(lp, shop, lp.variants_of[0], All, &out, nullptr);
  return out;
}

TEST(Ranking, WithoutEvidenceTheAuthorsOrderStands) {
  const LocalePack lp = Pack(4);
  EXPECT_EQ(Order(lp, {}), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_GT(Ranking::PriorRate(0), Ranking::PriorRate(1));
  EXPECT_GT(Ranking::PriorRate(3), Ranking::PriorRate(10) - 1e-9);
}

// The worst five events for the authors' order cannot change it: all five
// accepts of any later variant, or five rejects of the first.
TEST(Ranking, FiveEventsMoveNothing) {
  const LocalePack lp = Pack(3);
  for (int v = 1; v < 3; ++v) {
    Ranking::Evidence e;
    e[""]["v" + std::to_string(v)] = {5, 5, 0, 0};
    EXPECT_EQ(Order(lp, e), (std::vector<int>{0, 1, 2})) << "v" << v;
  }
  Ranking::Evidence rejected;
  rejected[""]["v0"] = {5, 0, 0, 5};
  EXPECT_EQ(Order(lp, rejected), (std::vector<int>{0, 1, 2}));
}

// A scripted population: agents accept the third variant 70% of the time
// and the others 20%, every variant shown each round. The third variant
// reaches first place within a bounded number of events and stays there.
TEST(Ranking, APopulationThatPrefersAReplyMovesItFirst) {
  const LocalePack lp = Pack(3);
  std::mt19937 rng(14);
  std::bernoulli_distribution accept70(0.7), accept20(0.2);
  Ranking::Evidence e;
  int first_at = -1;
  for (int round = 1; round <= 200; ++round) {
    for (int v = 0; v < 3; ++v) {
      TemplateEvidence& t = e[""]["v" + std::to_string(v)];
      ++t.shown;
      const bool yes = v == 2 ? accept70(rng) : accept20(rng);
      if (yes) {
        ++t.accepted;
      } else {
        ++t.rejected;
      }
    }
    const std::vector<int> order = Order(lp, e);
    if (order[0] == 2 && first_at < 0) first_at = round;
    if (round == 200) {
      EXPECT_EQ(order[0], 2);
    }
  }
  ASSERT_GT(first_at, 0);
  // Three events a round: well under a hundred events in all.
  EXPECT_LE(first_at * 3, 100) << "first after " << first_at << " rounds";
}

// Edited counts part-way: a variant always edited beats one always
// rejected, but not one always accepted.
TEST(Ranking, EditedCountsHalf) {
  const LocalePack lp = Pack(2);
  Ranking::Evidence edited_vs_rejected;
  edited_vs_rejected[""]["v0"] = {100, 0, 0, 100};
  edited_vs_rejected[""]["v1"] = {100, 0, 100, 0};
  EXPECT_EQ(Order(lp, edited_vs_rejected), (std::vector<int>{1, 0}));
  Ranking::Evidence edited_vs_accepted;
  edited_vs_accepted[""]["v0"] = {100, 100, 0, 0};
  edited_vs_accepted[""]["v1"] = {100, 0, 100, 0};
  EXPECT_EQ(Order(lp, edited_vs_accepted), (std::vector<int>{0, 1}));
}

// A shop with enough shown suggestions of the intent is ranked on its own
// evidence; one with too few on everyone's.
TEST(Ranking, PerShopWhenItHasEnoughData) {
  const LocalePack lp = Pack(2);
  Ranking::Evidence e;
  e[""]["v0"] = {1000, 800, 0, 200};  // everyone: the authors' first
  e[""]["v1"] = {1000, 200, 0, 800};
  e["big"]["v0"] = {150, 10, 0, 140};  // this shop: the second
  e["big"]["v1"] = {150, 140, 0, 10};
  e["small"]["v0"] = {5, 0, 0, 5};
  e["small"]["v1"] = {5, 5, 0, 0};
  EXPECT_EQ(Order(lp, e, "big"), (std::vector<int>{1, 0}));
  EXPECT_EQ(Order(lp, e, "small"), (std::vector<int>{0, 1}));
  EXPECT_EQ(Order(lp, e, ""), (std::vector<int>{0, 1}));
  EXPECT_EQ(Order(lp, e, "unknown"), (std::vector<int>{0, 1}));

  const Ranking ranking({}, e);
  std::vector<int> out;
  std::vector<RankDecision> trace;
  ranking.Order(lp, "big", lp.variants_of[0], All, &out, &trace);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].variant, 1);
  EXPECT_EQ(trace[0].author_rank, 1);
  EXPECT_EQ(trace[0].rank, 0);
  EXPECT_TRUE(trace[0].shop_evidence);
  EXPECT_EQ(trace[0].evidence.accepted, 140);
  EXPECT_DOUBLE_EQ(trace[0].prior, Ranking::PriorRate(1));
  EXPECT_DOUBLE_EQ(trace[0].score, (140 + 30 * 0.4) / (150 + 30.0));
}

// Fallbacks keep their places, whatever their evidence; the others trade
// the places left.
TEST(Ranking, FallbacksNeverMove) {
  const LocalePack lp = Pack(4, {false, true, false, false});
  Ranking::Evidence e;
  e[""]["v1"] = {1000, 1000, 0, 0};  // the fallback, always accepted
  e[""]["v3"] = {1000, 1000, 0, 0};
  e[""]["v0"] = {1000, 0, 0, 1000};
  EXPECT_EQ(Order(lp, e), (std::vector<int>{3, 1, 2, 0}));
}

// Variants whose `when` does not hold keep their places and do not count
// for the prior: the two that hold are first and second, whatever the
// variants written between them.
TEST(Ranking, OnlyVariantsThatHoldTradePlaces) {
  const LocalePack lp = Pack(5);
  const auto holds = [](int v) { return v == 3 || v == 4; };
  const Ranking ranking({}, {});
  std::vector<int> out;
  std::vector<RankDecision> trace;
  ranking.Order(lp, "", lp.variants_of[0], holds, &out, &trace);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(trace[0].fixed);
  EXPECT_DOUBLE_EQ(trace[3].prior, Ranking::PriorRate(0));
  EXPECT_DOUBLE_EQ(trace[4].prior, Ranking::PriorRate(1));

  // Five accepts of the second that holds do not move it.
  Ranking::Evidence e;
  e[""]["v4"] = {5, 5, 0, 0};
  const Ranking five({}, e);
  five.Order(lp, "", lp.variants_of[0], holds, &out, nullptr);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4}));
  // Many do, into the place of the first that holds.
  e[""]["v4"] = {100, 90, 0, 10};
  const Ranking many({}, e);
  many.Order(lp, "", lp.variants_of[0], holds, &out, nullptr);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 4, 3}));
}

}  // namespace
}  // namespace reply

// The learned order bound to a pack (engine/select/learned_orders.h) is the
// learned order of engine/select/ranking.h, only cheaper: the same variants
// in the same places for random evidence, conditions, fallbacks and shops,
// and the same suggestions end to end on the bundled packs with every
// intent's examples and several orders.
#include "engine/select/learned_orders.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "engine/pipeline/pipeline.h"
#include "tests/engine_fixture.h"

namespace reply {
namespace {

// A pack of one locale with one intent of n variants: variant i holds when
// fact `overdue` is bit i of `mask` (Condition "overdue" or "not overdue"),
// some are fallbacks or hand-offs.
std::shared_ptr<Pack> RandomPack(int n, std::mt19937* rng) {
  auto pack = std::make_shared<Pack>();
  LocalePack lp;
  lp.locale = "zh";
  lp.variants_of.emplace_back();
  for (int i = 0; i < n; ++i) {
    const int kind = static_cast<int>((*rng)() % 10);
    const char* when = kind < 4 ? "overdue" : kind < 8 ? "not overdue" : "";
    Variant v{"v" + std::to_string(i),
              "",
              0,
              *when != '\0' ? *Condition::Parse(when) : Condition::Always(),
              kind == 8,
              kind == 9,
              *ReplyTemplate::Parse("reply"),
              SourceRef{}};
    lp.variants.push_back(std::move(v));
    lp.variants_of[0].push_back(i);
  }
  pack->locales.push_back(std::move(lp));
  return pack;
}

TEST(LearnedOrders, SameOrderAsTheRanking) {
  std::mt19937 rng(7);
  int learned = 0, author = 0;
  for (int round = 0; round < 2000; ++round) {
    const int n = 1 + static_cast<int>(rng() % 12);
    std::shared_ptr<Pack> pack = RandomPack(n, &rng);
    const LocalePack& lp = pack->locales[0];
    Ranking::Evidence evidence;
    for (const char* shop : {"", "big", "small"}) {
      if (rng() % 4 == 0) continue;  // no counts at all for this one
      for (const Variant& v : lp.variants) {
        if (rng() % 3 == 0) continue;
        const int64_t shown = rng() % (shop[0] == 'b' ? 400 : 60);
        const int64_t accepted = shown == 0 ? 0 : rng() % (shown + 1);
        const int64_t edited =
            shown == accepted ? 0 : rng() % (shown - accepted + 1);
        evidence[shop][v.id] = {shown, accepted, edited,
                                shown - accepted - edited};
      }
    }
    auto ranking = std::make_shared<const Ranking>(Ranking::Options{},
                                                   std::move(evidence));
    const LearnedOrders orders(ranking, pack);
    for (bool overdue : {false, true}) {
      Facts facts;
      facts.SetBool(Fact::kOverdue, overdue);
      for (std::string_view shop : {"", "big", "small", "unknown"}) {
        std::vector<int> want;
        ranking->Order(
            lp, shop, lp.variants_of[0],
            [&](int v) {
              return lp.variants[v].when.Evaluate(facts) == Tri::kTrue;
            },
            &want, nullptr);
        std::vector<int> got(n);
        std::vector<Tri> holds(n);
        const LearnedOrders::Result r =
            orders.Order(lp, 0, shop, facts, got.data(), holds.data());
        ASSERT_NE(r, LearnedOrders::Result::kUnknown);
        if (r == LearnedOrders::Result::kAuthor) {
          ++author;
          got = lp.variants_of[0];
        } else {
          ++learned;
          for (int i = 0; i < n; ++i) {
            const Variant& v = lp.variants[got[i]];
            if (v.fallback || v.handoff) {
              EXPECT_EQ(holds[i], Tri::kUnknown);
            } else {
              EXPECT_EQ(holds[i], v.when.Evaluate(facts)) << v.id;
            }
          }
        }
        ASSERT_EQ(got, want) << "round " << round << " shop " << shop;
      }
    }
  }
  // Both paths were taken many times.
  EXPECT_GT(learned, 1000);
  EXPECT_GT(author, 100);
}

TEST(LearnedOrders, AnotherPacksLocaleIsUnknown) {
  std::mt19937 rng(1);
  std::shared_ptr<Pack> pack = RandomPack(3, &rng);
  std::shared_ptr<Pack> other = RandomPack(3, &rng);
  const LearnedOrders orders(
      std::make_shared<const Ranking>(Ranking::Options{}, Ranking::Evidence{}),
      pack);
  int order[3];
  Tri holds[3];
  EXPECT_EQ(orders.Order(other->locales[0], 0, "", Facts(), order, holds),
            LearnedOrders::Result::kUnknown);
  EXPECT_EQ(orders.Order(pack->locales[0], 0, "", Facts(), order, holds),
            LearnedOrders::Result::kAuthor);
}

// End to end on the bundled packs: every intent's examples under three
// orders, suggested with the bound order and with Ranking::Order, give the
// same replies, and the evidence does move some of them.
TEST(LearnedOrders, SameSuggestionsOnTheBundledPacks) {
  const std::shared_ptr<const Pack> pack = testing::BundledEngine().pack();
  std::mt19937 rng(3);
  Ranking::Evidence evidence;
  for (const LocalePack& lp : pack->locales) {
    for (const Variant& v : lp.variants) {
      const int64_t shown = 100;
      const int64_t accepted = rng() % 90;
      evidence[""][v.id] = {shown, accepted, 5, shown - accepted - 5};
    }
  }
  auto ranking =
      std::make_shared<const Ranking>(Ranking::Options{}, std::move(evidence));
  const LearnedOrders orders(ranking, pack);
  const std::vector<std::string> order_texts = {
      R"({"id": "E1", "status": "paid", "paid_at": "2026-11-20T09:05:00+08:00",
          "amount": 129.0})",
      R"({"id": "E2", "status": "shipped", "paid_at": "2026-11-18T09:05:00+08:00",
          "amount": 59.0, "shipping": {"carrier": "中通",
          "tracking_number": "ZT7312004455", "shipped_at": "2026-11-19T10:00:00+08:00"}})",
      R"({"id": "E3", "status": "delivered", "paid_at": "2026-11-10T09:05:00+08:00",
          "amount": 259.0, "shipping": {"carrier": "顺丰",
          "tracking_number": "SF1234567890", "shipped_at": "2026-11-11T10:00:00+08:00",
          "delivered_at": "2026-11-13T10:00:00+08:00"}})"};
  const UnixSeconds now = testing::T("2026-11-23T10:00:00+08:00");
  int compared = 0, moved = 0;
  for (const LocalePack& lp : pack->locales) {
    for (const IntentDef& intent : lp.intents) {
      for (const std::string& example : intent.examples) {
        for (const std::string& order : order_texts) {
          Request request;
          request.message = example;
          request.locale = lp.locale;
          request.order = testing::ParseOrderOrDie(order);
          request.max = 3;
          Result<Response> slow =
              RunPipeline(*pack, request, now, nullptr, ranking.get());
          Result<Response> fast =
              RunPipeline(*pack, request, now, nullptr, ranking.get(), &orders);
          Result<Response> plain = RunPipeline(*pack, request, now);
          ASSERT_EQ(slow.ok(), fast.ok()) << example;
          if (!slow.ok()) continue;
          ASSERT_EQ(slow->suggestions.size(), fast->suggestions.size());
          for (size_t i = 0; i < slow->suggestions.size(); ++i) {
            EXPECT_EQ(slow->suggestions[i].text, fast->suggestions[i].text)
                << example;
          }
          ++compared;
          if (plain.ok() && plain->suggestions.size() > 0 &&
              plain->suggestions[0].text != fast->suggestions[0].text) {
            ++moved;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 500);
  EXPECT_GT(moved, 50);
}

}  // namespace
}  // namespace reply

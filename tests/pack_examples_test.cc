// Every example and counter-example of every intent of the bundled packs:
// an example must be matched as its intent, a counter-example must not.
#include <gtest/gtest.h>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

using testing::BundledEngine;

bool HasIntent(const Response& r, const std::string& id) {
  for (const IntentMatch& m : r.intents) {
    if (m.name == id) return true;
  }
  return false;
}

TEST(PackExamplesTest, EveryExampleMatchesAndNoCounterExampleDoes) {
  const auto pack = BundledEngine().pack();
  size_t checked = 0;
  for (const LocalePack& lp : pack->locales) {
    for (const IntentDef& intent : lp.intents) {
      if (intent.trigger) continue;
      for (const std::string& example : intent.examples) {
        Request req;
        req.message = example;
        req.locale = lp.locale;
        Result<Response> r = BundledEngine().Suggest(req);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_TRUE(HasIntent(*r, intent.id))
            << intent.where.ToString() << ": example \"" << example
            << "\" (normalized \"" << r->normalized << "\") is not "
            << intent.id;
        EXPECT_FALSE(r->suggestions.empty()) << example;
        ++checked;
      }
      for (const std::string& counter : intent.counter_examples) {
        Request req;
        req.message = counter;
        req.locale = lp.locale;
        Result<Response> r = BundledEngine().Suggest(req);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_FALSE(HasIntent(*r, intent.id))
            << intent.where.ToString() << ": counter-example \"" << counter
            << "\" is matched as " << intent.id;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

}  // namespace
}  // namespace reply

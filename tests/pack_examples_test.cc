// Every example and counter-example of every intent of the bundled packs:
// an example must be matched as its intent, a counter-example must not.
#include <gtest/gtest.h>

#include "tests/engine_fixture.h"

namespace reply {
namespace {

using testing::BundledEngine;

bool HasIntent(const Response& r, const std::string& id) {
  for (const IntentMatch& m : r.intents) {
    if (m.name == id || m.asked == id) return true;
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

// Every pattern has literal text the prefilter can look for, so it runs only
// on messages that contain it, never on every message.
TEST(PackExamplesTest, EveryPatternIsPrefiltered) {
  const auto pack = BundledEngine().pack();
  size_t patterns = 0;
  for (const LocalePack& lp : pack->locales) {
    const PatternSet& set = lp.matcher->pattern_set();
    for (int id = 0; id < set.size(); ++id) {
      const PatternDecl& p = lp.patterns[id];
      EXPECT_FALSE(set.unfiltered(id))
          << p.where.ToString() << ": pattern '" << p.text
          << "' runs on every message: give it literal text, or split an "
             "alternation of unrelated branches into separate patterns";
      ++patterns;
    }
  }
  std::printf("%zu patterns, all prefiltered\n", patterns);
}

}  // namespace
}  // namespace reply

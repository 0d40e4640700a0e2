// A vague intent resolved by the order (docs/authoring.md): a pack whose
// rules name intents that answer loads, a chain of rules loads, and a rule
// that names no answering intent or leaves no reply without an order is
// reported at its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A vague intent resolved by the order (docs/authoring.md): its rules name
// intents of the locale that answer messages, one step only.
const char kVagueIntent[] =
    "intents:\n"                          // 1
    "  - id: progress\n"                  // 2
    "    resolve_by_order:\n"             // 3
    "      - when: status == \"paid\"\n"  // 4
    "        intent: TARGET\n"            // 5
    "    without_order: FALLBACK\n"       // 6
    "    patterns: [催催]\n"              // 7
    "    examples: [帮我催催]\n"          // 8
    "    counter_examples: [发票]\n";     // 9
const char kVagueReplies[] =
    "intent: progress\n"
    "variants:\n"
    "  - id: check\n"
    "    when: has_order\n"
    "    text: 亲，我帮您查一下。\n";

std::string Vague(const std::string& target, const std::string& fallback) {
  std::string s = kVagueIntent;
  s.replace(s.find("TARGET"), 6, target);
  s.replace(s.find("FALLBACK"), 8, fallback);
  return s;
}

TEST_F(PackLoaderTest, VagueIntentResolvedByTheOrderLoads) {
  // No no-order reply of its own: without_order answers then.
  EXPECT_TRUE(Load({{"intents/zh/b.yaml", Vague("urge", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}})
                  .empty());
}

TEST_F(PackLoaderTest, VagueIntentRulesNameIntentsThatAnswer) {
  EXPECT_THAT(Load({{"intents/zh/b.yaml", Vague("urgent", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains("intents/zh/b.yaml:5: unknown intent 'urgent' (did you "
                       "mean 'urge'?)"));
  EXPECT_THAT(Load({{"intents/zh/b.yaml", Vague("progress", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:5: intent 'progress' "
                                 "resolves to itself")));
  // A target may be resolved by the order in turn, but never back: urge
  // guessing progress, which guesses urge, would never end.
  std::string chained = kGoodPack.at("intents/zh/a.yaml");
  chained.replace(chained.find("    patterns:"), 0,
                  "    without_order: progress\n");
  EXPECT_THAT(Load({{"intents/zh/a.yaml", chained},
                    {"intents/zh/b.yaml", Vague("urge", "urge")},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("resolution never ends: urge -> progress -> "
                                 "urge")));
  std::string broken = Vague("urge", "urge");
  broken.replace(broken.find("status == \"paid\""), 15, "stat == 1");
  EXPECT_THAT(Load({{"intents/zh/b.yaml", broken},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:4: when: ")));
}

// progress answers with urge on a paid order, and urge on a delivered one
// with lost: a chain, which loads. A rule back to progress would close a
// cycle, whatever the conditions say.
TEST_F(PackLoaderTest, AResolvedTargetMayBeResolvedInTurn) {
  std::string urge = kGoodPack.at("intents/zh/a.yaml");
  urge.replace(urge.find("    patterns:"), 0,
               "    resolve_by_order:\n"                  // 3
               "      - when: status == \"delivered\"\n"  // 4
               "        intent: lost\n");                 // 5
  const std::map<std::string, std::string> lost = {
      {"intents/zh/c.yaml",
       "intents:\n  - id: lost\n    patterns: [没收到]\n"
       "    examples: [没收到]\n    counter_examples: [发票]\n"},
      {"templates/zh/lost.yaml",
       "intent: lost\nvariants:\n  - id: any\n"
       "    text: 亲，我马上帮您联系快递查一下。\n"},
      {"templates/zh/progress.yaml", kVagueReplies},
      {"intents/zh/b.yaml", Vague("urge", "urge")}};
  std::map<std::string, std::string> files = lost;
  files["intents/zh/a.yaml"] = urge;
  EXPECT_THAT(Load(files), IsEmpty());
  urge.replace(urge.find("intent: lost"), 12, "intent: progress");
  files["intents/zh/a.yaml"] = urge;
  EXPECT_THAT(Load(files),
              Contains("intents/zh/b.yaml:5: resolution never ends: urge -> "
                       "progress -> urge; an intent may not be resolved back "
                       "to itself, drop one of these rules"));
}

TEST_F(PackLoaderTest, VagueIntentWithoutAFallbackNeedsANoOrderReply) {
  std::string s = Vague("urge", "urge");
  s.erase(s.find("    without_order:"),
          std::string("    without_order: urge\n").size());
  EXPECT_THAT(Load({{"intents/zh/b.yaml", s},
                    {"templates/zh/progress.yaml", kVagueReplies}}),
              Contains(HasSubstr("intents/zh/b.yaml:2: intent 'progress' has "
                                 "no reply for a message without an order")));
}

}  // namespace
}  // namespace reply

// Slots (docs/authoring.md#slots) as the loader checks them: captures of
// slots the locale defines, replies quoting only slots their intent
// captures, each mistake at its line with the fix.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/pack_loader_fixture.h"

namespace reply {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

// Slots (docs/authoring.md#slots): a capture names slots the locale
// defines, a reply quotes or tests only slots its intent captures, and each
// mistake is reported at its line with the fix.
const char kSlots[] =
    "slots:\n"                     // 1
    "  size:\n"                    // 2
    "    values: [S, M, L, XL]\n"  // 3
    "    range: [34, 48]\n";       // 4
const char kIntentWithCapture[] =
    "intents:\n"                               // 1
    "  - id: urge\n"                           // 2
    "    patterns:\n"                          // 3
    "      - 还没发货\n"                       // 4
    "    captures:\n"                          // 5
    "      - 换成(?P<size>xl|l|m|s|\\d{2})\n"  // 6
    "    examples: [还没发货]\n"               // 7
    "    counter_examples: [发票]\n";          // 8

TEST_F(PackLoaderTest, SlotsLoadAndCapture) {
  EXPECT_TRUE(Load({{"intents/zh/slots.yaml", kSlots},
                    {"intents/zh/a.yaml", kIntentWithCapture},
                    {"templates/zh/urge.yaml",
                     "intent: urge\nvariants:\n  - id: no_order\n"
                     "    when: not has_order and not slots.size\n"
                     "    text: 亲，请发一下订单号。\n"
                     "  - id: size\n    when: slots.size >= 40\n"
                     "    text: 亲，换成{{slots.size}}码。\n"}})
                  .empty());
}

TEST_F(PackLoaderTest, CaptureOfAnUnknownSlotSuggestsTheName) {
  std::string intent = kIntentWithCapture;
  intent.replace(intent.find("?P<size>"), 8, "?P<sise>");
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots}, {"intents/zh/a.yaml", intent}}),
      Contains(AllOf(HasSubstr("intents/zh/a.yaml:6: capture"),
                     HasSubstr("unknown slot 'sise' (did you mean "
                               "'size'?)"))));
}

TEST_F(PackLoaderTest, CaptureWithoutANamedGroup) {
  std::string intent = kIntentWithCapture;
  intent.replace(intent.find("?P<size>"), 8, "");
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots}, {"intents/zh/a.yaml", intent}}),
      Contains(AllOf(HasSubstr("intents/zh/a.yaml:6:"),
                     HasSubstr("names no slot"))));
}

TEST_F(PackLoaderTest, ReplyQuotingAnUnknownSlotSuggestsTheName) {
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots},
            {"intents/zh/a.yaml", kIntentWithCapture},
            {"templates/zh/urge.yaml",
             "intent: urge\nvariants:\n  - id: no_order\n"
             "    when: not has_order\n"
             "    text: 亲，换成{{slots.sizes}}码。\n"}}),
      Contains("templates/zh/urge.yaml:5: text: unknown slot 'slots.sizes' "
               "(did you mean 'size'?)"));
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", kSlots},
            {"intents/zh/a.yaml", kIntentWithCapture},
            {"templates/zh/urge.yaml",
             "intent: urge\nvariants:\n  - id: no_order\n"
             "    when: not has_order and slots.szie\n"
             "    text: 亲，您好。\n"}}),
      Contains("templates/zh/urge.yaml:4: when: unknown slot 'slots.szie' "
               "(did you mean 'size'?)"));
}

TEST_F(PackLoaderTest, ReplyQuotingASlotItsIntentDoesNotCapture) {
  EXPECT_THAT(Load({{"intents/zh/slots.yaml", kSlots},
                    {"templates/zh/urge.yaml",
                     "intent: urge\nvariants:\n  - id: no_order\n"
                     "    when: not has_order\n"
                     "    text: 亲，换成{{slots.size}}码。\n"}}),
              Contains(AllOf(HasSubstr("templates/zh/urge.yaml:5: text: intent "
                                       "'urge' captures no 'slots.size'"),
                             HasSubstr("(?P<size>...)"))));
}

TEST_F(PackLoaderTest, SlotThatAcceptsNothing) {
  EXPECT_THAT(
      Load({{"intents/zh/slots.yaml", "slots:\n  size:\n    doc: x\n"}}),
      Contains("intents/zh/slots.yaml:2: slot 'size' accepts nothing: "
               "give it values, a range or a pattern"));
}

}  // namespace
}  // namespace reply

// KeySplice, the one writer of a rewritten key for the pack's word tables:
// replacements left to right, offsets of every replaced byte pointing at the
// whole span it replaced, the rest untouched, and a key without offsets or
// with nothing replaced left as it was.
#include "engine/normalize/key_splice.h"

#include <gtest/gtest.h>

#include <string>

namespace reply {
namespace {

// A key whose byte b came from message bytes [10 + b, 11 + b).
NormalizedText KeyWithOffsets(const std::string& text) {
  NormalizedText key;
  key.text = text;
  for (size_t b = 0; b < text.size(); ++b) {
    key.source_begin.push_back(static_cast<uint32_t>(10 + b));
    key.source_end.push_back(static_cast<uint32_t>(11 + b));
  }
  return key;
}

TEST(KeySpliceTest, ReplacesSpansAndMapsTheirBytesToWhatTheyReplaced) {
  NormalizedText key = KeyWithOffsets("ko dc sp");
  std::string buffer = "left over from another message";
  KeySplice splice(key, &buffer);
  EXPECT_EQ(splice.Replace(0, 2, "khong"), 0u);
  EXPECT_EQ(splice.size(), 5u);
  EXPECT_EQ(splice.Replace(6, 8, "san pham"), 9u);
  splice.Finish(&key);
  EXPECT_EQ(key.text, "khong dc san pham");
  ASSERT_EQ(key.source_begin.size(), key.text.size());
  ASSERT_EQ(key.source_end.size(), key.text.size());
  for (size_t b = 0; b < 5; ++b) {  // "khong": the message's "ko"
    EXPECT_EQ(key.source_begin[b], 10u) << b;
    EXPECT_EQ(key.source_end[b], 12u) << b;
  }
  EXPECT_EQ(key.source_begin[5], 12u);  // the space after "ko", kept
  EXPECT_EQ(key.source_begin[6], 13u);  // "dc", kept
  EXPECT_EQ(key.source_end[7], 15u);
  for (size_t b = 9; b < key.text.size(); ++b) {  // "san pham": "sp"
    EXPECT_EQ(key.source_begin[b], 16u) << b;
    EXPECT_EQ(key.source_end[b], 18u) << b;
  }
  EXPECT_EQ(key.SourceSpan(0, 5), std::make_pair(size_t{10}, size_t{12}));
}

TEST(KeySpliceTest, NothingReplacedLeavesTheKeyAsItWas) {
  NormalizedText key = KeyWithOffsets("giao hang");
  const NormalizedText before = key;
  std::string buffer;
  KeySplice splice(key, &buffer);
  splice.Finish(&key);
  EXPECT_EQ(key.text, before.text);
  EXPECT_EQ(key.source_begin, before.source_begin);
  EXPECT_EQ(key.source_end, before.source_end);
}

TEST(KeySpliceTest, AKeyWithoutOffsetsGetsNone) {
  NormalizedText key;
  key.text = "冇收到";
  std::string buffer;
  KeySplice splice(key, &buffer);
  splice.Replace(0, 3, "没有");
  splice.Finish(&key);
  EXPECT_EQ(key.text, "没有收到");
  EXPECT_TRUE(key.source_begin.empty());
  EXPECT_TRUE(key.source_end.empty());
}

}  // namespace
}  // namespace reply

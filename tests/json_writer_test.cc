#include "engine/api/json_writer.h"

#include <gtest/gtest.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace reply {
namespace {

TEST(JsonWriterTest, WritesNestedStructuresWithCommas) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.Int(-7);
  w.Key("b");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.Double(0.9);
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.Key("x");
  w.Int(1);
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(out, R"({"a":-7,"b":[true,null,0.9,{},[]],"c":{"x":1}})");
}

TEST(JsonWriterTest, EscapesWhatJsonRequiresAndKeepsUtf8) {
  const std::string tricky = "亲，\"单号\"\\n\n\t\r\x01 ZT<7&3> 😀 ư";
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("t");
  w.String(tricky);
  w.EndObject();
  const auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed["t"], tricky);
  EXPECT_NE(out.find("亲"), std::string::npos);  // not \u-escaped
  EXPECT_NE(out.find("\\u0001"), std::string::npos);
}

// Plain text is scanned sixteen bytes at a time: an escape must be found
// wherever it falls in or after such a block, and nothing else escaped.
TEST(JsonWriterTest, EscapesAtEveryOffset) {
  std::vector<std::string> texts;
  for (const char special : {'"', '\\', '\n', '\x1f', '\0'}) {
    for (size_t length = 1; length <= 40; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string ascii(length, 'a');
        ascii[at] = special;
        texts.push_back(ascii);
      }
    }
    for (size_t at = 0; at <= 7; ++at) {
      std::string cjk;
      for (int i = 0; i < 7; ++i) cjk += "亲";
      cjk.insert(3 * at, 1, special);
      texts.push_back(cjk);
    }
  }
  for (const std::string& text : texts) {
    std::string out;
    JsonWriter w(&out);
    w.String(text);
    const auto parsed = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    EXPECT_EQ(parsed.get<std::string>(), text) << out;
    // One escape: \" \\ \n are two bytes, \u00XX six.
    const char c = text[text.find_first_of(std::string("\"\\\n\x1f\0", 5))];
    const size_t escape = c == '"' || c == '\\' || c == '\n' ? 2 : 6;
    EXPECT_EQ(out.size(), text.size() - 1 + escape + 2) << out;
  }
}

TEST(JsonWriterTest, NumbersRoundTrip) {
  for (double d : {0.0, 0.1, 6.45, 1e-7, 123456789.125, -3.5}) {
    std::string out;
    JsonWriter w(&out);
    w.Double(d);
    EXPECT_EQ(nlohmann::json::parse(out).get<double>(), d) << out;
  }
  std::string out;
  JsonWriter w(&out);
  w.Double(std::nan(""));
  EXPECT_EQ(out, "null");
}

// Whole numbers take a shortcut; the text must stay what std::to_chars'
// shortest form writes, on both sides of the shortcut's edges.
TEST(JsonWriterTest, WholeNumbersAreWrittenAsTheShortestFormWritesThem) {
  for (double d : {0.0, -0.0, 1.0, -1.0, 42.0, 9999.0, -9999.0, 10000.0,
                   -10000.0, 100000.0, 1e15, 0.5, 9999.5}) {
    std::string out;
    JsonWriter w(&out);
    w.Double(d);
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    EXPECT_EQ(out, std::string(buf, end)) << d;
  }
}

}  // namespace
}  // namespace reply

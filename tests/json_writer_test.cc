#include "engine/api/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  w.Key("t\"k");
  w.String(tricky);
  w.EndObject();
  const auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed["t\"k"], tricky);
  EXPECT_NE(out.find("亲"), std::string::npos);  // not \u-escaped
  EXPECT_NE(out.find("\\u0001"), std::string::npos);
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

}  // namespace
}  // namespace reply

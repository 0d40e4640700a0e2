// The fast path for suggest and trigger frames against the general path (a
// JSON tree): every frame the fast path takes must decode to exactly what
// the general path gives, and every frame it leaves must reach the general
// path (so errors keep their codes and messages). Checked on hand-written
// frames and on every single-byte mutation of a few realistic ones.
#include "server/suggest_frame_decoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/base/utf8.h"

namespace reply::server {
namespace {

using nlohmann::json;

// Every field of a decoded message, as text to compare.
std::string Describe(const ClientMessage& m) {
  std::ostringstream s;
  const auto opt = [&s](const char* name, const auto& v) {
    s << name << "=";
    if (v) {
      s << "[" << *v << "]";
    } else {
      s << "-";
    }
    s << " ";
  };
  const Request& r = m.request;
  s << "type=" << MessageTypeName(m.type) << " id=[" << m.id << "] conv=["
    << m.conversation_id << "] message=[" << r.message << "] locale=["
    << r.locale << "] max=" << r.max << " trigger=" << r.trigger << " ";
  opt("now", r.now);
  s << "suggestion_id=" << m.suggestion_id << " ";
  opt("final_text", m.final_text);
  opt("key", m.key);
  for (const Turn& t : r.history) {
    s << "turn{" << NameOf(kRoleNames, t.role) << " [" << t.text << "] ";
    opt("at", t.at);
    s << "template=[" << t.template_id << "]} ";
  }
  if (!r.order) return s.str() + "order=-";
  const Order& o = *r.order;
  s.precision(17);
  opt("id", o.id);
  opt("status", o.status);
  opt("created_at", o.created_at);
  opt("paid_at", o.paid_at);
  opt("shipped_at", o.shipped_at);
  opt("delivered_at", o.delivered_at);
  opt("amount", o.amount);
  opt("promise_ship_hours", o.promise_ship_hours);
  opt("stock", o.stock);
  opt("restock_days", o.restock_days);
  opt("carrier", o.carrier);
  opt("tracking_number", o.tracking_number);
  opt("region", o.region);
  opt("tracking_state", o.tracking_state);
  opt("last_event_at", o.last_event_at);
  opt("last_event", o.last_event);
  opt("signed_by", o.signed_by);
  opt("buyer_name", o.buyer_name);
  opt("buyer_returning", o.buyer_returning);
  for (const OrderItem& item : o.items) {
    s << "item{";
    opt("name", item.name);
    opt("sku", item.sku);
    opt("size", item.size);
    opt("color", item.color);
    opt("quantity", item.quantity);
    s << "}";
  }
  return s.str();
}

// What the fast path did with `text`: "" when it is right (took it and
// agrees with the general path, or left it), else what went wrong.
std::string Check(const std::string& text, bool* taken) {
  ClientMessage fast;
  *taken = DecodeSuggestFrame(text, &fast);
  const DecodedFrame tree = DecodeFrameWithTree(text);
  const DecodedFrame full = DecodeFrame(text);
  if (full.error.has_value() != tree.error.has_value() ||
      (tree.error && (full.error->code != tree.error->code ||
                      full.error->message != tree.error->message)) ||
      full.id != tree.id || full.type != tree.type) {
    return "DecodeFrame differs from the general path on " + text;
  }
  if (!*taken) return "";
  if (tree.error) {
    return "the fast path took a frame the general path refuses (" +
           tree.error->message + "): " + text;
  }
  const std::string want = Describe(tree.message);
  const std::string got = Describe(fast);
  if (want != got) {
    return "decoded differently: " + text + "\n general: " + want +
           "\n fast:    " + got;
  }
  if (Describe(full.message) != want) return "DecodeFrame differs on " + text;
  // What replyd does with a text frame (valid UTF-8, checked by Beast).
  if (FindInvalidUtf8(text) == std::string_view::npos) {
    ClientMessage trusted;
    if (!DecodeSuggestFrame(text, &trusted, FrameBytes::kValidUtf8) ||
        Describe(trusted) != want) {
      return "decoded differently as a text frame: " + text;
    }
  }
  return "";
}

const json kOrder = {
    {"id", "E20261123001"},
    {"status", "paid"},
    {"created_at", "2026-11-20T09:00:00+08:00"},
    {"paid_at", "2026-11-20T09:05:00+08:00"},
    {"amount", 129.5},
    {"promise_ship_hours", 48},
    {"stock", "in_stock"},
    {"restock_days", 3},
    {"shipping",
     {{"region", "浙江"}, {"carrier", "SF"}, {"tracking_number", "SF1"}}},
    {"tracking",
     {{"state", "in_transit"},
      {"last_event_at", "2026-11-22T08:00:00+08:00"},
      {"last_event", "到达杭州"},
      {"signed_by", nullptr}}},
    {"items",
     {{{"name", "羊毛开衫"},
       {"sku", "K-203"},
       {"size", "M"},
       {"color", "灰"},
       {"quantity", 1}},
      {{"name", "围巾"}, {"quantity", 2}}}},
    {"buyer", {{"name", "小林"}, {"returning", true}}}};

std::vector<std::string> ValidFrames() {
  return {
      json{{"type", "suggest"},
           {"id", "7-42"},
           {"message", "怎么还不发货"},
           {"order", kOrder},
           {"conversation_id", "bench"},
           {"now", "2026-11-23T10:00:00+08:00"}}
          .dump(),
      json{{"type", "trigger"},
           {"id", "t1"},
           {"order", kOrder},
           {"max", 2},
           {"locale", "zh"},
           {"trigger", false},
           {"extra", {{"deep", {1, 2.5, -3e2, "x", true, false, nullptr}}}}}
          .dump(2),
      R"({"id":"a\"b\\c\/\n","type":"suggest","message":"tab\there",)"
      R"("locale":null,"max":null,"now":null,"order":null,)"
      R"("conversation_id":null})",
      R"(  {"type":"suggest","id":"x","message":"在吗","max":10,)"
      R"("order":{"amount":0,"restock_days":365,"promise_ship_hours":0.5,)"
      R"("items":[],"shipping":{},"tracking":null,"buyer":{"returning":false}}}  )",
  };
}

TEST(SuggestFrameDecoderTest, TakesValidFramesAndAgreesWithTheGeneralPath) {
  for (const std::string& text : ValidFrames()) {
    bool taken = false;
    EXPECT_EQ(Check(text, &taken), "");
    EXPECT_TRUE(taken) << "a valid suggest frame should take the fast path: "
                       << text;
  }
}

TEST(SuggestFrameDecoderTest, LeavesWhatItIsNotCertainAbout) {
  const std::vector<std::string> frames = {
      R"({"type":"suggest","id":"x","message":"a","message":"b"})",
      R"({"type":"suggest","id":"x","message":"\u5728"})",
      R"({"type":"suggest","id":"x","message":"a","max":3.0})",
      R"({"type":"suggest","id":"x","message":"a","max":0})",
      R"({"type":"suggest","id":"x","message":"a","max":11})",
      R"({"type":"suggest","id":"x","message":"a","x":1e400})",
      R"({"type":"suggest","id":"x","message":"a","x":12345678901234567890})",
      R"({"type":"suggest","id":"x","message":"a","order":{"amount":-1}})",
      R"({"type":"suggest","id":"x","message":"a","order":{"status":"lost"}})",
      R"({"type":"suggest","id":"x","message":"a","order":[]})",
      R"({"type":"suggest","id":"x","message":"a","order":{"items":[null]}})",
      R"({"type":"suggest","id":"x","message":"a","order":{"items":[{"quantity":1.5}]}})",
      R"({"type":"suggest","id":"x","message":"a","order":{"buyer":{"returning":1}}})",
      R"({"type":"suggest","id":"x","message":"a","now":"yesterday"})",
      // A conversation: the general path reads and checks it.
      R"({"type":"suggest","id":"x","message":"a","history":[{"role":"buyer","text":"b"}]})",
      R"({"type":"suggest","id":"x","message":"a","history":[]})",
      R"({"type":"suggest","id":"x","message":"a","history":null,"history":[]})",
      R"({"type":"suggest","id":"x"})",
      R"({"type":"trigger","id":"x","message":"a"})",
      R"({"type":"suggest","id":null,"message":"a"})",
      R"({"type":"suggest","message":"a"})",
      R"({"type":"feedback","id":"x","message":"a"})",
      R"({"type":"suggest","id":"x","message":"a",})",
      R"({"type":"suggest","id":"x","message":"a"} x)",
      R"([{"type":"suggest","id":"x","message":"a"}])",
      "\xEF\xBB\xBF"
      R"({"type":"suggest","id":"x","message":"a"})",
      std::string(R"({"type":"suggest","id":"x","message":"a)") + '\x01' +
          R"("})",
      R"({"type":"suggest","id":"x","message":")" + std::string(8193, 'a') +
          R"("})",
  };
  for (const std::string& text : frames) {
    bool taken = true;
    EXPECT_EQ(Check(text, &taken), "");
    EXPECT_FALSE(taken) << text;
  }
}

// An unknown order field or a near miss of a request field is answered with
// a warning, which only the general path writes: the fast path leaves such
// a frame to it.
TEST(SuggestFrameDecoderTest, LeavesFramesThatNeedWarningsToTheGeneralPath) {
  json unknown_in_order = {
      {"type", "suggest"},
      {"id", "w1"},
      {"message", "在吗"},
      {"order", {{"paidAt", "2026-11-20T09:05:00+08:00"}}}};
  json near_miss = {{"type", "suggest"},
                    {"id", "w2"},
                    {"message", "在吗"},
                    {"conversationId", "c-1"}};
  json own_field = {
      {"type", "suggest"}, {"id", "w3"}, {"message", "在吗"}, {"crm_ref", 7}};
  for (const json& frame : {unknown_in_order, near_miss}) {
    ClientMessage fast;
    EXPECT_FALSE(DecodeSuggestFrame(frame.dump(), &fast)) << frame;
    const DecodedFrame general = DecodeFrame(frame.dump());
    ASSERT_FALSE(general.error) << frame;
    EXPECT_EQ(general.message.request.warnings.size(), 1u) << frame;
  }
  ClientMessage fast;
  EXPECT_TRUE(DecodeSuggestFrame(own_field.dump(), &fast));
  EXPECT_TRUE(fast.request.warnings.empty());
}

// Every frame one byte away from a valid one (deleted, replaced or
// inserted, from bytes that matter to JSON): whatever the fast path takes,
// the general path takes the same way.
TEST(SuggestFrameDecoderTest, AgreesOnEverySingleByteMutation) {
  const std::string bytes = std::string("{}[]\":,\\ 0123456789-+.eEtfnul") +
                            "\x01\x7f\xc3\xa9\xe5\xff";
  size_t checked = 0, taken_count = 0;
  for (const std::string& frame : ValidFrames()) {
    for (size_t i = 0; i < frame.size(); ++i) {
      std::vector<std::string> variants;
      variants.push_back(frame.substr(0, i) + frame.substr(i + 1));
      for (char b : bytes) {
        std::string replaced = frame;
        replaced[i] = b;
        variants.push_back(replaced);
        variants.push_back(frame.substr(0, i) + b + frame.substr(i));
      }
      for (const std::string& text : variants) {
        bool taken = false;
        const std::string problem = Check(text, &taken);
        ASSERT_EQ(problem, "");
        ++checked;
        taken_count += taken;
      }
    }
  }
  // Many mutations stay valid (a digit for a digit, a letter in a string):
  // the comparison must have had work to do.
  RecordProperty("checked", static_cast<int>(checked));
  RecordProperty("taken", static_cast<int>(taken_count));
  // (A mutated order key is unknown, and warned about by the general path
  // only: about 8% of the mutations stay on the fast path.)
  EXPECT_GT(taken_count, checked / 20) << checked << " checked";
}

}  // namespace
}  // namespace reply::server

#include "engine/api/json_parse.h"

#include <string>
#include <vector>

#include "engine/base/utf8.h"

namespace reply {
namespace {

using nlohmann::json;

// Follows the events of a parse to name the field being read when it fails:
// "order.items[2].quantity".
class FieldTracker : public json::json_sax_t {
 public:
  explicit FieldTracker(std::string_view prefix) : prefix_(prefix) {}

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override {
    return Value();
  }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    stack_.push_back({false, "", 0, false});
    return true;
  }
  bool key(string_t& key) override {
    stack_.back().key = key;
    stack_.back().done = false;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return Value();
  }
  bool start_array(std::size_t) override {
    stack_.push_back({true, "", 0, false});
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return Value();
  }
  bool parse_error(std::size_t, const std::string&,
                   const json::exception&) override {
    return false;
  }

  // The field being read: "order.amount", or the prefix at the top level.
  std::string Field() const {
    std::string out(prefix_);
    for (const Frame& f : stack_) {
      if (f.array) {
        out += '[';
        out += std::to_string(f.index);
        out += ']';
      } else if (!f.key.empty() && !f.done) {
        if (!out.empty()) out += ".";
        out += SanitizeUtf8(f.key.substr(0, 64));
      }
    }
    return out;
  }

 private:
  struct Frame {
    bool array;
    std::string key;  // of the member being read, in an object
    size_t index;     // of the element being read, in an array
    bool done;        // the member's value was read: the error is after it
  };

  // A value ended: an array moves on to its next element.
  bool Value() {
    if (!stack_.empty()) {
      if (stack_.back().array) {
        ++stack_.back().index;
      } else {
        stack_.back().done = true;
      }
    }
    return true;
  }

  std::string_view prefix_;
  std::vector<Frame> stack_;
};

// nlohmann's text without its "[json.exception.parse_error.101] " prefix,
// "parse error at line 1, column 5: " and the bytes it last read (which may
// be the very invalid UTF-8 it choked on).
std::string Reason(const json::exception& e) {
  std::string reason = e.what();
  if (const size_t bracket = reason.find("] "); bracket != std::string::npos) {
    reason.erase(0, bracket + 2);
  }
  if (const size_t dash = reason.find(" - "); dash != std::string::npos) {
    reason.erase(0, dash + 3);
  }
  if (const size_t last = reason.find("; last read");
      last != std::string::npos) {
    reason.resize(last);
  }
  return SanitizeUtf8(reason);
}

}  // namespace

Result<json> ParseJson(std::string_view text, std::string_view what,
                       std::string_view path) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // The field it failed in, when it is inside one: invalid UTF-8 in the
    // text of the fourth turn of a history is "..., in history[3].text".
    FieldTracker tracker(path);
    json::sax_parse(text, &tracker);
    const std::string field = tracker.Field();
    return Status::BadRequest(
        std::string(what) + " is not valid JSON at byte " +
        std::to_string(e.byte) + (field.empty() ? "" : ", in " + field) + ": " +
        Reason(e));
  } catch (const json::exception& e) {
    // A number too large for a double (out_of_range 406), or anything else
    // nlohmann refuses once the syntax is fine: name the field.
    FieldTracker tracker(path);
    json::sax_parse(text, &tracker);
    std::string field = tracker.Field();
    if (field.empty()) field = std::string(what);
    if (e.id == 406) {
      std::string number = e.what();
      const size_t quote = number.find('\'');
      number = quote == std::string::npos
                   ? "the number"
                   : number.substr(quote + 1, number.rfind('\'') - quote - 1);
      return Status::BadRequest(field + ": " + SanitizeUtf8(number) +
                                " is out of range for a number");
    }
    return Status::BadRequest(field + ": " + Reason(e));
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) +
                            " could not be read: " + e.what());
  }
}

}  // namespace reply

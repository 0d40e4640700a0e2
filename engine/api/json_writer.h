// JsonWriter: writes JSON text straight into a string, for responses on the
// hot path.
//
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject();
//   w.Key("type"); w.String("suggestions");
//   w.Key("elapsed_us"); w.Int(7);
//   w.EndObject();  // out == {"type":"suggestions","elapsed_us":7}
//
// Why not nlohmann::json::dump: it re-validates UTF-8 byte by byte and
// builds a tree first, which made it two thirds of the cost of a whole
// suggestion. Strings given here must be valid UTF-8 (the engine checks
// every input; SanitizeUtf8 fixes anything else); they are escaped as JSON
// requires and otherwise copied as they are.
//
// Commas between members and elements are placed automatically. Nesting is
// not checked: callers write well-formed structures. Member names are
// compile-time constants (JsonKey), checked then to need no escaping, so
// each is copied out as it is: an answer has about thirty of them, and
// scanning each for escapes was a quarter of the writer's time.
//
// Thread safety: one writer per thread.
#ifndef REPLY_ENGINE_API_JSON_WRITER_H_
#define REPLY_ENGINE_API_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace reply {

// A member name known at compile time, written without escaping. A name
// holding a quote, a backslash or a control character does not compile.
class JsonKey {
 public:
  // Implicit, so that w.Key("type") reads naturally.
  consteval JsonKey(const char* key) : key_(key) {
    for (const char c : key_) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        throw "JsonKey: a member name must need no JSON escaping";
      }
    }
  }
  std::string_view view() const { return key_; }

 private:
  std::string_view key_;
};

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(JsonKey key) {
    Separate();
    out_->push_back('"');
    out_->append(key.view());
    out_->append("\":", 2);
    after_key_ = true;
  }
  void String(std::string_view value) {
    Separate();
    Quote(value);
  }
  void Int(int64_t value);
  void Double(double value);  // shortest form that reads back the same
  void Bool(bool value) {
    Separate();
    out_->append(value ? "true" : "false");
  }
  void Null() {
    Separate();
    out_->append("null");
  }

 private:
  void Open(char c) {
    Separate();
    out_->push_back(c);
    first_ = true;
  }
  void Close(char c) {
    out_->push_back(c);
    first_ = false;
  }
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_->push_back(',');
    first_ = false;
  }
  void Quote(std::string_view s);

  std::string* out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace reply

#endif  // REPLY_ENGINE_API_JSON_WRITER_H_

// Reader: strict JSON (RFC 8259, as nlohmann accepts it) read in place,
// without a tree, for the frame decoder's fast path
// (server/suggest_frame_decoder.h). Every method returns false on anything
// it does not take, including valid JSON it leaves to the general path; the
// caller then gives up on the frame and DecodeFrame names the error.
//
//   Reader r(text, FrameBytes::kValidUtf8);
//   std::string scratch;
//   bool ok = ReadObject(r, [&](std::string_view key) {
//     if (Is(key, "message")) return r.String(&message, &scratch);
//     return r.SkipValue(1, &scratch);
//   }, &scratch) && r.AtEnd();
//
// Header only, so its small methods inline into the decoder's loops as they
// did when they lived in its file (a frame has ~20 keys and values).
//
// Thread safety: a Reader is used by one thread; it does not own the text.
#ifndef REPLY_SERVER_STRICT_JSON_READER_H_
#define REPLY_SERVER_STRICT_JSON_READER_H_

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/api/json_string_scan.h"
#include "engine/base/utf8.h"
#include "server/protocol.h"

namespace reply::server::strict_json {

// A JSON number as nlohmann reads it: digits without a fraction or an
// exponent are an integer (int64 with a '-', uint64 without; both fit in
// int64 here, as only up to 18 digits are taken), anything else a double.
struct Number {
  bool integer = false;
  int64_t i = 0;
  double d = 0;
  double AsDouble() const { return integer ? static_cast<double>(i) : d; }
};

// Reads strict JSON (RFC 8259, as nlohmann accepts it) from a text. Every
// method returns false on anything it does not take, including valid JSON
// it leaves to the general path; the caller then gives up on the frame.
class Reader {
 public:
  // Deeper than this (in values skipped) is given up on: the recursion of
  // SkipValue stays bounded, and a frame nested deeper goes to the general
  // path, which decodes it or names the error.
  static constexpr int kMaxDepth = 64;

  Reader(std::string_view text, FrameBytes bytes)
      : p_(text.data()),
        end_(text.data() + text.size()),
        check_utf8_(bytes != FrameBytes::kValidUtf8) {}

  void SkipSpace() {
    while (p_ < end_ &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }

  bool AtEnd() const { return p_ == end_; }

  // Consumes `c` after optional white space.
  bool Take(char c) {
    SkipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // The next non-space character, not consumed ('\0' at the end).
  char Peek() {
    SkipSpace();
    return p_ == end_ ? '\0' : *p_;
  }

  // A string; *out views the text when it has no escape, else *scratch.
  // Valid UTF-8 (checked unless the whole text is known to be) and no
  // control characters, as nlohmann requires; \u escapes (surrogate pairs
  // and all) are left to the general path.
  bool String(std::string_view* out, std::string* scratch) {
    if (!Take('"')) return false;
    const std::string_view text(p_, static_cast<size_t>(end_ - p_));
    uint64_t seen = 0;  // every byte of the string ORed: was any not ASCII?
    size_t run = 0;     // start of the bytes not yet copied to *scratch
    size_t i = FindJsonSpecial(text, 0, &seen);
    bool escaped = false;
    while (i < text.size() && text[i] == '\\') {
      if (!escaped) {
        escaped = true;
        scratch->clear();
      }
      scratch->append(text.data() + run, i - run);
      if (++i == text.size()) return false;
      switch (text[i]) {
        case '"':
        case '\\':
        case '/':
          scratch->push_back(text[i]);
          break;
        case 'b':
          scratch->push_back('\b');
          break;
        case 'f':
          scratch->push_back('\f');
          break;
        case 'n':
          scratch->push_back('\n');
          break;
        case 'r':
          scratch->push_back('\r');
          break;
        case 't':
          scratch->push_back('\t');
          break;
        default:  // \u, or not an escape at all
          return false;
      }
      run = i + 1;
      i = FindJsonSpecial(text, run, &seen);
    }
    // The end of the text or a control character: not a string.
    if (i == text.size() || text[i] != '"') return false;
    if (escaped) {
      scratch->append(text.data() + run, i - run);
      *out = *scratch;
    } else {
      *out = text.substr(0, i);
    }
    p_ += i + 1;  // past the closing quote
    return !check_utf8_ || (seen & kJsonScanHighBits) == 0 ||
           FindInvalidUtf8(*out) == std::string_view::npos;
  }

  bool ReadNumber(Number* out) {
    SkipSpace();
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    const char* digits = p_;
    if (p_ == end_ || !IsDigit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    const size_t int_digits = static_cast<size_t>(p_ - digits);
    bool fraction_or_exponent = false;
    if (p_ < end_ && *p_ == '.') {
      fraction_or_exponent = true;
      if (++p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      fraction_or_exponent = true;
      if (++p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    if (!fraction_or_exponent) {
      // nlohmann reads a larger integer as unsigned or as a double.
      if (int_digits > 18) return false;
      int64_t value = 0;
      for (const char* d = digits; d < p_; ++d) value = value * 10 + (*d - '0');
      out->integer = true;
      out->i = *start == '-' ? -value : value;
      return true;
    }
    // Correctly rounded, as strtod (nlohmann's) is; out of range (1e400)
    // is an error the general path names.
    const auto [end, ec] = std::from_chars(start, p_, out->d);
    if (ec != std::errc() || end != p_ || !std::isfinite(out->d)) return false;
    out->integer = false;
    return true;
  }

  // true, false or null (the caller peeked its first letter).
  bool Literal(std::string_view word) {
    SkipSpace();
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // null, consumed when it comes next.
  bool TakeNull() { return Peek() == 'n' && Literal("null"); }

  // Any value, checked and dropped.
  bool SkipValue(int depth, std::string* scratch) {
    if (depth > kMaxDepth) return false;
    switch (Peek()) {
      case '{': {
        ++p_;
        if (Take('}')) return true;
        do {
          std::string_view key;
          if (!String(&key, scratch) || !Take(':') ||
              !SkipValue(depth + 1, scratch)) {
            return false;
          }
        } while (Take(','));
        return Take('}');
      }
      case '[': {
        ++p_;
        if (Take(']')) return true;
        do {
          if (!SkipValue(depth + 1, scratch)) return false;
        } while (Take(','));
        return Take(']');
      }
      case '"': {
        std::string_view s;
        return String(&s, scratch);
      }
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default: {
        Number n;
        return ReadNumber(&n);
      }
    }
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  const char* p_;
  const char* end_;
  const bool check_utf8_;
};

// Reads the members of one object: `member(key)` reads the value of each
// (returning false to give up). Stops at the closing brace.
template <typename Member>
bool ReadObject(Reader& r, Member&& member, std::string* key_scratch) {
  if (!r.Take('{')) return false;
  if (r.Take('}')) return true;
  do {
    std::string_view key;
    if (!r.String(&key, key_scratch) || !r.Take(':')) return false;
    // The key may live in the scratch string; copy it out first only when
    // the member needs the scratch too (strings with escapes, rare).
    std::string key_copy;
    if (key.data() == key_scratch->data()) {
      key_copy.assign(key);
      key = key_copy;
    }
    if (!member(key)) return false;
  } while (r.Take(','));
  return r.Take('}');
}

// Whether `key` is the literal: a length test, then a memcmp of a size the
// compiler knows, inlined (string_view's == calls compare() out of line;
// a frame has ~20 keys, each tested against several names).
template <size_t N>
bool Is(std::string_view key, const char (&literal)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

}  // namespace reply::server::strict_json

#endif  // REPLY_SERVER_STRICT_JSON_READER_H_

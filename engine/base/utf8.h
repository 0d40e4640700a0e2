// UTF-8 validation, decoding and encoding on std::string_view.
//
// The engine keeps text as UTF-8 bytes end to end; these helpers are the only
// place that knows the encoding. Decoding assumes text that passed
// FindInvalidUtf8(), which every public entry point checks first.
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_BASE_UTF8_H_
#define REPLY_ENGINE_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reply {

// Byte offset of the first ill-formed sequence (overlong, surrogate, beyond
// U+10FFFF, truncated), or std::string_view::npos when `text` is valid.
size_t FindInvalidUtf8(std::string_view text);

// Decodes the code point starting at text[*pos] and advances *pos past it.
// Precondition: text is valid UTF-8 and *pos < text.size().
inline char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + *pos;
  if (s[0] < 0x80) {
    *pos += 1;
    return s[0];
  }
  if (s[0] < 0xE0) {
    *pos += 2;
    return (char32_t{s[0]} & 0x1F) << 6 | (s[1] & 0x3F);
  }
  if (s[0] < 0xF0) {
    *pos += 3;
    return (char32_t{s[0]} & 0x0F) << 12 | (char32_t{s[1]} & 0x3F) << 6 |
           (s[2] & 0x3F);
  }
  *pos += 4;
  return (char32_t{s[0]} & 0x07) << 18 | (char32_t{s[1]} & 0x3F) << 12 |
         (char32_t{s[2]} & 0x3F) << 6 | (s[3] & 0x3F);
}

// Decodes the code point starting at text[*pos] into *cp and advances *pos
// past it, when the sequence there is well-formed (as FindInvalidUtf8
// judges); otherwise advances one byte and returns false, so that a caller
// resumes at the next byte. For a pass that decodes every character anyway
// and so learns whether the text is valid without a pass of its own.
// Precondition: *pos < text.size().
inline bool DecodeUtf8Checked(std::string_view text, size_t* pos,
                              char32_t* cp) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + *pos;
  const size_t left = text.size() - *pos;
  const unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    *pos += 1;
    return true;
  }
  if (c >= 0xC2 && c < 0xE0) {  // C0, C1: overlong
    if (left >= 2 && (s[1] & 0xC0) == 0x80) {
      *cp = (char32_t{c} & 0x1F) << 6 | (s[1] & 0x3F);
      *pos += 2;
      return true;
    }
  } else if ((c & 0xF0) == 0xE0) {
    if (left >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
      const char32_t v = (char32_t{c} & 0x0F) << 12 |
                         (char32_t{s[1]} & 0x3F) << 6 | (s[2] & 0x3F);
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
        *cp = v;
        *pos += 3;
        return true;
      }
    }
  } else if ((c & 0xF8) == 0xF0) {
    if (left >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
      const char32_t v = (char32_t{c} & 0x07) << 18 |
                         (char32_t{s[1]} & 0x3F) << 12 |
                         (char32_t{s[2]} & 0x3F) << 6 | (s[3] & 0x3F);
      if (v >= 0x10000 && v <= 0x10FFFF) {
        *cp = v;
        *pos += 4;
        return true;
      }
    }
  }
  *pos += 1;
  return false;
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// `text` with every ill-formed sequence replaced by U+FFFD, so that it can
// be quoted in an error message or a log line.
std::string SanitizeUtf8(std::string_view text);

// Number of code points in valid UTF-8 text.
size_t CountCodePoints(std::string_view text);

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_UTF8_H_

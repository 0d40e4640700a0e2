// EscapeMarkup: text made safe as XML or HTML character data and as a quoted
// attribute value, for the reports the tools write (JUnit XML, the eval page).
//
//   out += "<td title=\"" + EscapeMarkup(message) + "\">";
//
// Newline and tab become character references so that attribute values keep
// them; other control characters cannot appear in XML 1.0 at all and become
// '?'. Bytes from 0x80 pass through, so UTF-8 stays UTF-8.
//
// Thread safety: a pure function.
#ifndef REPLY_TOOLS_MARKUP_ESCAPE_H_
#define REPLY_TOOLS_MARKUP_ESCAPE_H_

#include <string>
#include <string_view>

namespace reply::tools {

inline std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
  }
  return out;
}

}  // namespace reply::tools

#endif  // REPLY_TOOLS_MARKUP_ESCAPE_H_

#include "engine/api/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "engine/api/json_string_scan.h"

namespace reply {

void JsonWriter::Int(int64_t value) {
  Separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, end);
}

void JsonWriter::Double(double value) {
  Separate();
  if (!std::isfinite(value)) {
    out_->append("null");
    return;
  }
  char buf[32];
  // Whole numbers below 10^4 (scores of 1, counts, amounts in yuan) are
  // written as integers: the same text the shortest form gives them ("1",
  // "-42"; from 10^5 on it may prefer "1e+05"), at a fifth of its cost.
  if (value > -1e4 && value < 1e4 && value == static_cast<int>(value) &&
      !(value == 0 && std::signbit(value))) {
    auto [end, ec] =
        std::to_chars(buf, buf + sizeof buf, static_cast<int>(value));
    out_->append(buf, end);
    return;
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, end);
}

void JsonWriter::Quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_->push_back('"');
  size_t run = 0;     // start of the bytes copied as they are
  uint64_t seen = 0;  // unused: UTF-8 is the caller's to check
  for (size_t i = FindJsonSpecial(s, 0, &seen); i < s.size();
       i = FindJsonSpecial(s, run, &seen)) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out_->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out_->append("\\\"");
        break;
      case '\\':
        out_->append("\\\\");
        break;
      case '\n':
        out_->append("\\n");
        break;
      case '\r':
        out_->append("\\r");
        break;
      case '\t':
        out_->append("\\t");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out_->append(escape, sizeof escape);
      }
    }
  }
  out_->append(s.data() + run, s.size() - run);
  out_->push_back('"');
}

}  // namespace reply

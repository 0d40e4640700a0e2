// SourceRef: where something of a pack is written, "intents/zh/x.yaml:12",
// so that every error and every explanation can point an author at it.
//
// Thread safety: a plain value.
#ifndef REPLY_ENGINE_PACK_SOURCE_REF_H_
#define REPLY_ENGINE_PACK_SOURCE_REF_H_

#include <charconv>
#include <string>

namespace reply {

struct SourceRef {
  std::string file;  // relative to the pack directory
  int line = 0;      // 1-based
  // Built in one allocation: answers carry the matched pattern's location.
  std::string ToString() const {
    char digits[16];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, line);
    std::string out;
    out.reserve(file.size() + 1 + static_cast<size_t>(end - digits));
    out.append(file).append(1, ':').append(digits, end);
    return out;
  }
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_SOURCE_REF_H_

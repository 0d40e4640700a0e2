// The inlined scan loop of AhoCorasick; include aho_corasick.h instead.
#ifndef REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_
#define REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_

#include "engine/base/utf8.h"

namespace reply {

inline uint32_t AhoCorasick::Step(uint32_t state, uint32_t char_id) const {
  while (state != 0) {
    const uint32_t* node = nodes_.data() + state;
    const uint32_t* e = node + kHeaderWords;
    const uint32_t* end = e + 2 * node[kEdgeCount];
    for (; e != end && e[0] <= char_id; e += 2) {
      if (e[0] == char_id) return e[1];
    }
    state = node[kFail];
  }
  return root_next_[char_id];
}

template <typename OnFound>
bool AhoCorasick::Scan(std::string_view text, OnFound&& on_found) const {
  if (nodes_.empty()) return FindInvalidUtf8(text) == std::string_view::npos;
  bool valid = true;
  uint32_t state = 0;
  size_t pos = 0;
  size_t chars = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    uint32_t id;
    if (byte < 0x80) {
      id = ascii_ids_[byte];
      ++pos;
    } else {
      char32_t c;
      if (DecodeUtf8Checked(text, &pos, &c)) {
        id = CharId(c);
      } else {
        id = 0;
        valid = false;
      }
    }
    ++chars;
    state = id == 0 ? 0 : Step(state, id);
    const uint32_t* node = nodes_.data() + state;
    const uint32_t count = node[kOutputCount];
    if (count == 0) continue;
    if (count == 1) {
      on_found(static_cast<int>(node[kOutput]), pos, chars);
      continue;
    }
    const int* out = outputs_.data() + node[kOutput];
    for (const int* out_end = out + count; out != out_end; ++out) {
      on_found(*out, pos, chars);
    }
  }
  return valid;
}

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_

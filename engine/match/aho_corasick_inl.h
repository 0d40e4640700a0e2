// The inlined scan loop of AhoCorasick; include aho_corasick.h instead.
#ifndef REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_
#define REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_

#include "engine/base/utf8.h"

namespace reply {

inline uint32_t AhoCorasick::Step(uint32_t state, uint32_t char_id) const {
  while (state != 0) {
    const State* st = states_.data() + state;
    const Edge* e = edges_.data() + st[0].edge_begin;
    const Edge* end = edges_.data() + st[1].edge_begin;
    for (; e != end && e->char_id <= char_id; ++e) {
      if (e->char_id == char_id) return e->target;
    }
    state = st->fail;
  }
  return root_next_[char_id];
}

template <typename OnFound>
void AhoCorasick::Scan(std::string_view text, OnFound&& on_found) const {
  if (states_.empty()) return;
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
      id = CharId(DecodeUtf8(text, &pos));
    }
    ++chars;
    state = id == 0 ? 0 : Step(state, id);
    const State* st = states_.data() + state;
    for (uint32_t i = st[0].output_begin; i < st[1].output_begin; ++i) {
      on_found(outputs_[i], pos, chars);
    }
  }
}

}  // namespace reply

#endif  // REPLY_ENGINE_MATCH_AHO_CORASICK_INL_H_

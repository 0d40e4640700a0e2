#include "engine/match/aho_corasick.h"

#include <algorithm>
#include <deque>
#include <map>

namespace reply {

AhoCorasick::AhoCorasick(const std::vector<std::string>& needles) {
  // Char ids: 1..n for the code points the needles use, 0 for the rest.
  std::vector<std::u32string> decoded;
  std::map<char32_t, uint32_t> ids;
  for (const std::string& needle : needles) {
    std::u32string u;
    size_t pos = 0;
    while (pos < needle.size()) u.push_back(DecodeUtf8(needle, &pos));
    for (char32_t c : u) ids.emplace(c, 0);
    decoded.push_back(std::move(u));
  }
  uint32_t next_id = 1;
  for (auto& [c, id] : ids) id = next_id++;
  size_t slots = 16;
  while (slots < ids.size() * 2) slots *= 2;
  char_slots_.assign(slots, 0);
  char_mask_ = static_cast<uint32_t>(slots - 1);
  for (const auto& [c, id] : ids) {
    uint32_t slot = Hash(c) & char_mask_;
    while (char_slots_[slot] != 0) slot = (slot + 1) & char_mask_;
    char_slots_[slot] = uint64_t{c} << 32 | id;
    if (c < 0x80) ascii_ids_[c] = id;
  }

  // The trie, as maps while building.
  std::vector<std::map<uint32_t, uint32_t>> children(1);
  std::vector<std::vector<int>> outputs(1);
  for (size_t i = 0; i < decoded.size(); ++i) {
    uint32_t state = 0;
    for (char32_t c : decoded[i]) {
      const uint32_t id = ids[c];
      auto it = children[state].find(id);
      if (it == children[state].end()) {
        it = children[state].emplace(id, children.size()).first;
        children.emplace_back();
        outputs.emplace_back();
      }
      state = it->second;
    }
    outputs[state].push_back(static_cast<int>(i));
  }
  const size_t n = children.size();

  // Failure links, breadth first; a state inherits its failure's outputs.
  std::vector<uint32_t> fail(n, 0);
  std::vector<uint32_t> order = {0};  // breadth first
  std::deque<uint32_t> queue;
  for (const auto& [id, child] : children[0]) queue.push_back(child);
  const auto goto_fn = [&](uint32_t state, uint32_t id) {
    while (true) {
      auto it = children[state].find(id);
      if (it != children[state].end()) return it->second;
      if (state == 0) return uint32_t{0};
      state = fail[state];
    }
  };
  while (!queue.empty()) {
    const uint32_t s = queue.front();
    queue.pop_front();
    order.push_back(s);
    for (const auto& [id, child] : children[s]) {
      fail[child] = goto_fn(fail[s], id);
      const auto& inherited = outputs[fail[child]];
      outputs[child].insert(outputs[child].end(), inherited.begin(),
                            inherited.end());
      queue.push_back(child);
    }
  }

  // The layout (aho_corasick.h): the first two levels breadth first, then
  // below each state of the second level its subtree depth first, children
  // in char id order.
  std::vector<uint32_t> depth(n, 0);
  for (const uint32_t s : order) {
    for (const auto& [id, child] : children[s]) depth[child] = depth[s] + 1;
  }
  {
    std::vector<uint32_t> laid_out;
    laid_out.reserve(n);
    for (const uint32_t s : order) {
      if (depth[s] <= 2) laid_out.push_back(s);
    }
    std::vector<uint32_t> stack;
    for (const uint32_t s : order) {
      if (depth[s] != 2) continue;
      for (auto it = children[s].rbegin(); it != children[s].rend(); ++it) {
        stack.push_back(it->second);
      }
      while (!stack.empty()) {
        const uint32_t t = stack.back();
        stack.pop_back();
        laid_out.push_back(t);
        for (auto it = children[t].rbegin(); it != children[t].rend(); ++it) {
          stack.push_back(it->second);
        }
      }
    }
    order = std::move(laid_out);
  }
  // The tables: each state at its offset in nodes_ (the root, at 0, keeps
  // no edges: root_next_ is its row); outputs_ holds only the outputs of
  // states with more than one.
  std::vector<uint32_t> offset(n);
  uint32_t size = 0;
  for (const uint32_t s : order) {
    offset[s] = size;
    size += kHeaderWords +
            (s == 0 ? 0 : 2 * static_cast<uint32_t>(children[s].size()));
  }
  root_next_.assign(next_id, 0);
  for (const auto& [id, child] : children[0]) root_next_[id] = offset[child];
  nodes_.reserve(size);
  for (const uint32_t s : order) {
    const uint32_t edges =
        s == 0 ? 0 : static_cast<uint32_t>(children[s].size());
    const uint32_t output = outputs[s].size() == 1
                                ? static_cast<uint32_t>(outputs[s][0])
                                : static_cast<uint32_t>(outputs_.size());
    nodes_.insert(nodes_.end(),
                  {offset[fail[s]], output,
                   static_cast<uint32_t>(outputs[s].size()), edges});
    if (s != 0) {
      for (const auto& [id, child] : children[s]) {
        nodes_.insert(nodes_.end(), {id, offset[child]});
      }
    }
    if (outputs[s].size() > 1) {
      outputs_.insert(outputs_.end(), outputs[s].begin(), outputs[s].end());
    }
  }
  num_states_ = n;
}

}  // namespace reply

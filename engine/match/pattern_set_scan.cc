// PatternSet's per-message half: the scan for atoms and chain pieces, the
// candidates, and the chains decided from the pieces' occurrences. Loading
// (Add, Compile) is in pattern_set.cc.
#include <algorithm>

#include "engine/base/utf8.h"
#include "engine/match/pattern_set.h"

namespace reply {
namespace {

// Whether the assertions `flags` hold at byte `at` of `text`. Inlined: a
// call for each of a vi match's ~70 flagged piece occurrences was 1.4% of
// its instructions (callgrind), more than the test itself.
[[gnu::always_inline]] inline bool AssertionsHold(std::string_view text,
                                                  size_t at, uint8_t flags) {
  if ((flags & LiteralChain::kBeginText) && at != 0) return false;
  if ((flags & LiteralChain::kEndText) && at != text.size()) return false;
  if (flags & LiteralChain::kWordBoundary) {
    const bool before = at > 0 && IsAsciiWordByte(text[at - 1]);
    const bool after = at < text.size() && IsAsciiWordByte(text[at]);
    if (before == after) return false;
  }
  return true;
}

}  // namespace

// Per-thread scratch for Match: epoch-stamped marks, so nothing is cleared
// between messages, and the occurrences of chain pieces.
struct PatternSet::Scratch {
  uint32_t epoch = 0;
  // Per atom, whether this message holds it (epoch == the message's) and
  // the head of its occurrences' list: one record, one cache line fetch.
  struct AtomMark {
    uint32_t epoch;
    int32_t occurrence_head;
  };
  std::vector<AtomMark> atom_marks;
  std::vector<uint32_t> group_seen;
  // This message's key groups, in the order met: the first of a scan's
  // count of them (sized for every group, so never grown in the scan).
  std::vector<uint32_t> groups_met;
  std::vector<uint32_t> pattern_seen;
  std::vector<int> candidates;

  // Occurrences of piece atoms, in the order they end (ChainMatches skips
  // by it), each atom's a list through `next` from its mark's
  // occurrence_head (valid while the mark's epoch is this message's).
  struct Occurrence {
    uint32_t atom;
    uint32_t end;
    uint32_t end_char;
    int32_t next;
  };
  std::vector<Occurrence> occurrences;
  // The text the occurrences are of, and what is known about it.
  const PatternSet* set = nullptr;  // whose atoms the occurrences are
  const char* text_data = nullptr;
  size_t text_size = 0;
  bool text_valid = false;    // UTF-8, as the scan found
  bool text_checked = false;  // for \n
  bool text_has_newline = false;
  // Ends (byte, code point) of the chain's prefix matched so far.
  std::vector<std::pair<uint32_t, uint32_t>> reached, next_reached;
  // The text's runs of ASCII digits, longest (bytes [begin, end), the code
  // points before begin), found when a chain first needs them; digits
  // counts their digits.
  struct DigitSpan {
    uint32_t begin;
    uint32_t end;
    uint32_t begin_char;
  };
  std::vector<DigitSpan> digit_spans;
  size_t digits = 0;
  bool digits_found = false;
  const std::vector<DigitSpan>& DigitSpans() {
    if (digits_found) return digit_spans;
    digits_found = true;
    digit_spans.clear();
    digits = 0;
    uint32_t chars = 0;
    for (uint32_t i = 0; i < text_size; ++i) {
      const auto byte = static_cast<unsigned char>(text_data[i]);
      if (byte >= '0' && byte <= '9') {
        if (digit_spans.empty() || digit_spans.back().end != i) {
          digit_spans.push_back({i, i, chars});
        }
        digit_spans.back().end = i + 1;
        ++digits;
      }
      if ((byte & 0xC0) != 0x80) ++chars;
    }
    return digit_spans;
  }

  void Begin(const PatternSet* owner, std::string_view text, size_t atoms,
             size_t groups, size_t patterns) {
    if (atom_marks.size() < atoms) atom_marks.resize(atoms, {0, -1});
    if (group_seen.size() < groups) group_seen.resize(groups, 0);
    if (groups_met.size() < groups) groups_met.resize(groups);
    if (pattern_seen.size() < patterns) pattern_seen.resize(patterns, 0);
    if (++epoch == 0) {  // wrapped: old stamps could collide
      for (auto* v : {&group_seen, &pattern_seen}) {
        std::fill(v->begin(), v->end(), 0);
      }
      std::fill(atom_marks.begin(), atom_marks.end(), AtomMark{0, -1});
      epoch = 1;
    }
    candidates.clear();
    occurrences.clear();
    set = owner;
    text_data = text.data();
    text_size = text.size();
    text_checked = false;
    digits_found = false;
  }
};

PatternSet::Scratch& PatternSet::ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

const std::vector<int>& PatternSet::Candidates(std::string_view text) const {
  thread_local std::vector<int> none;
  if (!compiled_ || patterns_.empty()) return none;
  Scratch& s = ThreadScratch();
  s.Begin(this, text, atoms_.size(), num_groups_, patterns_.size());
  const uint32_t epoch = s.epoch;
  // The scratch arrays as plain pointers, sized by Begin: through the
  // vectors, every store to a mark made the compiler reload the loop bounds.
  Scratch::AtomMark* const marks = s.atom_marks.data();
  uint32_t* const group_seen = s.group_seen.data();
  uint32_t* const pattern_seen = s.pattern_seen.data();
  const uint32_t num_key_groups = num_key_groups_;
  // Each key group is listed at most once: no capacity checks in the scan.
  uint32_t* const groups_met = s.groups_met.data();
  uint32_t num_met = 0;
  const bool valid =
      atom_finder_.Scan(text, [&](int atom, size_t end, size_t end_char) {
        Scratch::AtomMark& mark = marks[atom];
        const AtomInfo& info = atom_info_[atom];
        const bool first = mark.epoch != epoch;
        if (first) {
          mark.epoch = epoch;
          mark.occurrence_head = -1;
        }
        if (info.is_piece) {
          s.occurrences.push_back(
              {static_cast<uint32_t>(atom), static_cast<uint32_t>(end),
               static_cast<uint32_t>(end_char), mark.occurrence_head});
          mark.occurrence_head = static_cast<int32_t>(s.occurrences.size() - 1);
        }
        if (!first) return;
        const uint32_t* const groups_end = atom_groups_.data() + info.group_end;
        for (const uint32_t* g = atom_groups_.data() + info.group_begin;
             g != groups_end; ++g) {
          if (group_seen[*g] == epoch) continue;
          group_seen[*g] = epoch;
          if (*g < num_key_groups) groups_met[num_met++] = *g;
        }
      });
  s.text_valid = valid && text.size() < UINT32_MAX;
  // Every group met is known now: an alternative keyed on a met group holds
  // when its other groups were met too.
  for (uint32_t i = 0; i < num_met; ++i) {
    const uint32_t g = groups_met[i];
    const uint32_t* r = keyed_.data() + keyed_begin_[g];
    const uint32_t* const records_end = keyed_.data() + keyed_begin_[g + 1];
    while (r != records_end) {
      const uint32_t p = r[0];
      const uint32_t* other = r + 2;
      r = other + r[1];
      if (pattern_seen[p] == epoch) continue;
      while (other != r && group_seen[*other] == epoch) ++other;
      if (other != r) continue;
      pattern_seen[p] = epoch;
      s.candidates.push_back(static_cast<int>(p));
    }
  }
  s.candidates.insert(s.candidates.end(), always_run_.begin(),
                      always_run_.end());
  std::sort(s.candidates.begin(), s.candidates.end());
  return s.candidates;
}

void PatternSet::Match(std::string_view text, std::vector<int>* matched) const {
  Match(text, matched, [](int) { return true; });
  if (deferred_.empty()) return;
  const size_t eager = matched->size();
  for (int p : deferred_) {
    if (VerifyAfterMatch(p, text)) matched->push_back(p);
  }
  std::inplace_merge(matched->begin(), matched->begin() + eager,
                     matched->end());
}

bool PatternSet::VerifyAfterMatch(int id, std::string_view text) const {
  const Scratch& s = ThreadScratch();
  if (s.set != this || s.text_data != text.data() ||
      s.text_size != text.size()) {
    return Verify(id, text);
  }
  if (patterns_[id].deferred && !DeferredFilterHolds(id)) return false;
  return Decide(id, text);
}

bool PatternSet::DeferredFilterHolds(int id) const {
  if (patterns_[id].filter.empty()) return true;
  const Scratch& s = ThreadScratch();
  const uint32_t* r = deferred_filters_.data() + deferred_begin_[id];
  const uint32_t* const records_end =
      deferred_filters_.data() + deferred_begin_[id + 1];
  while (r != records_end) {
    const uint32_t* group = r + 1;
    r = group + r[0];
    while (group != r && s.group_seen[*group] == s.epoch) ++group;
    if (group == r) return true;
  }
  return false;
}

bool PatternSet::Decide(int id, std::string_view text) const {
  if (chains_.size() <= static_cast<size_t>(id) || chains_[id].empty()) {
    return Verify(id, text);
  }
  Scratch& s = ThreadScratch();
  if (!s.text_checked) {
    s.text_checked = true;
    s.text_has_newline = text.find('\n') != std::string_view::npos;
  }
  // `.` stops at \n, and offsets in invalid UTF-8 are not code points: RE2.
  if (!s.text_valid || (s.text_has_newline && patterns_[id].has_char_gap)) {
    return Verify(id, text);
  }
  for (const CompiledChain& chain : chains_[id]) {
    if (text.size() < chain.min_bytes || text.size() > chain.max_bytes) {
      continue;
    }
    if (!chain.digit_runs.empty()) {
      s.DigitSpans();
      if (s.digits > kMaxDigitsDecided) return Verify(id, text);
    }
    if (ChainMatches(chain, text, s)) return true;
  }
  return false;
}

bool PatternSet::ChainMatches(const CompiledChain& chain, std::string_view text,
                              Scratch& s) const {
  // Element by element, the ends of the occurrences that continue a match
  // of the elements before; the chain matches when the last is reached.
  s.reached.clear();
  const size_t last = chain.elements.size() - 1;
  for (size_t e = 0; e <= last; ++e) {
    s.next_reached.clear();
    const LiteralChain::Gap* gap = e > 0 ? &chain.gaps[e - 1] : nullptr;
    // Returns true when the piece occurring at [begin, end) (bytes; its code
    // points from begin_char to end_char) completes the chain.
    const auto visit_span = [&](uint32_t begin, uint32_t begin_char,
                                uint32_t end, uint32_t end_char,
                                uint8_t begin_flags, uint8_t end_flags) {
      if (begin_flags != 0 && !AssertionsHold(text, begin, begin_flags)) {
        return false;
      }
      if (end_flags != 0 && !AssertionsHold(text, end, end_flags)) {
        return false;
      }
      if (gap != nullptr) {
        bool continues = false;
        for (const auto& [prev_end, prev_char] : s.reached) {
          if (begin < prev_end) continue;
          if (gap->kind == LiteralChain::kWords) {
            if (WordGapHolds(text, prev_end, begin, gap->max)) {
              continues = true;
              break;
            }
            continue;
          }
          const uint32_t d = gap->kind == LiteralChain::kBytes
                                 ? begin - prev_end
                                 : begin_char - prev_char;
          if (d >= gap->min && d <= gap->max) {
            continues = true;
            break;
          }
        }
        if (!continues) return false;
      }
      if (e == last) return true;
      s.next_reached.emplace_back(end, end_char);
      return false;
    };
    const auto visit = [&](const ChainPiece& piece, uint32_t end,
                           uint32_t end_char) {
      const AtomInfo& info = atom_info_[piece.atom];
      return visit_span(end - info.bytes, end_char - info.chars, end, end_char,
                        piece.begin_flags, piece.end_flags);
    };
    const auto& pieces = chain.elements[e];
    if (pieces.size() <= kFewPieces) {
      // A few pieces: walk each one's occurrences.
      for (const ChainPiece& piece : pieces) {
        const Scratch::AtomMark& mark = s.atom_marks[piece.atom];
        if (mark.epoch != s.epoch) continue;
        for (int32_t o = mark.occurrence_head; o >= 0;
             o = s.occurrences[o].next) {
          if (visit(piece, s.occurrences[o].end, s.occurrences[o].end_char)) {
            return true;
          }
        }
      }
    } else {
      // Many pieces (a concept's words, expanded): walk the text's
      // occurrences and look each one's atom up among the pieces. After the
      // first element, from the first occurrence that can begin at or after
      // an end reached (occurrences are in the order they end).
      auto first = s.occurrences.begin();
      if (gap != nullptr) {
        uint32_t min_end = UINT32_MAX;
        for (const auto& reached : s.reached) {
          min_end = std::min(min_end, reached.first);
        }
        first = std::partition_point(first, s.occurrences.end(),
                                     [min_end](const Scratch::Occurrence& o) {
                                       return o.end <= min_end;
                                     });
      }
      const std::vector<uint64_t>& signature = chain.signatures[e];
      for (auto o_it = first; o_it != s.occurrences.end(); ++o_it) {
        const Scratch::Occurrence& o = *o_it;
        const uint32_t bit = SignatureBit(o.atom, signature.size());
        if ((signature[bit / 64] >> (bit % 64) & 1) == 0) continue;
        auto it = std::lower_bound(
            pieces.begin(), pieces.end(), o.atom,
            [](const ChainPiece& p, uint32_t atom) { return p.atom < atom; });
        for (; it != pieces.end() && it->atom == o.atom; ++it) {
          if (visit(*it, o.end, o.end_char)) return true;
        }
      }
    }
    // The element's runs of digits: every run of the text's digits within
    // their bounds, each end once (a later start reaches no more).
    for (auto run = std::lower_bound(chain.digit_runs.begin(),
                                     chain.digit_runs.end(), e,
                                     [](const DigitRunPiece&r, size_t element) {
                                       return r.element < element;
                                     });
         run != chain.digit_runs.end() && run->element == e; ++run) {
      for (const Scratch::DigitSpan& span : s.DigitSpans()) {
        for (uint32_t end = span.begin + run->min; end <= span.end; ++end) {
          const uint32_t longest = end - span.begin;
          const uint32_t shortest = run->min;
          const size_t before = s.next_reached.size();
          for (uint32_t length = shortest;
               length <= longest && length <= run->max; ++length) {
            const uint32_t begin = end - length;
            const uint32_t begin_char = span.begin_char + (begin - span.begin);
            if (visit_span(begin, begin_char, end, begin_char + length,
                           run->begin_flags, run->end_flags)) {
              return true;
            }
            if (s.next_reached.size() != before) break;
          }
        }
      }
    }
    if (s.next_reached.empty()) return false;
    std::swap(s.reached, s.next_reached);
  }
  return false;
}

}  // namespace reply

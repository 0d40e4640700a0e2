// FindJsonSpecial: the scan shared by the JSON writer (what must be
// escaped) and the server's frame decoder (where a string ends): the first
// byte that a JSON string cannot hold as it is -- a control character
// (below 0x20), '"' or '\\'.
//
//   uint64_t seen = 0;
//   size_t end = FindJsonSpecial(text, start, &seen);
//   bool ascii = (seen & kJsonScanHighBits) == 0;  // no byte >= 0x80 scanned
//
// It tests sixteen bytes at a time with SSE2 (every x86-64), short strings
// included; elsewhere one byte at a time.
//
// Thread safety: a pure function.
#ifndef REPLY_ENGINE_API_JSON_STRING_SCAN_H_
#define REPLY_ENGINE_API_JSON_STRING_SCAN_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace reply {

inline constexpr uint64_t kJsonScanHighBits = 0x8080808080808080;

// The index of the first special byte at or after `i`, or s.size(). Every
// byte before it is ORed into *seen (so its 0x80 bits tell whether any was
// not ASCII); a few bytes past it may be too.
inline size_t FindJsonSpecial(std::string_view s, size_t i, uint64_t* seen) {
#if defined(__SSE2__)
  // Sixteen bytes at a time (every x86-64 has SSE2); the last few are
  // copied into a block padded with spaces, which are not special.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  __m128i all = _mm_setzero_si128();
  for (; i < s.size(); i += 16) {
    __m128i v;
    if (i + 16 <= s.size()) {
      v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    } else {
      char tail[16];
      std::memset(tail, ' ', sizeof tail);
      std::memcpy(tail, s.data() + i, s.size() - i);
      v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tail));
    }
    all = _mm_or_si128(all, v);
    // v < 0x20, unsigned: min(v, 0x1f) == v.
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) {
      if (_mm_movemask_epi8(all) != 0) *seen |= kJsonScanHighBits;
      return i +
             static_cast<size_t>(std::countr_zero(static_cast<unsigned>(mask)));
    }
  }
  if (_mm_movemask_epi8(all) != 0) *seen |= kJsonScanHighBits;
  return s.size();
#else
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') break;
    *seen |= c;
  }
  return i;
#endif
}

}  // namespace reply

#endif  // REPLY_ENGINE_API_JSON_STRING_SCAN_H_

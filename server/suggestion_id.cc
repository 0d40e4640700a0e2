#include "server/suggestion_id.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace reply::server {
namespace {

// One getrandom() call serves this many ids.
constexpr size_t kPoolBytes = 4096;

struct RandomPool {
  uint8_t bytes[kPoolBytes];
  size_t used = kPoolBytes;

  void Take(uint8_t* out, size_t n) {
    if (used + n > kPoolBytes) Refill();
    std::memcpy(out, bytes + used, n);
    used += n;
  }

  void Refill() {
    size_t filled = 0;
    while (filled < kPoolBytes) {
      const ssize_t got = getrandom(bytes + filled, kPoolBytes - filled, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        std::abort();  // no kernel randomness: ids would be guessable
      }
      filled += static_cast<size_t>(got);
    }
    used = 0;
  }
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

SuggestionId SuggestionId::Random() {
  thread_local RandomPool pool;
  SuggestionId id;
  pool.Take(id.bytes_.data(), kBytes);
  return id;
}

std::optional<SuggestionId> SuggestionId::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kBytes) return std::nullopt;
  SuggestionId id;
  for (size_t i = 0; i < kBytes; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes_[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return id;
}

SuggestionId::Hex SuggestionId::HexDigits() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  Hex out;
  for (size_t i = 0; i < kBytes; ++i) {
    out[2 * i] = kDigits[bytes_[i] >> 4];
    out[2 * i + 1] = kDigits[bytes_[i] & 0xF];
  }
  return out;
}

}  // namespace reply::server

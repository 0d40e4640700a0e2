// SuggestionId: the server's name for one suggestion it sent, 128 random bits
// written as 32 lowercase hex digits. A client quotes it in feedback; the bits
// come from the kernel's CSPRNG, so ids cannot be guessed or enumerated.
//
//   SuggestionId id = SuggestionId::Random();
//   std::string wire = id.ToHex();
//   std::optional<SuggestionId> back = SuggestionId::FromHex(wire);
//
// Thread safety: Random() may be called from any thread (it buffers random
// bytes per thread); values are plain.
#ifndef REPLY_SERVER_SUGGESTION_ID_H_
#define REPLY_SERVER_SUGGESTION_ID_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace reply::server {

class SuggestionId {
 public:
  static constexpr size_t kBytes = 16;

  static SuggestionId Random();
  // Exactly 32 hex digits (either case); anything else: nullopt.
  static std::optional<SuggestionId> FromHex(std::string_view hex);
  // The id of these kBytes bytes (SuggestionSigner's payload carries them).
  static SuggestionId FromBytes(const uint8_t* bytes) {
    SuggestionId id;
    std::memcpy(id.bytes_.data(), bytes, kBytes);
    return id;
  }
  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }

  // The 32 digits without a string (the hot path writes them straight into
  // an answer).
  using Hex = std::array<char, 2 * kBytes>;
  Hex HexDigits() const;
  std::string ToHex() const {
    const Hex hex = HexDigits();
    return std::string(hex.data(), hex.size());
  }
  bool operator==(const SuggestionId& other) const = default;

  // The first 8 bytes: already uniformly random, so a fine hash.
  size_t Hash() const {
    uint64_t h;
    std::memcpy(&h, bytes_.data(), sizeof h);
    return static_cast<size_t>(h);
  }

 private:
  std::array<uint8_t, kBytes> bytes_{};
};

struct SuggestionIdHash {
  size_t operator()(const SuggestionId& id) const { return id.Hash(); }
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SUGGESTION_ID_H_

#include "server/suggestion_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace reply::server {
namespace {

constexpr std::string_view kPrefix = "s1.";
constexpr size_t kMacBytes = 16;
constexpr size_t kNonceBytes = SuggestionId::kBytes;

constexpr char kBase64Url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Written into a string sized once: appending a character at a time cost
// 3,100 instructions an id, now 1,200.
std::string Base64Url(std::string_view bytes) {
  std::string out((bytes.size() * 4 + 2) / 3, '\0');
  char* o = out.data();
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 |
                       static_cast<uint8_t>(bytes[i + 1]) << 8 |
                       static_cast<uint8_t>(bytes[i + 2]);
    *o++ = kBase64Url[v >> 18];
    *o++ = kBase64Url[(v >> 12) & 63];
    *o++ = kBase64Url[(v >> 6) & 63];
    *o++ = kBase64Url[v & 63];
  }
  if (const size_t rest = bytes.size() - i; rest > 0) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    *o++ = kBase64Url[v >> 18];
    *o++ = kBase64Url[(v >> 12) & 63];
    if (rest == 2) *o++ = kBase64Url[(v >> 6) & 63];
  }
  return out;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Unpadded base64url; nullopt for any other character, a length no
// encoding has, or leftover bits (so every byte string has one encoding and
// an id cannot be altered into another spelling of the same bytes).
std::optional<std::string> FromBase64Url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int v = Base64UrlValue(c);
    if (v < 0) return std::nullopt;
    bits = bits << 6 | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

// HMAC-SHA256 under each key in force, keyed once. OpenSSL's one-shot
// HMAC() fetches the algorithm, makes a context and hashes the key's pads
// on every call: ~14,000 of the ~28,000 instructions an id cost
// (bench/server_cost.sh; ~12,000 now, half of it SHA-256's three blocks).
// A keyed context only restarts from the hashed pads (EVP_MAC_init without
// a key). A context serves one thread at a time, so each thread keeps its
// own, made again when the keys change (Reload).
class KeyedMacs {
 public:
  using Keys = std::vector<std::string>;

  // The contexts for `keys` on this thread.
  static KeyedMacs& ForThread(const std::shared_ptr<const Keys>& keys) {
    thread_local KeyedMacs macs;
    if (macs.keys_ != keys) macs.Rekey(keys);
    return macs;
  }

  // HMAC-SHA256(keys[i], text).
  std::array<unsigned char, 32> Mac(size_t i, std::string_view text) {
    std::array<unsigned char, 32> mac{};
    size_t size = 0;
    EVP_MAC_CTX* ctx = contexts_[i].get();
    if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size()) != 1 ||
        EVP_MAC_final(ctx, mac.data(), &size, mac.size()) != 1) {
      Die();
    }
    return mac;
  }

 private:
  struct FreeContext {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
  };

  // OpenSSL without HMAC or SHA-256 (no default provider): no id could be
  // signed or checked, and an unsigned id would be forgeable.
  [[noreturn]] static void Die() {
    std::fputs("replyd: OpenSSL has no HMAC-SHA256 (default provider)\n",
               stderr);
    std::abort();
  }

  void Rekey(const std::shared_ptr<const Keys>& keys) {
    static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (hmac == nullptr) Die();
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string("digest", digest, 0),
        OSSL_PARAM_construct_end()};
    contexts_.clear();
    for (const std::string& key : *keys) {
      contexts_.emplace_back(EVP_MAC_CTX_new(hmac));
      if (contexts_.back() == nullptr ||
          EVP_MAC_init(contexts_.back().get(),
                       reinterpret_cast<const unsigned char*>(key.data()),
                       key.size(), params) != 1) {
        Die();
      }
    }
    keys_ = keys;
  }

  std::shared_ptr<const Keys> keys_;
  std::vector<std::unique_ptr<EVP_MAC_CTX, FreeContext>> contexts_;
};

void AppendClaim(std::string_view claim, std::string* out) {
  claim = claim.substr(0, SuggestionSigner::kMaxClaimBytes);
  *out += static_cast<char>(claim.size());
  out->append(claim);
}

bool ReadClaim(std::string_view* in, std::string* claim) {
  if (in->empty()) return false;
  const size_t n = static_cast<uint8_t>((*in)[0]);
  if (in->size() < 1 + n) return false;
  claim->assign(in->substr(1, n));
  in->remove_prefix(1 + n);
  return true;
}

std::optional<std::string> KeyFromHex(std::string_view hex) {
  if (hex.size() < 64 || hex.size() > 128 || hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int value = 0;
    for (char c : hex.substr(i, 2)) {
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return std::nullopt;
      value = value * 16 + d;
    }
    out += static_cast<char>(value);
  }
  return out;
}

}  // namespace

SuggestionSigner::SuggestionSigner(std::string key_file)
    : key_file_(std::move(key_file)) {}

Status SuggestionSigner::Reload() {
  auto keys = std::make_shared<Keys>();
  if (key_file_.empty()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (keys_) return Status::Ok();  // made once, at start
    }
    std::string key(32, '\0');
    size_t filled = 0;
    while (filled < key.size()) {
      const ssize_t got =
          getrandom(key.data() + filled, key.size() - filled, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::IoError("suggestion ids: no kernel randomness");
      }
      filled += static_cast<size_t>(got);
    }
    keys->push_back(std::move(key));
  } else {
    std::ifstream in(key_file_, std::ios::binary);
    if (!in) {
      return Status::IoError(key_file_ +
                             ": cannot open the suggestion key file");
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      const size_t end = line.find_last_not_of(" \t");
      std::optional<std::string> key =
          KeyFromHex(std::string_view(line).substr(start, end + 1 - start));
      if (!key) {
        // The line is a secret: never quoted.
        return Status::BadRequest(
            key_file_ + ":" + std::to_string(number) +
            ": expected a key of 64 to 128 hex digits (`openssl rand -hex "
            "32`); the keys in force are unchanged");
      }
      keys->push_back(std::move(*key));
    }
    if (keys->empty() || keys->size() > kMaxKeys) {
      return Status::BadRequest(
          key_file_ + ": expected 1 to " + std::to_string(kMaxKeys) +
          " keys (the first signs, all verify), found " +
          std::to_string(keys->size()) + "; the keys in force are unchanged");
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  keys_ = std::move(keys);
  return Status::Ok();
}

std::string SuggestionSigner::Sign(const SuggestionClaims& claims) const {
  std::shared_ptr<const Keys> keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    keys = keys_;
  }
  std::string payload;
  payload.reserve(kNonceBytes + 8 + 5 + claims.shop.size() +
                  claims.intent.size() + claims.template_id.size() +
                  claims.pack_version.size() + claims.arm.size());
  payload.append(reinterpret_cast<const char*>(claims.nonce.bytes().data()),
                 kNonceBytes);
  for (int shift = 56; shift >= 0; shift -= 8) {
    payload += static_cast<char>(
        (static_cast<uint64_t>(claims.issued_at_ms) >> shift) & 0xFF);
  }
  AppendClaim(claims.shop, &payload);
  AppendClaim(claims.intent, &payload);
  AppendClaim(claims.template_id, &payload);
  AppendClaim(claims.pack_version, &payload);
  AppendClaim(claims.arm, &payload);
  std::string id(kPrefix);
  id += Base64Url(payload);
  const auto mac = KeyedMacs::ForThread(keys).Mac(0, id);
  id += '.';
  id += Base64Url(
      std::string_view(reinterpret_cast<const char*>(mac.data()), kMacBytes));
  return id;
}

SuggestionSigner::Verified SuggestionSigner::Verify(std::string_view id,
                                                    int64_t now_ms,
                                                    int64_t ttl_ms) const {
  Verified out;
  if (id.size() > kMaxIdBytes || id.substr(0, kPrefix.size()) != kPrefix) {
    return out;
  }
  const size_t dot = id.rfind('.');
  if (dot < kPrefix.size()) return out;
  const std::string_view signed_part = id.substr(0, dot);
  const std::optional<std::string> mac = FromBase64Url(id.substr(dot + 1));
  const std::optional<std::string> payload =
      FromBase64Url(signed_part.substr(kPrefix.size()));
  if (!mac || mac->size() != kMacBytes || !payload) return out;

  std::shared_ptr<const Keys> keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    keys = keys_;
  }
  KeyedMacs& macs = KeyedMacs::ForThread(keys);
  bool good = false;
  for (size_t i = 0; i < keys->size(); ++i) {
    const auto expected = macs.Mac(i, signed_part);
    good |= CRYPTO_memcmp(expected.data(), mac->data(), kMacBytes) == 0;
  }
  if (!good) {
    out.refusal = shared() ? Refusal::kBadMac : Refusal::kUnknownKey;
    return out;
  }
  // Authenticated: the payload is one this service wrote, but it is read
  // as carefully as any other input.
  std::string_view in = *payload;
  if (in.size() < kNonceBytes + 8) return out;
  SuggestionClaims claims;
  claims.nonce =
      SuggestionId::FromBytes(reinterpret_cast<const uint8_t*>(in.data()));
  uint64_t issued = 0;
  for (size_t i = 0; i < 8; ++i) {
    issued = issued << 8 | static_cast<uint8_t>(in[kNonceBytes + i]);
  }
  claims.issued_at_ms = static_cast<int64_t>(issued);
  in.remove_prefix(kNonceBytes + 8);
  if (!ReadClaim(&in, &claims.shop) || !ReadClaim(&in, &claims.intent) ||
      !ReadClaim(&in, &claims.template_id) ||
      !ReadClaim(&in, &claims.pack_version) || !ReadClaim(&in, &claims.arm) ||
      !in.empty()) {
    return out;
  }
  if (claims.issued_at_ms > now_ms + kMaxClockSkewMs) {
    out.refusal = Refusal::kFuture;
    return out;
  }
  if (claims.issued_at_ms + ttl_ms <= now_ms) {
    out.refusal = Refusal::kExpired;
    return out;
  }
  out.claims = std::move(claims);
  return out;
}

}  // namespace reply::server

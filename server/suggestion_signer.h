// SuggestionSigner: suggestion ids that any server of the cluster can
// verify, with no shared memory: each id carries what feedback on it needs
// (shop, intent, template, pack version, experiment arm, issue time, and a
// random nonce that makes it unique) and an HMAC-SHA256 over all of it under a key the
// cluster shares. Feedback on a suggestion made by another server, or
// before a restart, is then taken as it is; a forged or altered id is not.
//
//   SuggestionSigner signer("/etc/replyd/suggestion.keys");
//   if (Status s = signer.Reload(); !s.ok()) Die(s);
//   std::string id = signer.Sign(claims);  // "s1.<payload>.<mac>"
//   Result<SuggestionClaims> back = signer.Verify(id, now_ms, ttl_ms);
//
// The id: "s1." + base64url(payload) + "." + base64url(the first 16 bytes
// of HMAC-SHA256(key, "s1." + base64url(payload))). The payload: the nonce
// (16 bytes), the issue time (milliseconds since the epoch, 8 bytes big
// endian), then shop, intent, template, pack version and arm (empty: none),
// each a length byte and its bytes. The claims are readable by whoever holds the id (the
// client that got the suggestion); they are authenticated, not secret.
//
// The key file: one key per line, 64 to 128 hex digits (32 to 64 random
// bytes: `openssl rand -hex 32`); blank lines and # comments skipped. The
// first key signs; every key in the file (at most kMaxKeys) verifies.
// Rotation: add the new key as the second line on every node and reload;
// then make it the first and reload; after --suggestion-ttl-s remove the
// old one. Without a key file, a random key is made at start: ids verify
// on this process only (then Verify tells such ids apart as kUnknownKey,
// since after a restart that is the likely cause).
//
// Limits: each claim string is at most kMaxClaimBytes; an id at most
// kMaxIdBytes. An id issued more than kMaxClockSkewMs in the future
// (another node's clock) is refused like an altered one.
//
// Thread safety: Sign and Verify may be called from any thread, also during
// Reload (each uses the keys current when it started).
#ifndef REPLY_SERVER_SUGGESTION_SIGNER_H_
#define REPLY_SERVER_SUGGESTION_SIGNER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "server/suggestion_id.h"

namespace reply::server {

struct SuggestionClaims {
  SuggestionId nonce;
  int64_t issued_at_ms = 0;
  std::string shop;  // empty: the default shop
  std::string intent;
  std::string template_id;
  std::string pack_version;
  std::string arm = {};  // the wording experiment's arm; empty: none
};

class SuggestionSigner {
 public:
  static constexpr size_t kMaxKeys = 4;
  static constexpr size_t kMaxClaimBytes = 255;
  static constexpr size_t kMaxIdBytes = 512;
  static constexpr int64_t kMaxClockSkewMs = 5 * 60 * 1000;

  // Why an id was refused.
  enum class Refusal {
    kMalformed,   // not an id of this format
    kBadMac,      // altered, forged, or signed with a key not in the file
    kUnknownKey,  // no key file: most likely made before a restart
    kExpired,     // issued longer ago than the time to live
    kFuture,      // issued after now (beyond the clock skew allowed)
  };

  // `key_file` empty: a random key of this process alone.
  explicit SuggestionSigner(std::string key_file);
  SuggestionSigner(const SuggestionSigner&) = delete;
  SuggestionSigner& operator=(const SuggestionSigner&) = delete;

  // Reads the key file (with a file:line error for a bad line); on error
  // keeps the keys in force. Without a key file, makes the random key once.
  Status Reload();
  bool shared() const { return !key_file_.empty(); }

  // Claim strings longer than kMaxClaimBytes are cut (ids and pack versions
  // are far shorter).
  std::string Sign(const SuggestionClaims& claims) const;
  struct Verified {
    std::optional<SuggestionClaims> claims;  // set when the id is good
    Refusal refusal = Refusal::kMalformed;   // why not, otherwise
  };
  Verified Verify(std::string_view id, int64_t now_ms, int64_t ttl_ms) const;

 private:
  using Keys = std::vector<std::string>;  // raw bytes; [0] signs

  const std::string key_file_;
  mutable std::mutex mu_;  // guards keys_ (the pointer)
  std::shared_ptr<const Keys> keys_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SUGGESTION_SIGNER_H_

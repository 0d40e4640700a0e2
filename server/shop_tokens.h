// ShopTokens: the tokens file (--tokens-file), which says which shop each
// client token belongs to, and the lookup of a presented token in it.
//
//   ShopTokens tokens("/etc/replyd/tokens");
//   if (Status s = tokens.Reload(&known_shop); !s.ok()) Die(s);  // file:line
//   std::optional<std::string> shop = tokens.Find(presented);   // "lin"
//
// The file: one `SHOP_ID TOKEN` per line; blank lines and lines starting
// with # are skipped. A shop may have several tokens (rotation: add the new
// one, move the clients over, remove the old one). SHOP_ID names
// shops/<SHOP_ID>.yaml of the packs; TOKEN is kMinTokenBytes to
// kMaxTokenBytes of printable ASCII without spaces, and no token is given
// twice. Only SHA-256 digests of the tokens are kept: Find hashes the
// presented token and compares it with every digest in constant time
// (CRYPTO_memcmp, all of them every time), so the time tells neither which
// token matched nor how much of one did.
//
// Reload reads the file again (at start, and with every pack reload: the
// server's SIGHUP, `reload`, a pack file change). A file with any error, or
// naming a shop `known_shop` does not know, is refused as a whole and the
// previous tokens stay in force.
//
// Thread safety: Find may be called from any thread, also during Reload
// (it uses the snapshot current when it started).
#ifndef REPLY_SERVER_SHOP_TOKENS_H_
#define REPLY_SERVER_SHOP_TOKENS_H_

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"

namespace reply::server {

class ShopTokens {
 public:
  static constexpr size_t kMinTokenBytes = 16;
  static constexpr size_t kMaxTokenBytes = 256;

  // `path` empty: no tokens file (Find finds nothing, Reload does nothing).
  explicit ShopTokens(std::string path) : path_(std::move(path)) {}
  ShopTokens(const ShopTokens&) = delete;
  ShopTokens& operator=(const ShopTokens&) = delete;

  bool configured() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

  // Reads the file; on any error keeps the tokens in force and returns
  // every problem, one "FILE:LINE: reason" per line.
  Status Reload(const std::function<bool(std::string_view)>& known_shop);

  // The shop whose token `presented` is; nullopt: none.
  std::optional<std::string> Find(std::string_view presented) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    Digest digest;
    std::string shop;
  };
  using Table = std::vector<Entry>;

  const std::string path_;
  mutable std::mutex mu_;  // guards table_ (the pointer)
  std::shared_ptr<const Table> table_ = std::make_shared<Table>();
};

}  // namespace reply::server

#endif  // REPLY_SERVER_SHOP_TOKENS_H_

#include "server/shop_tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "engine/base/utf8.h"

namespace reply::server {
namespace {

bool ValidShopId(std::string_view id) {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z'))
    return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

bool ValidToken(std::string_view token) {
  if (token.size() < ShopTokens::kMinTokenBytes ||
      token.size() > ShopTokens::kMaxTokenBytes) {
    return false;
  }
  for (unsigned char c : token) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

bool Sha256(std::string_view text, unsigned char* out) {
  unsigned int size = 0;
  return EVP_Digest(text.data(), text.size(), out, &size, EVP_sha256(),
                    nullptr) == 1 &&
         size == 32;
}

}  // namespace

Status ShopTokens::Reload(
    const std::function<bool(std::string_view)>& known_shop) {
  if (path_.empty()) return Status::Ok();
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    return Status::IoError(path_ + ": cannot open the tokens file");
  }
  auto table = std::make_shared<Table>();
  std::vector<std::string> problems;
  std::vector<std::pair<Digest, int>> seen;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = path_ + ":" + std::to_string(number) + ": ";
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::istringstream fields(line.substr(start));
    std::string shop, token, extra;
    fields >> shop >> token >> extra;
    if (token.empty() || !extra.empty()) {
      problems.push_back(where +
                         "expected `SHOP_ID TOKEN` (two fields separated by a "
                         "space)");
      continue;
    }
    if (!ValidShopId(shop)) {
      problems.push_back(where + "shop id '" +
                         SanitizeUtf8(shop.substr(0, 64)) +
                         "' must be lower_snake_case (the name of "
                         "shops/<id>.yaml)");
      continue;
    }
    if (!ValidToken(token)) {
      // The token itself is never repeated: the file holds secrets.
      problems.push_back(where + "the token must be " +
                         std::to_string(kMinTokenBytes) + " to " +
                         std::to_string(kMaxTokenBytes) +
                         " printable ASCII characters without spaces (e.g. "
                         "`openssl rand -hex 24`)");
      continue;
    }
    if (!known_shop(shop)) {
      problems.push_back(where + "shop '" + shop + "' has no shops/" + shop +
                         ".yaml in the packs: add the file (it may be empty) "
                         "or fix the id");
      continue;
    }
    Entry entry{{}, shop};
    if (!Sha256(token, entry.digest.data())) {
      return Status::Internal("tokens file: SHA-256 failed");
    }
    bool duplicate = false;
    for (const auto& [digest, first] : seen) {
      if (digest == entry.digest) {
        problems.push_back(where + "this token is already on line " +
                           std::to_string(first) +
                           ": every token belongs to one shop");
        duplicate = true;
      }
    }
    if (duplicate) continue;
    seen.emplace_back(entry.digest, number);
    table->push_back(std::move(entry));
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) {
      if (!message.empty()) message += "\n";
      message += p;
    }
    return Status::BadRequest(message +
                              "\n(the tokens in force are unchanged)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  table_ = std::move(table);
  return Status::Ok();
}

std::optional<std::string> ShopTokens::Find(std::string_view presented) const {
  std::shared_ptr<const Table> table;
  {
    std::lock_guard<std::mutex> lock(mu_);
    table = table_;
  }
  Digest digest{};
  if (table->empty() || !Sha256(presented, digest.data())) return std::nullopt;
  // Every entry is compared, so the time does not tell which one matched.
  const Entry* found = nullptr;
  for (const Entry& entry : *table) {
    const bool same =
        CRYPTO_memcmp(digest.data(), entry.digest.data(), digest.size()) == 0;
    if (same) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  return found->shop;
}

}  // namespace reply::server

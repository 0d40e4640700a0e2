#include "server/access.h"

namespace reply::server {
namespace {

namespace http = boost::beast::http;

// Compares in time independent of where the strings differ, so that a
// token cannot be found byte by byte from response times.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// "https://shop.example:8443" -> "shop.example:8443".
std::string_view Authority(std::string_view origin) {
  const size_t scheme = origin.find("://");
  return scheme == std::string_view::npos ? std::string_view()
                                          : origin.substr(scheme + 3);
}

}  // namespace

bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  if (!allowed.empty()) {
    for (const std::string& a : allowed) {
      if (a == origin) return true;
    }
    return false;
  }
  const std::string_view authority = Authority(origin);
  return !authority.empty() && authority == host;
}

Role Authenticate(const http::request<http::string_body>& req,
                  const ServerConfig& config) {
  if (config.tokens.empty() && config.admin_token.empty()) return Role::kShop;
  std::string_view presented;
  if (auto it = req.find(http::field::authorization); it != req.end()) {
    constexpr std::string_view kBearer = "Bearer ";
    std::string_view value = it->value();
    if (value.substr(0, kBearer.size()) == kBearer)
      presented = value.substr(kBearer.size());
  }
  if (presented.empty()) presented = QueryParam(req.target(), "token");
  if (presented.empty())
    return config.tokens.empty() ? Role::kShop : Role::kDenied;
  if (!config.admin_token.empty() &&
      SameSecret(presented, config.admin_token)) {
    return Role::kAdmin;
  }
  if (config.tokens.empty()) return Role::kShop;
  for (const std::string& token : config.tokens) {
    if (SameSecret(presented, token)) return Role::kShop;
  }
  return Role::kDenied;
}

std::string_view QueryParam(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string_view TargetPath(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace reply::server

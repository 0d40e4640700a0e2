#include "server/access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <optional>

namespace reply::server {
namespace {

namespace http = boost::beast::http;
namespace ip = boost::asio::ip;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

bool IsLoopback(const ip::address& address) {
  if (address.is_v4()) return address.to_v4().is_loopback();
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, v6).is_loopback();
  }
  return v6.is_loopback();
}

// "Name:8080" -> {"name", 8080}; "[::1]" -> {"[::1]", none}. nullopt when
// malformed.
struct Authority {
  std::string name;  // lowercased; IPv6 literals keep their brackets
  std::optional<uint16_t> port;
};

std::optional<Authority> ParseAuthority(std::string_view text) {
  std::string_view name = text;
  std::optional<std::string_view> port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = text.substr(0, close + 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return std::nullopt;
      port = rest.substr(1);
    }
  } else if (const size_t colon = text.find(':');
             colon != std::string_view::npos) {
    name = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (name.empty()) return std::nullopt;
  Authority out{Lower(name), std::nullopt};
  if (port) {
    if (port->empty() || port->size() > 5) return std::nullopt;
    uint32_t value = 0;
    for (char c : *port) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (value > 65535) return std::nullopt;
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

bool IsIpLiteral(std::string_view name) {
  boost::system::error_code ec;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    ip::make_address_v6(std::string(name.substr(1, name.size() - 2)), ec);
  } else {
    ip::make_address_v4(std::string(name), ec);
  }
  return !ec;
}

// `name` (lowercased, no port) is one this server answers to.
bool NameAllowed(const std::string& name, const ServerConfig& config,
                 const ip::tcp::endpoint& local) {
  if (name == "localhost" || name == "127.0.0.1" || name == "[::1]") {
    return true;
  }
  for (const std::string& allowed : config.allow_hosts) {
    if (Lower(allowed) == name) return true;
  }
  return !IsLoopback(local.address()) && IsIpLiteral(name);
}

using Digest = std::array<unsigned char, 32>;

std::optional<Digest> Sha256(std::string_view text) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(),
                 nullptr) != 1 ||
      size != digest.size()) {
    return std::nullopt;
  }
  return digest;
}

}  // namespace

bool HostCheckRequired(const ServerConfig& config) {
  return (config.tokens.empty() && config.tokens_file.empty()) ||
         !config.allow_hosts.empty();
}

bool HostAllowed(std::string_view host, const ServerConfig& config,
                 const ip::tcp::endpoint& local) {
  const std::optional<Authority> authority = ParseAuthority(host);
  return authority && NameAllowed(authority->name, config, local);
}

bool OriginAllowed(std::string_view origin, const ServerConfig& config,
                   const ip::tcp::endpoint& local) {
  if (origin.empty()) return true;
  if (!config.allow_origins.empty()) {
    return std::find(config.allow_origins.begin(), config.allow_origins.end(),
                     origin) != config.allow_origins.end();
  }
  uint16_t default_port = 0;
  std::string_view rest;
  for (const auto& [scheme, port] :
       {std::pair<std::string_view, uint16_t>{"http://", 80},
        std::pair<std::string_view, uint16_t>{"https://", 443}}) {
    if (origin.substr(0, scheme.size()) == scheme) {
      rest = origin.substr(scheme.size());
      default_port = port;
    }
  }
  if (default_port == 0 || rest.find('/') != std::string_view::npos) {
    return false;  // "null", "file://", another scheme, not an origin
  }
  const std::optional<Authority> authority = ParseAuthority(rest);
  return authority && authority->port.value_or(default_port) == local.port() &&
         NameAllowed(authority->name, config, local);
}

bool SameSecret(std::string_view presented, std::string_view configured) {
  // Digests have one length whatever the secrets' lengths, and
  // CRYPTO_memcmp takes the same time wherever they differ.
  const std::optional<Digest> a = Sha256(presented);
  const std::optional<Digest> b = Sha256(configured);
  return a && b && CRYPTO_memcmp(a->data(), b->data(), a->size()) == 0;
}

bool ValidHostName(std::string_view name) {
  if (name.size() >= 2 && name.front() == '[') return IsIpLiteral(name);
  if (name.empty() || name.size() > 253 || name.front() == '.' ||
      name.back() == '.' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

Role Authenticate(const http::request<http::string_body>& req,
                  const ServerConfig& config) {
  const ShopTokens none("");
  return Identify(req, config, none).role;
}

Client Identify(const http::request<http::string_body>& req,
                const ServerConfig& config, const ShopTokens& tokens) {
  // No shop token of either kind: shop use is open to anyone.
  const bool open = config.tokens.empty() && !tokens.configured();
  if (open && config.admin_token.empty()) return {Role::kShop, ""};
  std::string_view presented;
  if (auto it = req.find(http::field::authorization); it != req.end()) {
    constexpr std::string_view kBearer = "Bearer ";
    std::string_view value = it->value();
    if (value.substr(0, kBearer.size()) == kBearer)
      presented = value.substr(kBearer.size());
  }
  if (presented.empty()) presented = QueryParam(req.target(), "token");
  if (presented.empty()) {
    return {open ? Role::kShop : Role::kDenied, ""};
  }
  // Every kind of token is looked up, whichever matches, so the time does
  // not tell which kind a presented token is.
  const bool admin =
      !config.admin_token.empty() && SameSecret(presented, config.admin_token);
  std::optional<std::string> shop = tokens.Find(presented);
  // A token that matches none is refused even where shop use is open (only
  // --admin-token given): the client meant to be someone, and a silent
  // downgrade would hide a mistyped admin token until a reload is refused.
  // Every token is compared, so the time does not tell which one matched.
  bool default_shop = false;
  for (const std::string& token : config.tokens) {
    default_shop |= SameSecret(presented, token);
  }
  if (admin) return {Role::kAdmin, ""};
  if (shop) return {Role::kShop, std::move(*shop)};
  return {default_shop ? Role::kShop : Role::kDenied, ""};
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

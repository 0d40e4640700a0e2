#include "engine/pack/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "engine/base/utf8.h"

namespace reply {

bool YamlReader::CheckMap(const YAML::Node& map, std::string_view what,
                          std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) {
    Error(map, std::string(what) + " must be a mapping (key: value)");
    return false;
  }
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
      continue;
    std::string hint;
    for (std::string_view a : allowed) {
      if (Similar(key, a)) hint = " (did you mean '" + std::string(a) + "'?)";
    }
    Error(kv.first, "unknown key '" + key + "' in " + std::string(what) + hint);
  }
  return true;
}

std::optional<std::string> YamlReader::String(const YAML::Node& map,
                                              const char* key, bool required) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required) Error(map, "missing '" + std::string(key) + "'");
    return std::nullopt;
  }
  if (!n.IsScalar()) {
    Error(n, "'" + std::string(key) + "' must be text");
    return std::nullopt;
  }
  if (FindInvalidUtf8(n.Scalar()) != std::string_view::npos) {
    Error(n, "'" + std::string(key) + "' is not valid UTF-8");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<double> YamlReader::Number(const YAML::Node& map, const char* key,
                                         double min, double max) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  double v = 0;
  const std::string& s = n.IsScalar() ? n.Scalar() : "";
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!n.IsScalar() || ec != std::errc() || end != s.data() + s.size()) {
    Error(n, "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }
  if (v < min || v > max) {
    Error(n, "'" + std::string(key) + "' must be between " + Fmt(min) +
                 " and " + Fmt(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& map, const char* key) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) {
    return n.Scalar() == "true";
  }
  Error(n, "'" + std::string(key) + "' must be true or false");
  return std::nullopt;
}

std::vector<std::pair<std::string, YAML::Node>> YamlReader::Strings(
    const YAML::Node& map, const char* key) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) {
    Error(n, "'" + std::string(key) + "' must be a list");
    return out;
  }
  for (const YAML::Node& item : n) {
    if (!item.IsScalar()) {
      Error(item, "each entry of '" + std::string(key) + "' must be text");
      continue;
    }
    if (FindInvalidUtf8(item.Scalar()) != std::string_view::npos) {
      Error(item, "entry of '" + std::string(key) + "' is not valid UTF-8");
      continue;
    }
    out.emplace_back(item.Scalar(), item);
  }
  return out;
}

std::string YamlReader::Fmt(double d) {
  std::ostringstream ss;
  ss << d;
  return ss.str();
}

bool YamlReader::Similar(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (a.size() + 1 == b.size() && b.starts_with(a))
    return true;  // pattern/patterns
  if (b.size() + 1 == a.size() && a.starts_with(b)) return true;
  size_t diff = 0;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
  return diff == 1;
}

}  // namespace reply

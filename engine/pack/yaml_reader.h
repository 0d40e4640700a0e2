// YamlReader: reads the nodes of one pack file with yaml-cpp and turns every
// problem into a PackIssue carrying the file, the node's line and the
// reason, so that loading a pack reports all its problems at once instead
// of stopping at the first.
//
//   YamlReader r("templates/zh/urge_shipment.yaml", &issues);
//   if (r.CheckMap(node, "a variant", {"id", "when", "text"})) {
//     std::optional<std::string> id = r.String(node, "id", /*required=*/true);
//   }
//   if (r.errors() > 0) ...  // skip what depends on this node
//
// Thread safety: one reader per file being loaded.
#ifndef REPLY_ENGINE_PACK_YAML_READER_H_
#define REPLY_ENGINE_PACK_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"

namespace reply {

class YamlReader {
 public:
  YamlReader(std::string file, std::vector<PackIssue>* issues)
      : file_(std::move(file)), issues_(issues) {}

  const std::string& file() const { return file_; }
  SourceRef Where(const YAML::Node& n) const {
    return {file_, n.Mark().is_null() ? 0 : n.Mark().line + 1};
  }

  void Error(const YAML::Node& at, const std::string& message) {
    issues_->push_back({file_, Where(at).line, message});
    ++errors_;
  }
  void Error(int line, const std::string& message) {
    issues_->push_back({file_, line, message});
    ++errors_;
  }
  int errors() const { return errors_; }

  // Reports keys of `map` outside `allowed`; false when `map` is not a map.
  bool CheckMap(const YAML::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed);

  // A scalar string; nullopt (with an error when required) if absent.
  std::optional<std::string> String(const YAML::Node& map, const char* key,
                                    bool required);

  // A number within [min, max]; nullopt if absent, an error if not a number
  // or out of range.
  std::optional<double> Number(const YAML::Node& map, const char* key,
                               double min, double max);

  // true or false; nullopt if absent, an error for anything else.
  std::optional<bool> Bool(const YAML::Node& map, const char* key);

  // A list of strings, each with its node (for its line).
  std::vector<std::pair<std::string, YAML::Node>> Strings(const YAML::Node& map,
                                                          const char* key);

 private:
  static std::string Fmt(double d);

  static bool Similar(std::string_view a, std::string_view b);

  std::string file_;
  std::vector<PackIssue>* issues_;
  int errors_ = 0;
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_YAML_READER_H_

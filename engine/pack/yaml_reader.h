// YamlReader: parses one pack file with yaml-cpp and reads its nodes,
// turning every problem into a PackIssue carrying the file, the node's line,
// the reason and the fix, so that loading a pack reports all its problems at
// once instead of stopping at the first.
//
//   YamlReader r("templates/zh/urge_shipment.yaml", &issues);
//   std::optional<YAML::Node> root = r.Parse(text);
//   if (root &&
//       r.CheckMap(*root, "a templates file", {"intent", "variants"})) {
//     std::optional<std::string> id = r.String(*root, "intent", true);
//     if (std::optional<YAML::Node> list = r.List(*root, "variants", true)) ...
//   }
//   if (r.errors() > 0) ...  // skip what depends on this node
//
// Every access to a file's nodes goes through these methods (or iterates a
// node they returned): yaml-cpp throws on the wrong shape (a missing key's
// node throws InvalidNode on IsSequence(), a scalar throws BadSubscript on
// operator[]), and a throw on the server's reloader thread would end the
// process. The loaders check what they get; LoadPack catches anything left
// as the last resort.
//
// Parse accepts plain YAML text, one document, and refuses:
//   - invalid UTF-8 and control characters (yaml-cpp stops at a NUL byte
//     with a misleading error, or would read binary garbage as text);
//   - aliases (*name): yaml-cpp shares an aliased node, but every reader
//     copies it, so a 4 MB file of aliases to a long string would expand to
//     terabytes. Pack files do not need them: write the value out;
//   - nesting deeper than yaml-cpp's own guard (DeepRecursion, 500 levels in
//     Debian's 0.7.0), reported with its line; pack files nest 5 levels;
//   - a ',' outside [ ] and { }, on which yaml-cpp's parser would return
//     empty documents forever (found by fuzz/pack_fuzzer.cc).
//
// Thread safety: one reader per file being loaded.
#ifndef REPLY_ENGINE_PACK_YAML_READER_H_
#define REPLY_ENGINE_PACK_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <algorithm>
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
  // The node's line; `n` must be a node this reader handed out. yaml-cpp
  // marks an empty value where the next token is, which for the last entry
  // of a file is past its end: such a line is the file's last.
  SourceRef Where(const YAML::Node& n) const {
    if (n.Mark().is_null()) return {file_, 0};
    const int line = n.Mark().line + 1;
    return {file_, lines_ > 0 ? std::min(line, lines_) : line};
  }

  void Error(const YAML::Node& at, const std::string& message) {
    Error(Where(at).line, message);
  }
  void Error(int line, const std::string& message) {
    issues_->push_back({file_, line, message});
    ++errors_;
  }
  int errors() const { return errors_; }

  // The one document of `text`: a null node for an empty file (or one of
  // just `---`), nullopt (with the error) for text that is not acceptable
  // YAML (see above).
  std::optional<YAML::Node> Parse(std::string_view text);

  // Reports keys of `map` outside `allowed` (with the closest allowed one,
  // or the list of them), keys that are not text, and keys written twice.
  // False (with an error naming what was found) when `map` is not a mapping.
  bool CheckMap(const YAML::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed);

  // The value of `key` in `map` (a mapping), nullopt when absent or null.
  std::optional<YAML::Node> Get(const YAML::Node& map, const char* key) const;

  // The list under `key`: nullopt when absent (an error when required) or
  // not a list (an error naming what it is). `what` says what the list
  // holds: "intents (- id: ...)".
  std::optional<YAML::Node> List(const YAML::Node& map, const char* key,
                                 std::string_view what, bool required);

  // The mapping under `key`: nullopt when absent, or not a mapping (error).
  std::optional<YAML::Node> Map(const YAML::Node& map, const char* key,
                                std::string_view what);

  // A scalar string; nullopt (with an error when required) if absent.
  std::optional<std::string> String(const YAML::Node& map, const char* key,
                                    bool required);

  // An inclusive range of numbers, and the unit the error names.
  struct Range {
    double min;
    double max;
    bool above_min = false;  // min itself is excluded: "more than 0"
    bool whole = false;      // whole numbers only
    const char* unit = "";   // "hours", "days"
  };
  // A finite number within `range`; nullopt if absent, an error if not a
  // number or out of range (the error states the range).
  std::optional<double> Number(const YAML::Node& map, const char* key,
                               const Range& range);

  // true or false; nullopt if absent, an error for anything else.
  std::optional<bool> Bool(const YAML::Node& map, const char* key);

  // A list of strings, each with its node (for its line).
  std::vector<std::pair<std::string, YAML::Node>> Strings(const YAML::Node& map,
                                                          const char* key);

  // "a mapping", "a list", "text", "nothing": what a node is, for errors.
  static std::string_view KindOf(const YAML::Node& n);
  // A number as a person writes it: 1440, 0.05.
  static std::string Format(double d);

 private:
  static std::string RangeText(const Range& range);

  // A key of `map` other than `key` that is a typo of it (CheckMap has
  // reported it with the hint, so a missing `key` needs no second error).
  static bool HasTypoOf(const YAML::Node& map, std::string_view key);

  std::string file_;
  std::vector<PackIssue>* issues_;
  int errors_ = 0;
  int lines_ = 0;  // of the text parsed; 0 before Parse
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_YAML_READER_H_

#include "engine/pack/yaml_reader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <unordered_map>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"

namespace reply {
namespace {

// The first pass over a file's events: what yaml-cpp would accept but a
// pack file must not hold (a second document, aliases), and where its
// parser stopped making progress (see Parse).
class EventScan : public YAML::EventHandler {
 public:
  int documents = 0;
  int second_document_line = 0;
  int aliases = 0;
  int first_alias_line = 0;
  // A document started where the previous one did: the parser is stuck on
  // a token it never consumes, at `stuck_at`.
  bool stuck = false;
  YAML::Mark stuck_at;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second_document_line = mark.line + 1;
    if (documents > 1 && mark.pos == previous_start_.pos) {
      stuck = true;
      stuck_at = mark;
    }
    previous_start_ = mark;
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    if (aliases++ == 0) first_alias_line = mark.line + 1;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  YAML::Mark previous_start_;
};

int LineAt(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + offset, '\n'));
}

int LineOf(const YAML::Mark& mark) {
  return mark.is_null() ? 0 : mark.line + 1;
}

}  // namespace

std::optional<YAML::Node> YamlReader::Parse(std::string_view text) {
  lines_ = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
           (text.empty() || text.back() == '\n' ? 0 : 1);
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
    Error(LineAt(text, bad), "invalid UTF-8 at byte " + std::to_string(bad) +
                                 ": save the file as UTF-8 text");
    return std::nullopt;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", c);
      Error(LineAt(text, i), std::string("control character ") + code +
                                 " at byte " + std::to_string(i) +
                                 ": a pack file is plain text");
      return std::nullopt;
    }
  }
  const std::string content(text);
  try {
    std::istringstream in(content);
    YAML::Parser parser(in);
    EventScan scan;
    // yaml-cpp 0.7 never consumes a ',' (or a tag before one) outside
    // [ ] and { } (jbeder/yaml-cpp#1040): HandleNextDocument then returns
    // an empty document at the same place forever, allocating each time. A
    // pack file ending in a stray comma ("- x\n,") hung replyctl lint and
    // the server's reloader until memory ran out. So the scan stops at a
    // document that makes no progress, and at the third (a second is
    // already an error).
    while (scan.documents < 3 && !scan.stuck &&
           parser.HandleNextDocument(scan)) {
    }
    if (scan.stuck) {
      const size_t at = std::min<size_t>(scan.stuck_at.pos, text.size());
      const std::string token =
          at < text.size() ? std::string(1, text[at]) : std::string();
      Error(LineOf(scan.stuck_at),
            "YAML: '" + SanitizeUtf8(token) + "' at column " +
                std::to_string(scan.stuck_at.column + 1) +
                " belongs to no list or mapping: a comma separates items "
                "only inside [ ] or { }; remove it or add the brackets");
      return std::nullopt;
    }
    if (scan.documents > 1) {
      Error(scan.second_document_line,
            "a second YAML document (---) starts here; a pack file holds "
            "one: move it to a file of its own");
      return std::nullopt;
    }
    if (scan.aliases > 0) {
      Error(scan.first_alias_line,
            "an alias (*name) of an anchor (&name): pack files do not use "
            "them, write the value out (" +
                std::to_string(scan.aliases) + " in the file)");
      return std::nullopt;
    }
    return YAML::Load(content);
  } catch (const YAML::DeepRecursion& e) {
    Error(LineOf(e.mark), "nested " + std::to_string(e.depth()) +
                              " levels deep, past yaml-cpp's limit (pack "
                              "files nest a few levels): look for a runaway "
                              "[ or {");
  } catch (const YAML::Exception& e) {
    std::string hint;
    int line = LineOf(e.mark);
    if (e.msg.find("tab") != std::string::npos) {
      hint = ": indent with spaces, YAML does not allow tabs there";
    }
    // yaml-cpp notices an unclosed [ or { at the next token, often lines
    // later; the author wants the line that opened it.
    const bool sequence =
        e.msg.find("end of sequence flow") != std::string::npos;
    if (sequence || e.msg.find("end of map flow") != std::string::npos) {
      const size_t at = std::min<size_t>(
          e.mark.pos < 0 ? text.size() : static_cast<size_t>(e.mark.pos),
          text.size());
      const size_t open = text.find_last_of(sequence ? '[' : '{', at);
      if (open != std::string_view::npos) {
        line = LineAt(text, open);
        hint = ": this " + std::string(sequence ? "[" : "{") +
               " is never closed; add the " + (sequence ? "]" : "}");
      }
    }
    Error(line, "YAML: " + e.msg + hint);
  } catch (const std::exception& e) {
    Error(0, std::string("cannot parse: ") + e.what());
  }
  return std::nullopt;
}

std::string_view YamlReader::KindOf(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping (key: value)";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "text";
    default:
      return "nothing";
  }
}

bool YamlReader::CheckMap(const YAML::Node& map, std::string_view what,
                          std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) {
    Error(map, std::string(what) + " must be a mapping (key: value), not " +
                   std::string(KindOf(map)));
    return false;
  }
  std::unordered_map<std::string, int> seen;  // key -> its line
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) {
      Error(kv.first, "a key in " + std::string(what) + " must be text, not " +
                          std::string(KindOf(kv.first)));
      continue;
    }
    const std::string& key = kv.first.Scalar();
    const int line = Where(kv.first).line;
    if (auto [it, inserted] = seen.emplace(key, line); !inserted) {
      Error(line, "key '" + key + "' written twice in " + std::string(what) +
                      " (first at line " + std::to_string(it->second) +
                      "): keep one");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
      continue;
    std::string hint = DidYouMean(key, allowed, /*max_edits=*/1);
    if (hint.empty()) {
      hint = "; expected ";
      for (std::string_view a : allowed) {
        if (a != *allowed.begin()) hint += ", ";
        hint += a;
      }
    }
    Error(kv.first, "unknown key '" + SanitizeUtf8(key) + "' in " +
                        std::string(what) + hint);
  }
  return true;
}

std::optional<YAML::Node> YamlReader::Get(const YAML::Node& map,
                                          const char* key) const {
  if (!map.IsMap()) return std::nullopt;
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) {
      if (kv.second.IsNull()) return std::nullopt;
      return kv.second;
    }
  }
  return std::nullopt;
}

std::optional<YAML::Node> YamlReader::List(const YAML::Node& map,
                                           const char* key,
                                           std::string_view what,
                                           bool required) {
  const std::optional<YAML::Node> n = Get(map, key);
  if (!n) {
    if (required && !HasTypoOf(map, key)) {
      Error(map, "missing '" + std::string(key) + "': a list of " +
                     std::string(what));
    }
    return std::nullopt;
  }
  if (!n->IsSequence()) {
    Error(*n, "'" + std::string(key) + "' must be a list of " +
                  std::string(what) + ", not " + std::string(KindOf(*n)));
    return std::nullopt;
  }
  return n;
}

std::optional<YAML::Node> YamlReader::Map(const YAML::Node& map,
                                          const char* key,
                                          std::string_view what) {
  const std::optional<YAML::Node> n = Get(map, key);
  if (!n) return std::nullopt;
  if (!n->IsMap()) {
    Error(*n, "'" + std::string(key) + "' must be a mapping: " +
                  std::string(what) + "; found " + std::string(KindOf(*n)));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> YamlReader::String(const YAML::Node& map,
                                              const char* key, bool required) {
  const std::optional<YAML::Node> n = Get(map, key);
  if (!n) {
    if (required && !HasTypoOf(map, key)) {
      Error(map, "missing '" + std::string(key) + "'");
    }
    return std::nullopt;
  }
  if (!n->IsScalar()) {
    Error(*n, "'" + std::string(key) + "' must be text, not " +
                  std::string(KindOf(*n)));
    return std::nullopt;
  }
  if (FindInvalidUtf8(n->Scalar()) != std::string_view::npos) {
    Error(*n, "'" + std::string(key) + "' is not valid UTF-8");
    return std::nullopt;
  }
  return n->Scalar();
}

std::optional<double> YamlReader::Number(const YAML::Node& map, const char* key,
                                         const Range& range) {
  const std::optional<YAML::Node> n = Get(map, key);
  if (!n) return std::nullopt;
  const std::string must =
      "'" + std::string(key) + "' must be " + RangeText(range);
  if (!n->IsScalar()) {
    Error(*n, must + "; found " + std::string(KindOf(*n)));
    return std::nullopt;
  }
  const std::string& s = n->Scalar();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) ||
      v < range.min || (range.above_min && v <= range.min) || v > range.max ||
      (range.whole && v != std::floor(v))) {
    Error(*n, must + "; found " + SanitizeUtf8(s.substr(0, 40)));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& map, const char* key) {
  const std::optional<YAML::Node> n = Get(map, key);
  if (!n) return std::nullopt;
  if (n->IsScalar() && (n->Scalar() == "true" || n->Scalar() == "false")) {
    return n->Scalar() == "true";
  }
  Error(*n, "'" + std::string(key) + "' must be true or false");
  return std::nullopt;
}

std::vector<std::pair<std::string, YAML::Node>> YamlReader::Strings(
    const YAML::Node& map, const char* key) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  const std::optional<YAML::Node> n = List(map, key, "texts", false);
  if (!n) return out;
  for (const YAML::Node& item : *n) {
    if (!item.IsScalar()) {
      Error(item, "each entry of '" + std::string(key) +
                      "' must be text, not " + std::string(KindOf(item)));
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

std::string YamlReader::Format(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", d);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string YamlReader::RangeText(const Range& range) {
  std::string out = range.whole ? "a whole number " : "a number ";
  out += range.above_min ? "more than " + Format(range.min) + " and at most "
                         : "from " + Format(range.min) + " to ";
  out += Format(range.max);
  if (*range.unit) out += std::string(" ") + range.unit;
  return out;
}

bool YamlReader::HasTypoOf(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return false;
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && IsTypo(kv.first.Scalar(), key)) return true;
  }
  return false;
}

}  // namespace reply

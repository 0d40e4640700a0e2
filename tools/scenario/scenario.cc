#include "tools/scenario/scenario.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/api/json_codec.h"
#include "engine/pack/pack_loader.h"
#include "engine/pack/yaml_reader.h"

namespace reply {
namespace {

using nlohmann::json;

// YAML -> JSON for an order; scalars keep their YAML type (a quoted one is
// text). Nesting is bounded by yaml-cpp's guard (YamlReader::Parse) and the
// file has no aliases, so the walk is as large as the file.
json ToJson(const YAML::Node& node, const std::string& field, YamlReader* r) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          r->Error(kv.first, field + ": a key must be text, not " +
                                 std::string(YamlReader::KindOf(kv.first)));
          continue;
        }
        const std::string& key = kv.first.Scalar();
        out[key] = ToJson(kv.second, field + "." + key, r);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) {
        out.push_back(
            ToJson(item, field + "[" + std::to_string(out.size()) + "]", r));
      }
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted: always a string
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      if (s.empty()) return s;
      char* end = nullptr;
      errno = 0;
      const long long i = std::strtoll(s.c_str(), &end, 10);
      if (*end == '\0' && errno == 0) return i;
      errno = 0;
      const double d = std::strtod(s.c_str(), &end);
      if (*end == '\0') {
        if (errno == ERANGE || !std::isfinite(d)) {
          r->Error(node, field + ": " + s.substr(0, 40) +
                             " is out of range for a number");
          return nullptr;
        }
        return d;
      }
      return s;
    }
    default:
      return nullptr;
  }
}

// A list of texts, or one text standing for a list of one; nullopt when
// absent.
std::optional<std::vector<std::string>> StringList(YamlReader* r,
                                                   const YAML::Node& map,
                                                   const char* key) {
  const std::optional<YAML::Node> n = r->Get(map, key);
  if (!n) return std::nullopt;
  if (n->IsScalar()) return std::vector<std::string>{n->Scalar()};
  std::vector<std::string> out;
  for (auto& [s, node] : r->Strings(map, key)) out.push_back(std::move(s));
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

// `history:` as the request's turns. A turn is `buyer: text`, `agent: text`
// or `system: text`, with `at:` and (agent) `template:` beside it.
void ReadHistory(YamlReader* r, const YAML::Node& node, json* request) {
  if (!node.IsSequence()) {
    r->Error(node,
             "history: a list of turns, oldest first (- buyer: 怎么还不发货)");
    return;
  }
  json turns = json::array();
  for (const YAML::Node& turn : node) {
    if (!r->CheckMap(turn, "a turn",
                     {"buyer", "agent", "system", "at", "template"})) {
      continue;
    }
    json t = json::object();
    for (const char* role : {"buyer", "agent", "system"}) {
      if (const auto text = r->String(turn, role, false)) {
        if (t.contains("role")) {
          r->Error(turn, "a turn has one of buyer, agent or system");
        }
        t["role"] = role;
        t["text"] = *text;
      }
    }
    if (!t.contains("role")) {
      r->Error(turn, "a turn needs buyer:, agent: or system: and its text");
      continue;
    }
    if (const auto at = r->String(turn, "at", false)) t["at"] = *at;
    if (const auto tpl = r->String(turn, "template", false)) {
      t["template"] = *tpl;
    }
    turns.push_back(std::move(t));
  }
  (*request)["history"] = std::move(turns);
}

void ReadScenario(YamlReader* r, const YAML::Node& node,
                  std::vector<Scenario>* out) {
  if (!r->CheckMap(node, "a scenario",
                   {"name", "history", "message", "trigger", "order", "now",
                    "locale", "max", "expect"})) {
    return;
  }
  const int errors_before = r->errors();
  Scenario s;
  s.file = r->file();
  s.line = r->Where(node).line;
  s.name = r->String(node, "name", false).value_or("");
  s.request = json::object();
  const std::optional<std::string> message = r->String(node, "message", false);
  if (message) s.request["message"] = *message;
  const std::optional<bool> trigger = r->Bool(node, "trigger");
  if (trigger) s.request["trigger"] = *trigger;
  if (!message && !trigger.value_or(false)) {
    r->Error(node, "a scenario needs a message, or trigger: true");
  }
  if (const auto now = r->String(node, "now", false)) {
    s.request["now"] = *now;
  } else if (!r->Get(node, "now")) {
    r->Error(node,
             "every scenario pins 'now' (an RFC 3339 time such as "
             "\"2026-11-21T10:00:00+08:00\")");
  }
  if (const auto locale = r->String(node, "locale", false)) {
    s.request["locale"] = *locale;
  }
  if (const auto max = r->Number(
          node, "max",
          {.min = 1, .max = Request::kMaxSuggestions, .whole = true})) {
    s.request["max"] = static_cast<int>(*max);
  }
  if (const auto order =
          r->Map(node, "order", "the order's fields (docs/orders.md)")) {
    s.request["order"] = ToJson(*order, "order", r);
  }
  if (const std::optional<YAML::Node> history = r->Get(node, "history")) {
    ReadHistory(r, *history, &s.request);
  }
  const std::optional<YAML::Node> expect =
      r->Map(node, "expect", "what the reply must be");
  if (!expect) {
    if (!r->Get(node, "expect")) r->Error(node, "needs an 'expect' mapping");
  } else if (r->CheckMap(*expect, "expect",
                         {"intents", "first_template", "templates", "contains",
                          "not_contains", "handoff", "resolved_by"})) {
    s.resolved_by = r->String(*expect, "resolved_by", false);
    s.intents = StringList(r, *expect, "intents");
    s.first_template = r->String(*expect, "first_template", false);
    s.templates = StringList(r, *expect, "templates");
    s.contains =
        StringList(r, *expect, "contains").value_or(std::vector<std::string>{});
    s.not_contains = StringList(r, *expect, "not_contains")
                         .value_or(std::vector<std::string>{});
    s.handoff = r->Bool(*expect, "handoff");
  }
  if (r->errors() == errors_before) out->push_back(std::move(s));
}

void ReadScenarios(YamlReader* r, std::vector<Scenario>* out) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(r->file(), ec);
  if (ec) {
    r->Error(0, "cannot read: " + ec.message());
    return;
  }
  if (size > kMaxFileBytes) {
    r->Error(0, "file is " + std::to_string(size) + " bytes; the limit is " +
                    std::to_string(kMaxFileBytes) + ": split it");
    return;
  }
  std::ifstream in(r->file(), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::optional<YAML::Node> root = r->Parse(ss.str());
  if (!root) return;
  if (root->IsNull()) {
    r->Error(0, "empty file: a scenario file is `scenarios:` and a list");
    return;
  }
  if (!r->CheckMap(*root, "a scenario file", {"scenarios"})) return;
  const std::optional<YAML::Node> list =
      r->List(*root, "scenarios", "scenarios (- name: ...)", true);
  if (!list) return;
  for (const YAML::Node& node : *list) ReadScenario(r, node, out);
}

}  // namespace

std::vector<Scenario> LoadGoodScenarios(const std::string& path,
                                        std::vector<std::string>* problems) {
  std::vector<PackIssue> issues;
  YamlReader r(path, &issues);
  std::vector<Scenario> out;
  // The reader checks every node's shape; this is the last resort, so that
  // no exception leaves the loader.
  try {
    ReadScenarios(&r, &out);
  } catch (const std::exception& e) {
    r.Error(0, std::string("could not be read (") + e.what() +
                   "): an unexpected error; please report it with this file");
  }
  for (const PackIssue& issue : issues) problems->push_back(issue.ToString());
  return out;
}

Result<std::vector<Scenario>> LoadScenarios(const std::string& path) {
  std::vector<std::string> problems;
  std::vector<Scenario> out = LoadGoodScenarios(path, &problems);
  if (problems.empty()) return out;
  std::string message;
  for (const std::string& problem : problems) {
    if (!message.empty()) message += "\n";
    message += problem;
  }
  return Status::PackError(message);
}

ScenarioOutcome RunScenario(const Engine& engine, const Scenario& s,
                            const std::string& shop) {
  ScenarioOutcome outcome;
  auto& failures = outcome.failures;
  Result<Request> request = RequestFromJson(s.request);
  if (!request.ok()) {
    failures.push_back("bad request: " + request.status().ToString());
    return outcome;
  }
  request->shop = shop;
  Result<Response> response = engine.Suggest(*request);
  if (!response.ok()) {
    failures.push_back("engine error: " + response.status().ToString());
    return outcome;
  }
  outcome.locale = response->locale;
  std::vector<std::string> intents;
  for (const IntentMatch& m : response->intents) intents.push_back(m.name);
  for (const Suggestion& sug : response->suggestions) {
    outcome.templates.push_back(sug.template_id);
  }
  if (s.intents && *s.intents != intents) {
    failures.push_back("expected intents " + Join(*s.intents) + ", got " +
                       Join(intents));
  }
  if (s.templates && *s.templates != outcome.templates) {
    failures.push_back("expected templates " + Join(*s.templates) + ", got " +
                       Join(outcome.templates));
  }
  const Suggestion* first =
      response->suggestions.empty() ? nullptr : &response->suggestions.front();
  if (s.first_template) {
    const std::string got = first ? first->template_id : "(no suggestion)";
    if (got != *s.first_template) {
      failures.push_back("expected first template " + *s.first_template +
                         ", got " + got);
    }
  }
  for (const std::string& needle : s.contains) {
    if (first == nullptr || first->text.find(needle) == std::string::npos) {
      failures.push_back("expected the first suggestion to contain \"" +
                         needle + "\", got \"" +
                         (first ? first->text : "(no suggestion)") + "\"");
    }
  }
  for (const std::string& needle : s.not_contains) {
    for (const Suggestion& sug : response->suggestions) {
      if (sug.text.find(needle) != std::string::npos) {
        failures.push_back(sug.template_id + " contains \"" + needle + "\"");
      }
    }
  }
  if (s.resolved_by) {
    const std::string got = response->intents.empty()
                                ? "(no intent)"
                                : response->intents.front().resolved_by;
    if (got != *s.resolved_by) {
      failures.push_back("expected the first intent resolved_by \"" +
                         *s.resolved_by + "\", got \"" + got + "\"");
    }
  }
  if (s.handoff) {
    const bool got = first != nullptr && first->handoff;
    if (got != *s.handoff) {
      failures.push_back(std::string("expected handoff ") +
                         (*s.handoff ? "true" : "false"));
    }
  }
  return outcome;
}

}  // namespace reply

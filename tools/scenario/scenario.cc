#include "tools/scenario/scenario.h"

#include <yaml-cpp/yaml.h>

#include <sstream>

namespace reply {
namespace {

using nlohmann::json;

// YAML -> JSON for the request part; scalars keep their YAML type.
json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.Scalar()] = ToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted: always a string
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      char* end = nullptr;
      const long long i = std::strtoll(s.c_str(), &end, 10);
      if (!s.empty() && *end == '\0') return i;
      const double d = std::strtod(s.c_str(), &end);
      if (!s.empty() && *end == '\0') return d;
      return s;
    }
    default:
      return nullptr;
  }
}

std::vector<std::string> StringList(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n.IsSequence()) {
    for (const auto& item : n) out.push_back(item.Scalar());
  } else if (n.IsScalar()) {
    out.push_back(n.Scalar());
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

}  // namespace

Result<std::vector<Scenario>> LoadScenarios(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return Status::PackError(path + ":" + std::to_string(e.mark.line + 1) +
                             ": " + e.msg);
  }
  if (!root.IsMap() || !root["scenarios"].IsSequence()) {
    return Status::PackError(path + ": expected a list under 'scenarios'");
  }
  std::vector<Scenario> out;
  for (const YAML::Node& node : root["scenarios"]) {
    Scenario s;
    s.file = path;
    s.line = node.Mark().line + 1;
    const auto fail = [&](const std::string& why) {
      return Status::PackError(s.Where() + ": " + why);
    };
    if (!node.IsMap()) return fail("a scenario is a mapping");
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key != "name" && key != "message" && key != "trigger" &&
          key != "order" && key != "now" && key != "locale" && key != "max" &&
          key != "expect") {
        return fail("unknown key '" + key + "'");
      }
    }
    s.name = node["name"] ? node["name"].Scalar() : "";
    s.request = json::object();
    for (const char* key :
         {"message", "trigger", "order", "now", "locale", "max"}) {
      if (node[key]) s.request[key] = ToJson(node[key]);
    }
    if (node["message"]) s.request["message"] = node["message"].Scalar();
    if (!node["now"]) return fail("every scenario pins 'now'");
    if (!node["message"] && !node["trigger"])
      return fail("needs a message or trigger: true");
    const YAML::Node expect = node["expect"];
    if (!expect.IsMap()) return fail("needs an 'expect' mapping");
    for (const auto& kv : expect) {
      const std::string key = kv.first.Scalar();
      if (key == "intents") {
        s.intents = StringList(kv.second);
      } else if (key == "first_template") {
        s.first_template = kv.second.Scalar();
      } else if (key == "templates") {
        s.templates = StringList(kv.second);
      } else if (key == "contains") {
        s.contains = StringList(kv.second);
      } else if (key == "not_contains") {
        s.not_contains = StringList(kv.second);
      } else if (key == "handoff") {
        s.handoff = kv.second.Scalar() == "true";
      } else {
        return fail("unknown expectation '" + key + "'");
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

ScenarioOutcome RunScenario(const Engine& engine, const Scenario& s) {
  ScenarioOutcome outcome;
  auto& failures = outcome.failures;
  Result<Request> request = RequestFromJson(s.request);
  if (!request.ok()) {
    failures.push_back("bad request: " + request.status().ToString());
    return outcome;
  }
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

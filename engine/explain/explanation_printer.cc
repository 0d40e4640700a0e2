// PrintExplanation (engine/explain/explanation.h): the JSON that
// BuildExplanation makes, as plain text for people, sections in pipeline
// order. It reads only the JSON, so replyd's `explain` answer and replyctl
// print the same thing.
#include <cstdio>
#include <string>

#include "engine/explain/explanation.h"
#include "engine/order/facts.h"
#include "engine/render/placeholders.h"

namespace reply {
namespace {

using Json = nlohmann::ordered_json;

// "unknown", "true", "6.45", "\"paid\"", "2026-11-22T10:00:00+08:00".
std::string FactText(const std::string& name, const Json& value) {
  if (value.is_null()) return "unknown";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) {
    return FormatNumber(value.get<double>(), FactDisplay::kPlain);
  }
  const FactDef* def = FindFact(name);
  const std::string text = value.get<std::string>();
  return def != nullptr && def->type == FactType::kEnum ? "\"" + text + "\""
                                                        : text;
}

// "rank 8 (author 9): prior 0.40, score 0.629; pooled evidence 40 shown,
// ...". Nothing for a variant learning does not move (the JSON has it).
void PrintRank(const Json& r, std::ostream& out) {
  if (r.value("fixed", false)) return;
  out << "      rank " << r["rank"].get<int>() << " (author "
      << r["author_rank"].get<int>() << ")";
  const Json& e = r["evidence"];
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, ": prior %.2f, score %.3f",
                r["prior"].get<double>(), r["score"].get<double>());
  out << numbers << "; " << e["from"].get<std::string>() << " evidence "
      << e["shown"].get<int64_t>() << " shown, " << e["accepted"].get<int64_t>()
      << " accepted, " << e["edited"].get<int64_t>() << " edited, "
      << e["rejected"].get<int64_t>() << " rejected\n";
}

void PrintCondition(const Json& c, const char* label, std::ostream& out) {
  out << "      " << label << " "
      << (c["text"].is_null() ? "(none: always holds)"
                              : c["text"].get<std::string>())
      << "  -> " << c["value"].get<std::string>() << "\n";
  for (const Json& t : c["tests"]) {
    out << "        " << t["test"].get<std::string>() << "  -> "
        << t["value"].get<std::string>();
    std::string read;
    for (const auto& [name, value] : t["facts"].items()) {
      read += (read.empty() ? "" : ", ") + name + " = " + FactText(name, value);
    }
    // A slot test reads no fact: its value is in the slots section.
    out << (read.empty() ? "\n" : "   (" + read + ")\n");
  }
}

// "{parcel} = 快递 (intents/zh/lexicon.yaml:3): matched 快遞", nested
// concepts indented under their entry.
void PrintConcepts(const Json& concepts, int indent, std::ostream& out) {
  for (const Json& c : concepts) {
    out << std::string(indent, ' ') << "{" << c["concept"].get<std::string>()
        << "} = "
        << (c["entry"].is_null() ? std::string("(no single entry)")
                                 : c["entry"].get<std::string>())
        << "  (" << c["where"].get<std::string>() << "), matched "
        << c["span"]["text"].get<std::string>() << "\n";
    if (c.contains("inner")) PrintConcepts(c["inner"], indent + 2, out);
  }
}

// One matched pattern or exclude: where it matched and through which
// concept entries.
void PrintSpan(const Json& p, std::ostream& out) {
  if (!p.contains("in_message")) return;
  out << "      matched " << p["span"]["text"].get<std::string>() << " in "
      << p["in_message"].get<std::string>() << "\n";
  if (p.contains("concepts")) PrintConcepts(p["concepts"], 8, out);
}

}  // namespace

void PrintExplanation(const Json& e, std::ostream& out) {
  out << "message     "
      << (e["trigger"].get<bool>() ? "(trigger: no message)"
                                   : e["message"].get<std::string>())
      << "\n";
  if (e["trigger"].get<bool>()) {
    out << "locale      " << e["locale"].get<std::string>() << "\n";
  } else {
    out << "normalized  " << e["normalized"].get<std::string>() << "   (script "
        << e["script"].get<std::string>() << ", locale "
        << e["locale"].get<std::string>() << ")\n";
    // Abbreviations and dialect words alike: what the buyer typed, the
    // word patterns saw, and the rule's line.
    std::string written;
    for (const char* table : {"abbreviations", "dialect"}) {
      if (!e.contains(table)) continue;
      for (const Json& w : e[table]) {
        written += (written.empty() ? "" : ", ") +
                   w["typed"].get<std::string>() + " → " +
                   w["full"].get<std::string>() + " (" +
                   w["where"].get<std::string>() + ")";
      }
    }
    if (!written.empty()) out << "written out " << written << "\n";
  }
  out << "now         " << e["now"].get<std::string>() << "\n";

  if (!e["trigger"].get<bool>()) {
    out << "\npatterns that matched\n";
    bool any = false;
    for (const Json& p : e["patterns"]) {
      if (p["kind"] != "match") continue;
      any = true;
      out << "  " << p["where"].get<std::string>() << "  "
          << p["intent"].get<std::string>() << "  "
          << p["pattern"].get<std::string>() << "\n";
      PrintSpan(p, out);
    }
    if (!any) out << "  (none)\n";
    out << "\nexcludes that fired\n";
    any = false;
    for (const Json& p : e["patterns"]) {
      if (p["kind"] != "exclude") continue;
      any = true;
      const std::string intent = p["intent"].get<std::string>();
      out << "  " << p["where"].get<std::string>() << "  exclude of " << intent
          << "  " << p["pattern"].get<std::string>() << "\n";
      PrintSpan(p, out);
      out << "      "
          << (p["removed_intent"].get<bool>()
                  ? "removed " + intent + ", which a pattern matched"
              : p.contains("kept_intent")
                  ? intent + " was matched, and a keep kept it"
                  : intent + " was not matched anyway")
          << "\n";
    }
    if (!any) out << "  (none)\n";
    // Keeps are printed only when one fired: most intents have none.
    bool header = false;
    for (const Json& p : e["patterns"]) {
      if (p["kind"] != "keep") continue;
      if (!header) out << "\nkeeps that fired\n";
      header = true;
      const std::string intent = p["intent"].get<std::string>();
      out << "  " << p["where"].get<std::string>() << "  keep of " << intent
          << "  " << p["pattern"].get<std::string>() << "\n";
      PrintSpan(p, out);
      out << "      "
          << (p["kept_intent"].get<bool>()
                  ? "kept " + intent + " past its excludes"
                  : "kept nothing: " + intent +
                        " was not matched, or no exclude of it fired")
          << "\n";
    }
  } else {
    out << "\ntriggers\n";
    for (const Json& t : e["triggers"]) {
      out << "  " << t["where"].get<std::string>() << "  "
          << t["intent"].get<std::string>() << "\n";
      PrintCondition(t["trigger"], "trigger", out);
    }
  }

  out << "\nintents, best first\n";
  if (e["intents"].empty()) out << "  (none)\n";
  int n = 1;
  for (const Json& i : e["intents"]) {
    out << "  " << n++ << ". " << i["intent"].get<std::string>()
        << "  priority " << i["priority"].get<int>() << ", score "
        << FormatNumber(i["score"].get<double>(), FactDisplay::kPlain)
        << ", by " << i["by"].get<std::string>() << "\n";
    if (i.contains("turn")) {
      out << "     matched in history[" << i["turn"].get<int>()
          << "], an earlier message of this ask: "
          << i["turn_text"].get<std::string>() << "\n";
    }
    if (i.contains("resolved_by") &&
        i["resolved_by"].get<std::string>() == "follow_up") {
      out << "     the message was only a follow-up ("
          << i["asked"].get<std::string>()
          << "); it continues the topic of the last exchange\n";
    } else if (i.contains("resolved_by")) {
      out << "     the message asked " << i["asked"].get<std::string>();
      if (i.contains("rule")) {
        out << "; the order decided, by the rule at "
            << i["rule"]["where"].get<std::string>() << "\n";
        PrintCondition(i["rule"]["when"], "when", out);
        if (i.contains("then")) {
          for (const Json& then : i["then"]) {
            out << "     then " << then["from"].get<std::string>()
                << " was resolved by the rule at "
                << then["where"].get<std::string>() << "\n";
            PrintCondition(then["when"], "when", out);
          }
        }
      } else {
        out << "; no order, so its without_order intent answers\n";
      }
    }
  }

  out << "\nfacts\n";
  std::string unknown;
  for (const auto& [name, value] : e["facts"].items()) {
    if (value.is_null()) {
      unknown += (unknown.empty() ? "" : ", ") + name;
    } else {
      out << "  " << name << " = " << FactText(name, value) << "\n";
    }
  }
  if (!unknown.empty()) out << "  unknown: " << unknown << "\n";

  if (e.contains("slots")) {
    out << "\nslots the buyer said\n";
    if (e["slots"].empty()) out << "  (none)\n";
    for (const Json& v : e["slots"]) {
      out << "  slots." << v["slot"].get<std::string>() << " = "
          << v["value"].get<std::string>() << "  from \""
          << v["said"].get<std::string>() << "\" in ";
      if (v.contains("turn")) {
        out << "history[" << v["turn"].get<int>()
            << "]: " << v["turn_text"].get<std::string>() << "\n";
      } else {
        out << "the message\n";
      }
    }
  }

  for (const Json& r : e["replies"]) {
    const bool learned = r.value("order", "author") == "learned";
    out << "\nreplies for " << r["intent"].get<std::string>()
        << (learned ? ", in learned order\n" : ", most specific first\n");
    for (const Json& v : r["variants"]) {
      const std::string outcome = v["outcome"].get<std::string>();
      out << "  " << (outcome == "offered" ? "+ " : "- ")
          << v["template"].get<std::string>()
          << (v["fallback"].get<bool>() ? " (fallback)" : "") << "  "
          << v["where"].get<std::string>() << "\n";
      out << "      " << (outcome == "offered" ? "offered: " : "not offered: ")
          << v["reason"].get<std::string>() << "\n";
      if (v.contains("learned")) PrintRank(v["learned"], out);
      if (outcome != "not_tried") PrintCondition(v["when"], "when", out);
    }
  }

  out << "\nsuggestions (max " << e["max"].get<int>() << ")\n";
  if (e["suggestions"].empty()) out << "  (none)\n";
  n = 1;
  for (const Json& s : e["suggestions"]) {
    out << "  " << n++ << ". [" << s["template"].get<std::string>() << "]"
        << (s["handoff"].get<bool>() ? " (hand off to a person)" : "") << "\n";
    std::string text = s["text"].get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      const size_t nl = text.find('\n', start);
      out << "     "
          << text.substr(start, nl == std::string::npos ? std::string::npos
                                                        : nl - start)
          << "\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
}

}  // namespace reply

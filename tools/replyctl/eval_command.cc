// replyctl eval: the packs measured on a labelled file (text<TAB>label):
// per-intent precision, recall and F1, a confusion table and the
// misclassified messages (tools/eval/evaluation.h says how each is counted);
// --html writes the same as a page with a confusion-matrix chart. Exit 0,
// or 1 when --min-precision is given and an intent falls below it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "tools/eval/evaluation.h"
#include "tools/eval/html_report.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct EvalOptions {
  std::string file;
  std::string packs;
  std::string locale;
  std::string html;
  double min_precision = 0;
};

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

void Print(const eval::Evaluation& e, const std::string& file,
           std::ostream& out) {
  size_t w = 14;  // "macro average"
  for (const eval::IntentScore& s : e.scores) w = std::max(w, s.intent.size());
  out << Pad("intent", w) << "  precision  recall      f1     tp     fp     fn"
      << "  support\n";
  for (const eval::IntentScore& s : e.scores) {
    out << Pad(s.intent, w) << "  " << PadLeft(Fixed(s.precision, 3), 9)
        << PadLeft(Fixed(s.recall, 3), 8) << PadLeft(Fixed(s.f1, 3), 8)
        << PadLeft(std::to_string(s.tp), 7) << PadLeft(std::to_string(s.fp), 7)
        << PadLeft(std::to_string(s.fn), 7)
        << PadLeft(std::to_string(s.support), 9) << "\n";
  }
  out << Pad("macro average", w) << "  "
      << PadLeft(Fixed(e.macro_precision, 3), 9)
      << PadLeft(Fixed(e.macro_recall, 3), 8)
      << PadLeft(Fixed(e.macro_f1, 3), 8) << "\n\n";
  out << "right: " << e.correct << " of " << e.messages << " messages\n";
  out << "other messages given an intent: " << e.other_predicted << " of "
      << e.other_messages << " ("
      << Fixed(e.other_messages == 0
                   ? 0.0
                   : 100.0 * e.other_predicted / e.other_messages,
               2)
      << "%)\n\n";

  out << "confusion (rows: label, columns: predicted)\n";
  size_t cw = 0;
  for (const std::string& c : e.classes) cw = std::max(cw, c.size());
  out << "  " << Pad("", cw + 4);
  for (size_t j = 0; j < e.classes.size(); ++j) {
    out << PadLeft("[" + std::to_string(j + 1) + "]", 7);
  }
  out << "\n";
  for (size_t i = 0; i < e.classes.size(); ++i) {
    out << "  " << Pad("[" + std::to_string(i + 1) + "]", 4)
        << Pad(e.classes[i], cw);
    for (int count : e.confusion[i]) out << PadLeft(std::to_string(count), 7);
    out << "\n";
  }

  out << "\nmisclassified (" << e.misclassified.size() << ")\n";
  for (const eval::Misclassified& m : e.misclassified) {
    out << "  " << file << ":" << m.line << "  label " << Join(m.labels, "|")
        << "  predicted "
        << (m.predicted.empty() ? std::string(eval::kOther)
                                : Join(m.predicted, ", "))
        << "  " << m.text << "\n";
  }
}

int Run(const EvalOptions& o) {
  std::unique_ptr<Engine> engine = OpenEngine(PackDir(o.packs));
  if (!engine) return kExitUsage;
  Result<std::vector<eval::LabelledMessage>> set = eval::ReadLabelled(o.file);
  if (!set.ok()) {
    std::cerr << set.status().message() << "\n";
    return kExitUsage;
  }
  bool engine_failed = false;
  const eval::Evaluation e = eval::Evaluate(*set, [&](const std::string& text) {
    Request request;
    request.message = text;
    request.locale = o.locale;
    std::vector<std::string> intents;
    Result<Response> r = engine->Suggest(request);
    if (!r.ok()) {
      std::cerr << "\"" << text << "\": " << r.status().ToString() << "\n";
      engine_failed = true;
      return intents;
    }
    for (const IntentMatch& m : r->intents) intents.push_back(m.name);
    return intents;
  });
  if (engine_failed) return kExitUsage;

  const std::shared_ptr<const Pack> pack = engine->pack();
  for (const eval::IntentScore& s : e.scores) {
    bool known = false;
    for (const LocalePack& lp : pack->locales) {
      known |= lp.FindIntent(s.intent) >= 0;
    }
    if (!known) {
      std::cout << "note: label '" << s.intent
                << "' names no intent of the packs\n";
    }
  }
  std::cout << "eval " << o.file << ": " << e.messages << " messages, "
            << e.scores.size() << " intents evaluated\n\n";
  Print(e, o.file, std::cout);

  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary);
    out << eval::HtmlReport(e, o.file);
    if (!out) {
      std::cerr << o.html << ": cannot write\n";
      return kExitUsage;
    }
    std::cout << "\nwrote " << o.html << "\n";
  }
  int below = 0;
  for (const eval::IntentScore& s : e.scores) {
    if (s.precision < o.min_precision) {
      std::cout << "precision of " << s.intent << " is "
                << Fixed(s.precision, 3) << ", below "
                << Fixed(o.min_precision, 3) << "\n";
      ++below;
    }
  }
  return below > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Measure the packs on labelled messages (text<TAB>label): precision, "
      "recall, F1, confusion, misclassified");
  cmd->add_option("file", options->file, "Labelled messages, text<TAB>label")
      ->required();
  cmd->add_option("--packs", options->packs,
                  "Pack directory (default $REPLY_PACKS or .)");
  cmd->add_option("--locale", options->locale,
                  "zh, vi; default: from each message's script");
  cmd->add_option("--html", options->html,
                  "Also write a page with a confusion-matrix chart");
  cmd->add_option("--min-precision", options->min_precision,
                  "Exit 1 when an intent's precision is below this (0-1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([options, exit_code] { *exit_code = Run(*options); });
}

}  // namespace reply::ctl

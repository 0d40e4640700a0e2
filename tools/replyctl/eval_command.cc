// replyctl eval: the packs measured on a labelled file (a header naming the
// columns text and label, or text<TAB>label): per-intent precision, recall
// and F1, the macro average over intents with enough lines, the misfire
// rate on `other` messages, a confusion table and the misclassified
// messages (tools/eval/evaluation.h says how each is counted); --html writes
// the same as a page with a confusion-matrix chart.
//
// --split/--half keep one half of a split set (tools/eval/split.h). On the
// held-out half no message text is ever printed or written (nor the line
// numbers of the misclassified ones): only scores and counts.
// --traditional converts every message to Traditional Chinese first, to
// measure the same set as Traditional buyers would write it.
//
// Exit 0, or 1 when a floor is given and missed (--min-precision,
// --min-macro-f1, --max-misfire): the CI checks of the held-out halves.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/pack/pack.h"
#include "tools/eval/evaluation.h"
#include "tools/eval/html_report.h"
#include "tools/eval/split.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct EvalOptions {
  std::string file;
  std::string packs;
  std::string locale;
  std::string html;
  std::string split;
  std::string half;
  bool traditional = false;
  int min_support = 1;
  double min_precision = 0;
  double min_macro_f1 = 0;
  double max_misfire = 1;
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

// Without `show_messages` (a held-out half) the misclassified messages are
// counted, not listed.
void Print(const eval::Evaluation& e, const std::string& file,
           bool show_messages, std::ostream& out) {
  size_t w = 14;  // "macro average"
  for (const eval::IntentScore& s : e.scores) {
    w = std::max(w, s.intent.size() + (s.in_macro ? 0 : 2));
  }
  out << Pad("intent", w) << "  precision  recall      f1     tp     fp     fn"
      << "  support\n";
  bool excluded = false;
  for (const eval::IntentScore& s : e.scores) {
    excluded |= !s.in_macro;
    out << Pad(s.intent + (s.in_macro ? "" : " *"), w) << "  "
        << PadLeft(Fixed(s.precision, 3), 9) << PadLeft(Fixed(s.recall, 3), 8)
        << PadLeft(Fixed(s.f1, 3), 8) << PadLeft(std::to_string(s.tp), 7)
        << PadLeft(std::to_string(s.fp), 7) << PadLeft(std::to_string(s.fn), 7)
        << PadLeft(std::to_string(s.support), 9) << "\n";
  }
  out << Pad("macro average", w) << "  "
      << PadLeft(Fixed(e.macro_precision, 3), 9)
      << PadLeft(Fixed(e.macro_recall, 3), 8)
      << PadLeft(Fixed(e.macro_f1, 3), 8) << "\n";
  if (excluded) {
    out << "* fewer than " << e.min_support
        << " labelled messages: not in the macro average\n";
  }
  out << "\nright: " << e.correct << " of " << e.messages << " messages\n";
  out << "other messages given an intent: " << e.other_predicted << " of "
      << e.other_messages << " (" << Fixed(100.0 * e.misfire_rate(), 2)
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

  if (!show_messages) {
    out << "\nmisclassified: " << e.messages - e.correct
        << " (not listed: the held-out half's messages are never shown)\n";
    return;
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
  const size_t lines = set->size();
  bool show_messages = true;
  std::string what = o.file;
  if (!o.split.empty()) {
    Result<eval::Half> half = eval::ParseHalf(o.half);
    Result<eval::Split> split =
        half.ok() ? eval::Split::Read(o.split) : half.status();
    if (!split.ok()) {
      std::cerr << split.status().message() << "\n";
      return kExitUsage;
    }
    Result<std::vector<eval::LabelledMessage>> kept = split->Select(
        *set, std::filesystem::path(o.file).filename().string(), *half);
    if (!kept.ok()) {
      std::cerr << kept.status().message() << "\n";
      return kExitUsage;
    }
    *set = std::move(*kept);
    show_messages = *half == eval::Half::kDev;
    what += ", " + std::string(eval::HalfName(*half)) + " half of " + o.split +
            " (" + std::to_string(set->size()) + " of " +
            std::to_string(lines) + " lines)";
  }
  if (o.traditional) {
    for (eval::LabelledMessage& m : *set) {
      m.text = engine->normalizer().ToTraditional(m.text);
    }
    what += ", converted to Traditional";
  }
  bool engine_failed = false;
  eval::Evaluation e = eval::Evaluate(
      *set,
      [&](const std::string& text) {
        Request request;
        request.message = text;
        request.locale = o.locale;
        std::vector<std::string> intents;
        Result<Response> r = engine->Suggest(request);
        if (!r.ok()) {
          // The message is shown only where messages may be read.
          std::cerr << (show_messages ? "\"" + text + "\": " : "a message: ")
                    << r.status().ToString() << "\n";
          engine_failed = true;
          return intents;
        }
        for (const IntentMatch& m : r->intents) intents.push_back(m.name);
        return intents;
      },
      o.min_support);
  if (engine_failed) return kExitUsage;
  if (!show_messages) e.misclassified.clear();

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
  std::cout << "eval " << what << ": " << e.messages << " messages, "
            << e.scores.size() << " intents evaluated\n\n";
  Print(e, o.file, show_messages, std::cout);

  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary);
    out << eval::HtmlReport(e, what, show_messages);
    if (!out) {
      std::cerr << o.html << ": cannot write\n";
      return kExitUsage;
    }
    std::cout << "\nwrote " << o.html << "\n";
  }
  int missed = 0;
  for (const eval::IntentScore& s : e.scores) {
    if (s.in_macro && s.precision < o.min_precision) {
      std::cout << "precision of " << s.intent << " is "
                << Fixed(s.precision, 3) << ", below "
                << Fixed(o.min_precision, 3) << "\n";
      ++missed;
    }
  }
  if (e.macro_f1 < o.min_macro_f1) {
    std::cout << "macro F1 is " << Fixed(e.macro_f1, 3) << ", below "
              << Fixed(o.min_macro_f1, 3) << "\n";
    ++missed;
  }
  if (e.misfire_rate() > o.max_misfire) {
    std::cout << "other messages given an intent: "
              << Fixed(100 * e.misfire_rate(), 2) << "%, above "
              << Fixed(100 * o.max_misfire, 2) << "%\n";
    ++missed;
  }
  return missed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Measure the packs on labelled messages: precision, recall, F1, "
      "misfires on other messages, confusion, misclassified");
  cmd->add_option("file", options->file,
                  "Labelled messages: a header naming the columns text and "
                  "label, or text<TAB>label")
      ->required();
  cmd->add_option("--packs", options->packs,
                  "Pack directory (default $REPLY_PACKS or .)");
  cmd->add_option("--locale", options->locale,
                  "zh, vi; default: from each message's script");
  cmd->add_option("--html", options->html,
                  "Also write a page with a confusion-matrix chart");
  CLI::Option* split =
      cmd->add_option("--split", options->split,
                      "Split file (eval/split.tsv): keep one half of the set");
  CLI::Option* half = cmd->add_option(
      "--half", options->half,
      "dev or heldout; the held-out half's messages are never shown");
  split->needs(half);
  half->needs(split);
  cmd->add_flag("--traditional", options->traditional,
                "Convert every message to Traditional Chinese first");
  cmd->add_option("--min-support", options->min_support,
                  "Intents with fewer labelled lines are left out of the "
                  "macro average and --min-precision (default 1)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--min-precision", options->min_precision,
                  "Exit 1 when an intent's precision is below this (0-1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--min-macro-f1", options->min_macro_f1,
                  "Exit 1 when the macro F1 is below this (0-1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-misfire", options->max_misfire,
                  "Exit 1 when more than this share (0-1) of the messages "
                  "labelled other get an intent")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([options, exit_code] { *exit_code = Run(*options); });
}

}  // namespace reply::ctl

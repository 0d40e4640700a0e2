// replyctl report: how agents treated each reply template, from replyd's
// feedback database (learn/report.h): per intent and template shown,
// accepted, edited, rejected and the acceptance rate, the trend over the
// window, templates always rejected and never offered. --json prints what
// replyd's /stats answers; --html writes one self-contained page with charts
// (learn/report_html.h).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "engine/pack/pack.h"
#include "learn/pg_connection.h"
#include "learn/report.h"
#include "learn/report_html.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"

namespace reply::ctl {
namespace {

struct ReportOptions {
  std::string db;
  std::string since;
  std::string until;
  std::string html;
  std::string packs;
  int buckets = 8;
  bool json = false;
};

int Run(const ReportOptions& o) {
  learn::ReportOptions options;
  options.trend_buckets = o.buckets;
  if (!o.since.empty()) {
    options.since_ms = ParseWhenMs("report", "--since", o.since);
    if (!options.since_ms) return kExitUsage;
  }
  if (!o.until.empty()) {
    options.until_ms = ParseWhenMs("report", "--until", o.until);
    if (!options.until_ms) return kExitUsage;
  }
  // The packs' templates, for "never offered": from --packs, or the
  // current directory when it is a pack.
  std::vector<learn::KnownTemplate> known;
  const std::string pack_dir = PackDir(o.packs);
  if (!o.packs.empty() || NotAPackDirectory(pack_dir).empty()) {
    std::unique_ptr<Engine> engine = OpenEngine(pack_dir);
    if (!engine) return kExitUsage;
    for (const LocalePack& lp : engine->pack()->locales) {
      for (const Variant& v : lp.variants) {
        std::vector<std::string> arms;
        for (const Arm& arm : v.arms) arms.push_back(arm.id);
        known.push_back({lp.intents[v.intent].id, v.id, std::move(arms)});
      }
    }
  }
  Result<learn::Report> report = learn::BuildReport(o.db, options, known);
  if (!report.ok()) {
    std::cerr << "replyctl report: " << report.status().message() << "\n";
    return kExitUsage;
  }
  if (o.json) {
    std::cout << learn::ReportJson(*report).dump(2) << "\n";
  } else {
    learn::PrintReport(*report, std::cout);
  }
  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary);
    out << learn::ReportHtml(*report, learn::RedactUrl(o.db));
    if (!out.flush()) {
      std::cerr << o.html << ": cannot write\n";
      return kExitUsage;
    }
    if (!o.json) std::cout << "\nwrote " << o.html << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "How agents treated each reply: shown, accepted, edited, rejected per "
      "intent and template, from replyd's feedback database");
  AddFeedbackDbOption(cmd, &options->db);
  cmd->add_option("--since", options->since,
                  "Start of the window: a date (2026-11-01, UTC) or an "
                  "RFC 3339 time; default the first record");
  cmd->add_option("--until", options->until,
                  "End of the window (exclusive), as --since; default after "
                  "the last record");
  cmd->add_option("--buckets", options->buckets,
                  "Spans the window's trend is split into")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_option("--packs", options->packs,
                  "Pack directory whose templates are listed when never "
                  "offered (default: $REPLY_PACKS, else the current "
                  "directory when it is a pack)");
  cmd->add_option("--html", options->html,
                  "Also write the report as one self-contained HTML page "
                  "with charts");
  cmd->add_flag("--json", options->json,
                "Print the report as JSON (as replyd's /stats)");
  cmd->callback([options, exit_code] { *exit_code = Run(*options); });
}

}  // namespace reply::ctl

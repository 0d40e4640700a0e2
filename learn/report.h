// Report: how agents treated each reply template over a time window, read
// from a feedback database — what `replyctl report` prints and writes as a
// page (report_html.h), and what replyd's /stats answers.
//
//   Result<Report> r = BuildReport("feedback.db", {.since_ms = t0}, known);
//   std::cout << ReportJson(*r).dump(2);
//
// Per template and per intent: shown, accepted, edited, rejected, ignored
// and the acceptance rate, whose denominator is `shown` (each displayed
// suggestion once: a `shown` record or a final action). A suggestion
// belongs to the window, and to a bucket of the trend, by its first record.
// The trend splits the window into `trend_buckets` equal spans. Wording
// experiments are reported per arm (a file without the `arm` column, from
// before schema version 5, has none). Templates
// never offered are the pack's templates without a suggestion shown in the
// window; templates always rejected were answered at least
// `min_always_rejected` times and rejected every time. Edits are mined by
// DiffPhrases (edit_diff.h). Final texts can hold a buyer's details: the
// report shows a few, shortened, and goes to the shop's own authors.
//
// Limits: the window is read with one grouped query; its cost grows with
// the rows in the window (about a second per million on the build machine).
//
// Thread safety: pure functions; calls may run at once.
#ifndef REPLY_LEARN_REPORT_H_
#define REPLY_LEARN_REPORT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "learn/experiment.h"

namespace reply::learn {

struct ReportOptions {
  // One shop's rows (shops/<id>.yaml; "" the default shop's, NULL in the
  // file); none: every shop's.
  std::optional<std::string> shop;
  std::optional<int64_t> since_ms;  // none: the first record
  std::optional<int64_t> until_ms;  // exclusive; none: after the last
  int trend_buckets = 8;
  int64_t min_always_rejected = 5;
  int top_phrases = 5;  // per template and direction
  int examples = 2;     // per phrase
};

struct ActionCounts {
  int64_t shown = 0;
  int64_t accepted = 0;
  int64_t edited = 0;
  int64_t rejected = 0;
  int64_t ignored = 0;
  ActionCounts& operator+=(const ActionCounts& o);
  int64_t answered() const { return accepted + edited + rejected + ignored; }
};

struct TemplateReport {
  std::string intent;
  std::string template_id;
  ActionCounts counts;
  std::vector<ActionCounts> trend;  // Report::buckets of them
};

struct IntentReport {
  std::string intent;  // empty: own replies with no suggestion showing
  ActionCounts counts;
  int64_t own_replies = 0;
};

// A template of the serving packs, for "never offered" and experiments.
struct KnownTemplate {
  std::string intent;
  std::string template_id;
  std::vector<std::string> arms;  // its wording experiment's; first: control
};

// One arm of a wording experiment (learn/experiment.h says how it is
// compared with the control).
struct ArmReport {
  std::string arm;
  ActionCounts counts;
  Interval ci95;     // of the acceptance rate
  ArmResult result;  // against the control; verdict kControl for it
};

// Per template under test, its arms: the control first (the pack's first
// arm; without the pack, the first by name), then the others as written
// (arms no longer in the pack last).
struct ExperimentReport {
  std::string intent;
  std::string template_id;
  std::vector<ArmReport> arms;
};

// What agents change in one template's suggestions before sending them
// (edit mining): the phrases they delete and add most often, each counted
// once per edit, with the final texts of a few edits as examples.
struct PhraseCount {
  std::string phrase;
  int64_t count = 0;
  std::vector<std::string> examples;  // final texts, shortened
};
struct TemplateEdits {
  std::string intent;
  std::string template_id;
  int64_t edits = 0;
  std::vector<PhraseCount> deleted;  // most often first
  std::vector<PhraseCount> added;
};

// Edits mined per report: the most recent in the window (the diff is
// quadratic in a text's length).
inline constexpr int64_t kMaxEditsMined = 5000;

struct Report {
  int64_t since_ms = 0;  // the window covered, [since, until)
  int64_t until_ms = 0;
  int buckets = 0;
  std::vector<TemplateReport> templates;  // by intent, then template
  std::vector<IntentReport> intents;      // by intent
  std::vector<KnownTemplate> never_offered;
  std::vector<std::string> always_rejected;
  std::vector<ExperimentReport> experiments;
  std::vector<TemplateEdits> edits;  // templates with edits, most edited first
};

Result<Report> BuildReport(const std::string& db_path,
                           const ReportOptions& options,
                           const std::vector<KnownTemplate>& known);

// The report as JSON (docs/protocol.md, /stats).
nlohmann::ordered_json ReportJson(const Report& report);

// The report for a terminal: one line per template, worst first per intent.
void PrintReport(const Report& report, std::ostream& out);

}  // namespace reply::learn

#endif  // REPLY_LEARN_REPORT_H_

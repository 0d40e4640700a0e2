#include "learn/report.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "engine/base/time.h"
#include "learn/sqlite_reader.h"

namespace reply::learn {
namespace {

using nlohmann::ordered_json;

// One row per suggestion in the window (its first record decides), with
// the action it got, grouped by template and trend bucket. own_reply rows
// have no suggestion: grouped by intent alone.
constexpr const char* kPerTemplate = R"sql(
SELECT intent, template,
       CAST((t - ?1) * ?3 / (?2 - ?1) AS INTEGER) AS bucket,
       COUNT(*), SUM(acc), SUM(ed), SUM(rej), SUM(ign)
FROM (SELECT intent, template, MIN(feedback_at_ms) AS t,
             MAX(action = 'accepted') AS acc, MAX(action = 'edited') AS ed,
             MAX(action = 'rejected') AS rej, MAX(action = 'ignored') AS ign
      FROM feedback WHERE suggestion_id IS NOT NULL
      GROUP BY suggestion_id)
WHERE t >= ?1 AND t < ?2
GROUP BY intent, template, bucket ORDER BY intent, template, bucket
)sql";

constexpr const char* kOwnReplies = R"sql(
SELECT COALESCE(intent, ''), COUNT(*) FROM feedback
WHERE action = 'own_reply' AND feedback_at_ms >= ?1 AND feedback_at_ms < ?2
GROUP BY 1
)sql";

ordered_json Rate(int64_t n, int64_t shown) {
  if (shown == 0) return nullptr;
  return static_cast<double>(n) / static_cast<double>(shown);
}

ordered_json CountsJson(const ActionCounts& c) {
  return {{"shown", c.shown},
          {"accepted", c.accepted},
          {"edited", c.edited},
          {"rejected", c.rejected},
          {"ignored", c.ignored},
          {"total", c.answered()},
          {"acceptance_rate", Rate(c.accepted, c.shown)},
          {"used_rate", Rate(c.accepted + c.edited, c.shown)}};
}

std::string Percent(int64_t n, int64_t shown) {
  if (shown == 0) return "   -";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%3.0f%%", 100.0 * n / shown);
  return buf;
}

}  // namespace

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  shown += o.shown;
  accepted += o.accepted;
  edited += o.edited;
  rejected += o.rejected;
  ignored += o.ignored;
  return *this;
}

Result<Report> BuildReport(const std::string& db_path,
                           const ReportOptions& options,
                           const std::vector<KnownTemplate>& known) {
  Result<std::unique_ptr<SqliteReader>> db = SqliteReader::Open(db_path);
  if (!db.ok()) return db.status();
  Report report;
  report.buckets = std::max(1, options.trend_buckets);
  int64_t first = 0, last = 0;
  Status s = (*db)->Query(
      "SELECT MIN(feedback_at_ms), MAX(feedback_at_ms) FROM feedback", {},
      [&](sqlite3_stmt* row) {
        first = SqliteReader::Int(row, 0);
        last = SqliteReader::Int(row, 1);
      });
  if (!s.ok()) return s;
  // An open end is where the records are, and never before the other end:
  // a window after the last record is empty, not an error.
  if (options.since_ms && options.until_ms &&
      *options.until_ms <= *options.since_ms) {
    return Status::BadRequest("the window is empty: until must be after since");
  }
  report.since_ms = options.since_ms.value_or(
      options.until_ms ? std::min(first, *options.until_ms - 1) : first);
  report.until_ms =
      options.until_ms.value_or(std::max(last + 1, report.since_ms + 1));

  std::map<std::string, IntentReport> intents;
  s = (*db)->Query(
      kPerTemplate, {report.since_ms, report.until_ms, report.buckets},
      [&](sqlite3_stmt* row) {
        const std::string intent = SqliteReader::Text(row, 0);
        const std::string template_id = SqliteReader::Text(row, 1);
        const int bucket = std::clamp(
            static_cast<int>(SqliteReader::Int(row, 2)), 0, report.buckets - 1);
        const ActionCounts c{
            SqliteReader::Int(row, 3), SqliteReader::Int(row, 4),
            SqliteReader::Int(row, 5), SqliteReader::Int(row, 6),
            SqliteReader::Int(row, 7)};
        if (report.templates.empty() ||
            report.templates.back().template_id != template_id ||
            report.templates.back().intent != intent) {
          report.templates.push_back(
              {intent,
               template_id,
               {},
               std::vector<ActionCounts>(report.buckets)});
        }
        TemplateReport& t = report.templates.back();
        t.counts += c;
        t.trend[bucket] += c;
        IntentReport& i = intents[intent];
        i.intent = intent;
        i.counts += c;
      });
  if (!s.ok()) return s;
  s = (*db)->Query(kOwnReplies, {report.since_ms, report.until_ms},
                   [&](sqlite3_stmt* row) {
                     IntentReport& i = intents[SqliteReader::Text(row, 0)];
                     i.intent = SqliteReader::Text(row, 0);
                     i.own_replies = SqliteReader::Int(row, 1);
                   });
  if (!s.ok()) return s;
  for (auto& [name, i] : intents) report.intents.push_back(std::move(i));

  std::set<std::string> offered;
  for (const TemplateReport& t : report.templates) {
    if (t.counts.shown > 0) offered.insert(t.template_id);
    if (t.counts.answered() >= options.min_always_rejected &&
        t.counts.rejected == t.counts.answered()) {
      report.always_rejected.push_back(t.template_id);
    }
  }
  for (const KnownTemplate& k : known) {
    if (!offered.count(k.template_id)) report.never_offered.push_back(k);
  }
  return report;
}

ordered_json ReportJson(const Report& report) {
  ordered_json templates = ordered_json::array();
  for (const TemplateReport& t : report.templates) {
    ordered_json row = {{"template", t.template_id}};
    row.update(CountsJson(t.counts));
    row["intent"] = t.intent;
    ordered_json trend = ordered_json::array();
    for (const ActionCounts& b : t.trend) {
      trend.push_back({{"shown", b.shown},
                       {"accepted", b.accepted},
                       {"edited", b.edited},
                       {"rejected", b.rejected},
                       {"acceptance_rate", Rate(b.accepted, b.shown)}});
    }
    row["trend"] = std::move(trend);
    templates.push_back(std::move(row));
  }
  ordered_json intents = ordered_json::array();
  for (const IntentReport& i : report.intents) {
    ordered_json row = {
        {"intent", i.intent.empty() ? ordered_json() : ordered_json(i.intent)}};
    row.update(CountsJson(i.counts));
    row["own_replies"] = i.own_replies;
    intents.push_back(std::move(row));
  }
  ordered_json never = ordered_json::array();
  for (const KnownTemplate& k : report.never_offered) {
    never.push_back({{"template", k.template_id}, {"intent", k.intent}});
  }
  const int64_t span = report.until_ms - report.since_ms;
  return {{"window",
           {{"since", FormatRfc3339(report.since_ms / 1000, 0)},
            {"until", FormatRfc3339((report.until_ms + 999) / 1000, 0)},
            {"since_ms", report.since_ms},
            {"until_ms", report.until_ms},
            {"buckets", report.buckets},
            {"bucket_ms", span / report.buckets}}},
          {"templates", std::move(templates)},
          {"intents", std::move(intents)},
          {"never_offered", std::move(never)},
          {"always_rejected", report.always_rejected}};
}

void PrintReport(const Report& report, std::ostream& out) {
  out << "feedback from " << FormatRfc3339(report.since_ms / 1000, 0) << " to "
      << FormatRfc3339((report.until_ms + 999) / 1000, 0) << "\n";
  if (report.templates.empty())
    out << "\n(no suggestion shown in the window)\n";
  std::string intent = "\x01";
  for (const TemplateReport& t : report.templates) {
    if (t.intent != intent) {
      intent = t.intent;
      for (const IntentReport& i : report.intents) {
        if (i.intent != intent) continue;
        out << "\n"
            << intent << "  shown " << i.counts.shown << "  accepted "
            << Percent(i.counts.accepted, i.counts.shown) << "  own replies "
            << i.own_replies << "\n";
      }
      out << "  shown  accept  edit  reject  template   (trend: accepted per "
             "span)\n";
    }
    char line[96];
    std::snprintf(line, sizeof line, "  %5lld  %s    %s  %s    ",
                  static_cast<long long>(t.counts.shown),
                  Percent(t.counts.accepted, t.counts.shown).c_str(),
                  Percent(t.counts.edited, t.counts.shown).c_str(),
                  Percent(t.counts.rejected, t.counts.shown).c_str());
    out << line << t.template_id << "  ";
    for (const ActionCounts& b : t.trend) {
      out << ' ';
      if (b.shown == 0) {
        out << '.';
      } else {
        out << 100 * b.accepted / b.shown;
      }
    }
    out << "\n";
  }
  if (!report.always_rejected.empty()) {
    out << "\nalways rejected (fix or remove):\n";
    for (const std::string& t : report.always_rejected)
      out << "  " << t << "\n";
  }
  if (!report.never_offered.empty()) {
    out << "\nnever offered in the window (" << report.never_offered.size()
        << "):\n";
    for (const KnownTemplate& k : report.never_offered) {
      out << "  " << k.template_id << "\n";
    }
  }
}

}  // namespace reply::learn

#include "learn/report.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "engine/base/time.h"
#include "engine/base/utf8.h"
#include "learn/edit_diff.h"
#include "learn/feedback_db.h"

namespace reply::learn {
namespace {

using nlohmann::ordered_json;

// One row per suggestion in the window (its first record decides), with
// the action it got, grouped by template and trend bucket (a suggestion's
// rows share its intent, template and arm: grouping by them too keeps
// PostgreSQL, which wants every selected column grouped, content). own_reply rows
// have no suggestion: grouped by intent alone.
constexpr const char* kPerTemplate = R"sql(
SELECT intent, template,
       CAST((t - ?1) * ?3 / (?2 - ?1) AS INTEGER) AS bucket,
       COUNT(*), SUM(acc), SUM(ed), SUM(rej), SUM(ign)
FROM (SELECT intent, template, MIN(feedback_at_ms) AS t,
             MAX(CASE WHEN action = 'accepted' THEN 1 ELSE 0 END) AS acc,
             MAX(CASE WHEN action = 'edited' THEN 1 ELSE 0 END) AS ed,
             MAX(CASE WHEN action = 'rejected' THEN 1 ELSE 0 END) AS rej,
             MAX(CASE WHEN action = 'ignored' THEN 1 ELSE 0 END) AS ign
      FROM feedback WHERE suggestion_id IS NOT NULL
      GROUP BY suggestion_id, intent, template) AS suggestions
WHERE t >= ?1 AND t < ?2
GROUP BY intent, template, bucket ORDER BY intent, template, bucket
)sql";

constexpr const char* kPerArm = R"sql(
SELECT intent, template, arm, COUNT(*), SUM(acc), SUM(ed), SUM(rej), SUM(ign)
FROM (SELECT intent, template, arm, MIN(feedback_at_ms) AS t,
             MAX(CASE WHEN action = 'accepted' THEN 1 ELSE 0 END) AS acc,
             MAX(CASE WHEN action = 'edited' THEN 1 ELSE 0 END) AS ed,
             MAX(CASE WHEN action = 'rejected' THEN 1 ELSE 0 END) AS rej,
             MAX(CASE WHEN action = 'ignored' THEN 1 ELSE 0 END) AS ign
      FROM feedback WHERE suggestion_id IS NOT NULL AND arm IS NOT NULL
      GROUP BY suggestion_id, intent, template, arm) AS suggestions
WHERE t >= ?1 AND t < ?2
GROUP BY intent, template, arm ORDER BY intent, template, arm
)sql";

constexpr const char* kEdits = R"sql(
SELECT intent, template, final_text, suggested_text FROM feedback
WHERE action = 'edited' AND final_text IS NOT NULL AND template IS NOT NULL
  AND suggested_text IS NOT NULL AND suggested_text <> ''
  AND feedback_at_ms >= ?1 AND feedback_at_ms < ?2
ORDER BY feedback_at_ms DESC LIMIT ?3
)sql";

// At most kExampleChars characters of an example, whole characters only.
constexpr size_t kExampleChars = 60;
std::string Shorten(std::string_view text) {
  size_t pos = 0, chars = 0;
  while (pos < text.size() && chars < kExampleChars) {
    DecodeUtf8(text, &pos);
    ++chars;
  }
  return pos < text.size() ? std::string(text.substr(0, pos)) + "…"
                           : std::string(text);
}

// The most frequent phrases of `counts`, at most `top`.
std::vector<PhraseCount> Top(std::map<std::string, PhraseCount>& counts,
                             int top) {
  std::vector<PhraseCount> out;
  for (auto& [phrase, c] : counts) out.push_back(std::move(c));
  std::stable_sort(out.begin(), out.end(),
                   [](const PhraseCount& a, const PhraseCount& b) {
                     return a.count > b.count;
                   });
  if (out.size() > static_cast<size_t>(top)) out.resize(top);
  return out;
}

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

// `sql` over the rows of options.shop: each "FROM feedback" reads a
// subquery of that shop's rows instead. A file without the `shop` column
// (before schema version 4) holds the default shop's rows only.
std::string OverShop(std::string_view sql, const ReportOptions& options,
                     bool has_shop_column) {
  if (!options.shop) return std::string(sql);
  std::string rows;
  if (!has_shop_column) {
    rows = options.shop->empty()
               ? "feedback"
               : "(SELECT * FROM feedback WHERE 1 = 0) AS feedback";
  } else {
    rows = "(SELECT * FROM feedback WHERE COALESCE(shop, '') = " +
           FeedbackDb::Quote(*options.shop) + ") AS feedback";
  }
  std::string out(sql);
  static constexpr std::string_view kFrom = "FROM feedback";
  for (size_t at = out.find(kFrom); at != std::string::npos;
       at = out.find(kFrom, at + 5 + rows.size())) {
    out.replace(at + 5, kFrom.size() - 5, rows);
  }
  return out;
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
  Result<std::unique_ptr<FeedbackDb>> db = FeedbackDb::Open(db_path);
  if (!db.ok()) return db.status();
  Report report;
  report.buckets = std::max(1, options.trend_buckets);
  int64_t first = 0, last = 0;
  const bool has_shop = (*db)->HasColumn("shop");
  const auto sql = [&](std::string_view query) {
    return OverShop(query, options, has_shop);
  };
  Status s = (*db)->Query(
      sql("SELECT MIN(feedback_at_ms), MAX(feedback_at_ms) FROM feedback"), {},
      [&](const FeedbackDb::Row& row) {
        first = row.Int(0);
        last = row.Int(1);
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
      sql(kPerTemplate), {report.since_ms, report.until_ms, report.buckets},
      [&](const FeedbackDb::Row& row) {
        const std::string intent = row.Text(0);
        const std::string template_id = row.Text(1);
        const int bucket =
            std::clamp(static_cast<int>(row.Int(2)), 0, report.buckets - 1);
        const ActionCounts c{row.Int(3), row.Int(4), row.Int(5), row.Int(6),
                             row.Int(7)};
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
  s = (*db)->Query(sql(kOwnReplies), {report.since_ms, report.until_ms},
                   [&](const FeedbackDb::Row& row) {
                     IntentReport& i = intents[row.Text(0)];
                     i.intent = row.Text(0);
                     i.own_replies = row.Int(1);
                   });
  if (!s.ok()) return s;
  for (auto& [name, i] : intents) report.intents.push_back(std::move(i));

  if ((*db)->HasColumn("arm")) {
    s = (*db)->Query(
        sql(kPerArm), {report.since_ms, report.until_ms},
        [&](const FeedbackDb::Row& row) {
          const std::string template_id = row.Text(1);
          if (report.experiments.empty() ||
              report.experiments.back().template_id != template_id) {
            report.experiments.push_back({row.Text(0), template_id, {}});
          }
          ArmReport arm;
          arm.arm = row.Text(2);
          arm.counts = {row.Int(3), row.Int(4), row.Int(5), row.Int(6),
                        row.Int(7)};
          report.experiments.back().arms.push_back(std::move(arm));
        });
    if (!s.ok()) return s;
  }
  for (ExperimentReport& e : report.experiments) {
    // The pack's order of arms, its first the control.
    const KnownTemplate* pack = nullptr;
    for (const KnownTemplate& k : known) {
      if (k.template_id == e.template_id && !k.arms.empty()) pack = &k;
    }
    if (pack != nullptr) {
      const auto place = [&](const std::string& arm) {
        const auto it = std::find(pack->arms.begin(), pack->arms.end(), arm);
        return it - pack->arms.begin();
      };
      std::stable_sort(e.arms.begin(), e.arms.end(),
                       [&](const ArmReport& a, const ArmReport& b) {
                         return place(a.arm) < place(b.arm);
                       });
    }
    const ArmCounts control{e.arms[0].counts.shown, e.arms[0].counts.accepted};
    for (size_t i = 0; i < e.arms.size(); ++i) {
      ArmReport& a = e.arms[i];
      const ArmCounts counts{a.counts.shown, a.counts.accepted};
      a.ci95 = Wilson95(counts);
      if (i == 0) {
        a.result.verdict = Verdict::kControl;
      } else {
        a.result = CompareArm(control, counts);
      }
    }
  }

  // Edit mining: per template, the phrases deleted and added, once per edit.
  struct Mined {
    std::string intent;
    int64_t edits = 0;
    std::map<std::string, PhraseCount> deleted, added;
  };
  std::map<std::string, Mined> mined;
  s = (*db)->Query(
      sql(kEdits), {report.since_ms, report.until_ms, kMaxEditsMined},
      [&](const FeedbackDb::Row& row) {
        Mined& m = mined[row.Text(1)];
        m.intent = row.Text(0);
        ++m.edits;
        const std::string final_text = row.Text(2);
        const EditPhrases d = DiffPhrases(row.Text(3), final_text);
        for (const auto& [phrases, into] :
             {std::pair{&d.deleted, &m.deleted}, {&d.added, &m.added}}) {
          std::set<std::string> once(phrases->begin(), phrases->end());
          for (const std::string& phrase : once) {
            PhraseCount& c = (*into)[phrase];
            c.phrase = phrase;
            ++c.count;
            if (c.examples.size() < static_cast<size_t>(options.examples)) {
              c.examples.push_back(Shorten(final_text));
            }
          }
        }
      });
  if (!s.ok()) return s;
  for (auto& [template_id, m] : mined) {
    report.edits.push_back({m.intent, template_id, m.edits,
                            Top(m.deleted, options.top_phrases),
                            Top(m.added, options.top_phrases)});
  }
  std::stable_sort(report.edits.begin(), report.edits.end(),
                   [](const TemplateEdits& a, const TemplateEdits& b) {
                     return a.edits > b.edits;
                   });

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
  ordered_json experiments = ordered_json::array();
  for (const ExperimentReport& e : report.experiments) {
    ordered_json arms = ordered_json::array();
    for (const ArmReport& a : e.arms) {
      ordered_json row = {{"arm", a.arm}};
      row.update(CountsJson(a.counts));
      row["ci95"] = {a.ci95.low, a.ci95.high};
      row["z"] = a.result.z;
      row["verdict"] = VerdictName(a.result.verdict);
      arms.push_back(std::move(row));
    }
    experiments.push_back({{"template", e.template_id},
                           {"intent", e.intent},
                           {"arms", std::move(arms)}});
  }
  ordered_json edits = ordered_json::array();
  for (const TemplateEdits& e : report.edits) {
    const auto phrases = [](const std::vector<PhraseCount>& list) {
      ordered_json out = ordered_json::array();
      for (const PhraseCount& p : list) {
        out.push_back({{"phrase", p.phrase},
                       {"count", p.count},
                       {"examples", p.examples}});
      }
      return out;
    };
    edits.push_back({{"template", e.template_id},
                     {"intent", e.intent},
                     {"edits", e.edits},
                     {"deleted", phrases(e.deleted)},
                     {"added", phrases(e.added)}});
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
          {"always_rejected", report.always_rejected},
          {"experiments", std::move(experiments)},
          {"edits", std::move(edits)}};
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
  for (const ExperimentReport& e : report.experiments) {
    out << "\nexperiment " << e.template_id << "\n";
    for (const ArmReport& a : e.arms) {
      char line[160];
      std::snprintf(line, sizeof line,
                    "  %-16s shown %5lld  accepted %s  95%% CI %3.0f-%3.0f%%  ",
                    a.arm.c_str(), static_cast<long long>(a.counts.shown),
                    Percent(a.counts.accepted, a.counts.shown).c_str(),
                    100 * a.ci95.low, 100 * a.ci95.high);
      out << line << VerdictName(a.result.verdict) << "\n";
    }
  }
  for (const TemplateEdits& e : report.edits) {
    out << "\nedited " << e.edits << " times: " << e.template_id << "\n";
    for (const PhraseCount& p : e.deleted) {
      out << "  - " << p.phrase << "  (" << p.count << ")\n";
    }
    for (const PhraseCount& p : e.added) {
      out << "  + " << p.phrase << "  (" << p.count << ")\n";
    }
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

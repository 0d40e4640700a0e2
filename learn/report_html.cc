#include "learn/report_html.h"

#include <cstdio>

#include "engine/base/time.h"
#include "tools/markup_escape.h"

namespace reply::learn {
namespace {

using tools::EscapeMarkup;

// Layout of the charts, in pixels.
constexpr int kBarWidth = 240;
constexpr int kBarHeight = 16;
constexpr int kTrendWidth = 160;
constexpr int kTrendHeight = 28;

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string PercentOf(int64_t n, int64_t of) {
  return of == 0 ? "–" : Fixed(100.0 * n / of, 0) + "%";
}

// One stacked bar: the shares of shown that were accepted, edited,
// rejected, ignored, and not answered.
std::string Bar(const ActionCounts& c) {
  struct Part {
    const char* name;
    const char* colour;
    int64_t n;
  };
  const int64_t unanswered = std::max<int64_t>(0, c.shown - c.answered());
  const Part parts[] = {{"accepted", "#2e9d57", c.accepted},
                        {"edited", "#e2a72e", c.edited},
                        {"rejected", "#c8413b", c.rejected},
                        {"ignored", "#9aa3ad", c.ignored},
                        {"not answered", "#e6e8eb", unanswered}};
  std::string svg =
      "<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"" +
      std::to_string(kBarWidth) + "\" height=\"" + std::to_string(kBarHeight) +
      "\" role=\"img\">";
  double x = 0;
  const int64_t total = std::max<int64_t>(c.shown, c.answered());
  for (const Part& p : parts) {
    if (p.n == 0 || total == 0) continue;
    const double w = kBarWidth * static_cast<double>(p.n) / total;
    svg +=
        "<rect class=\"" +
        std::string(p.name == std::string("not answered") ? "none" : p.name) +
        "\" x=\"" + Fixed(x, 1) + "\" width=\"" + Fixed(w, 1) + "\" height=\"" +
        std::to_string(kBarHeight) + "\" fill=\"" + p.colour + "\"><title>" +
        p.name + ": " + std::to_string(p.n) + " of " + std::to_string(c.shown) +
        " shown</title></rect>";
    x += w;
  }
  return svg + "</svg>";
}

// The acceptance rate per span of the window as a line; spans with nothing
// shown leave a gap.
std::string Trend(const std::vector<ActionCounts>& trend) {
  const int n = static_cast<int>(trend.size());
  std::string svg =
      "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"" +
      std::to_string(kTrendWidth) + "\" height=\"" +
      std::to_string(kTrendHeight) +
      "\" role=\"img\">"
      "<rect width=\"100%\" height=\"100%\" fill=\"#f6f7f8\"/>";
  std::string points;
  const auto flush = [&] {
    if (!points.empty()) {
      svg +=
          "<polyline fill=\"none\" stroke=\"#2e9d57\" stroke-width=\"2\" "
          "points=\"" +
          points + "\"/>";
    }
    points.clear();
  };
  for (int i = 0; i < n; ++i) {
    const ActionCounts& b = trend[i];
    if (b.shown == 0) {
      flush();
      continue;
    }
    const double rate = static_cast<double>(b.accepted) / b.shown;
    const double x =
        n == 1 ? kTrendWidth / 2.0 : 4 + (kTrendWidth - 8) * i / double(n - 1);
    const double y = 3 + (kTrendHeight - 6) * (1 - rate);
    points += Fixed(x, 1) + "," + Fixed(y, 1) + " ";
    svg += "<circle cx=\"" + Fixed(x, 1) + "\" cy=\"" + Fixed(y, 1) +
           "\" r=\"2.5\" fill=\"#2e9d57\"><title>" +
           std::to_string(b.accepted) + " of " + std::to_string(b.shown) +
           " accepted</title></circle>";
  }
  flush();
  return svg + "</svg>";
}

// Per experiment, a table of its arms with each acceptance rate drawn as a
// point on its 95% interval, all on one 0-100% scale.
std::string Experiments(const Report& r) {
  std::string h =
      "<h2>Wording experiments</h2>\n<p>Each arm's acceptance rate with its "
      "95% interval; the verdict compares it with the control (two-proportion "
      "z-test, 1% two-sided, after " +
      std::to_string(kMinShown) + " shown per arm).</p>\n";
  for (const ExperimentReport& e : r.experiments) {
    h += "<h3>" + EscapeMarkup(e.template_id) +
         "</h3>\n<table class=\"experiment\" data-template=\"" +
         EscapeMarkup(e.template_id) +
         "\">\n<tr><th>arm</th><th>shown</th><th>accepted</th>"
         "<th>acceptance rate</th><th>95% interval</th><th>verdict</th></tr>\n";
    for (const ArmReport& a : e.arms) {
      const double rate =
          a.counts.shown == 0
              ? 0
              : static_cast<double>(a.counts.accepted) / a.counts.shown;
      const auto x = [](double v) { return Fixed(4 + (kBarWidth - 8) * v, 1); };
      std::string svg =
          "<svg class=\"ci\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
          std::to_string(kBarWidth) +
          "\" height=\"14\" role=\"img\">"
          "<line x1=\"4\" x2=\"" +
          std::to_string(kBarWidth - 4) +
          "\" y1=\"7\" y2=\"7\" stroke=\"#e6e8eb\"/><line x1=\"" +
          x(a.ci95.low) + "\" x2=\"" + x(a.ci95.high) +
          "\" y1=\"7\" y2=\"7\" stroke=\"#555\" stroke-width=\"3\"/>"
          "<circle cx=\"" +
          x(rate) +
          "\" cy=\"7\" r=\"4\" fill=\"#2e9d57\"/>"
          "</svg>";
      h += "<tr data-arm=\"" + EscapeMarkup(a.arm) + "\"><td>" +
           EscapeMarkup(a.arm) + "</td><td class=\"num\">" +
           std::to_string(a.counts.shown) + "</td><td class=\"num\">" +
           std::to_string(a.counts.accepted) + "</td><td class=\"num\">" +
           PercentOf(a.counts.accepted, a.counts.shown) + "</td><td>" + svg +
           "</td><td class=\"verdict\">" +
           std::string(VerdictName(a.result.verdict)) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  return h;
}

// Per edited template, the phrases agents delete and add most often, each
// with its count; hovering a phrase shows final texts that changed it.
std::string Edits(const Report& r) {
  std::string h =
      "<h2>What agents change</h2>\n<p>Phrases deleted from and added to "
      "each reply before sending it, most often first (counted once per "
      "edit): fix the template once instead.</p>\n";
  const auto list = [](const std::vector<PhraseCount>& phrases,
                       const char* cls) {
    std::string out;
    for (const PhraseCount& p : phrases) {
      std::string examples;
      for (const std::string& e : p.examples) examples += e + "\n";
      out += "<span class=\"" + std::string(cls) + "\" title=\"" +
             EscapeMarkup(examples) + "\">" + EscapeMarkup(p.phrase) +
             "</span> <small>×" + std::to_string(p.count) + "</small> ";
    }
    return out;
  };
  h += "<table id=\"edits\">\n<tr><th>template</th><th>edits</th>"
       "<th>deleted</th><th>added</th></tr>\n";
  for (const TemplateEdits& e : r.edits) {
    h += "<tr data-template=\"" + EscapeMarkup(e.template_id) + "\"><td>" +
         EscapeMarkup(e.template_id) + "</td><td class=\"num\">" +
         std::to_string(e.edits) + "</td><td>" + list(e.deleted, "del") +
         "</td><td>" + list(e.added, "ins") + "</td></tr>\n";
  }
  return h + "</table>\n";
}

}  // namespace

std::string ReportHtml(const Report& r, const std::string& source) {
  const std::string since = FormatRfc3339(r.since_ms / 1000, 0);
  const std::string until = FormatRfc3339((r.until_ms + 999) / 1000, 0);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>Reply report: " +
      EscapeMarkup(source) +
      "</title>\n<style>\n"
      "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}\n"
      "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
      "th,td{border:1px solid #ccc;padding:3px 8px;vertical-align:middle}\n"
      "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
      "th{background:#f0f0f0}\n"
      "svg{display:block}\n"
      ".legend span{display:inline-block;width:12px;height:12px;"
      "margin:0 4px 0 12px;vertical-align:-1px}\n"
      ".bad{color:#b00;font-weight:bold}\n"
      "span.del{background:#fbe3e2;text-decoration:line-through}\n"
      "span.ins{background:#e1f3e7}\n"
      "</style>\n</head>\n<body>\n";
  h += "<h1>Reply report: " + EscapeMarkup(source) + "</h1>\n";
  h += "<p id=\"window\">Feedback from " + since + " to " + until + ", " +
       std::to_string(r.templates.size()) +
       " templates shown. Rates are shares of the suggestions shown.</p>\n";
  h += "<p class=\"legend\"><span style=\"background:#2e9d57\"></span>"
       "accepted<span style=\"background:#e2a72e\"></span>edited"
       "<span style=\"background:#c8413b\"></span>rejected"
       "<span style=\"background:#9aa3ad\"></span>ignored"
       "<span style=\"background:#e6e8eb\"></span>not answered</p>\n";

  std::string intent = "\x01";
  bool open = false;
  for (const TemplateReport& t : r.templates) {
    if (t.intent != intent) {
      if (open) h += "</table>\n";
      intent = t.intent;
      for (const IntentReport& i : r.intents) {
        if (i.intent != intent) continue;
        h += "<h2>" + EscapeMarkup(intent) + "</h2>\n<p>" +
             std::to_string(i.counts.shown) + " shown, " +
             PercentOf(i.counts.accepted, i.counts.shown) + " accepted, " +
             std::to_string(i.own_replies) +
             " replies written by agents instead.</p>\n";
      }
      h += "<table class=\"intent\">\n<tr><th>template</th><th>shown</th>"
           "<th>accepted</th><th>edited</th><th>rejected</th>"
           "<th>acceptance rate</th><th>what agents did</th>"
           "<th>trend</th></tr>\n";
      open = true;
    }
    const ActionCounts& c = t.counts;
    const bool bad = c.answered() > 0 && c.rejected == c.answered();
    h += "<tr data-template=\"" + EscapeMarkup(t.template_id) + "\"><td" +
         (bad ? " class=\"bad\"" : "") + ">" + EscapeMarkup(t.template_id) +
         "</td><td class=\"num\">" + std::to_string(c.shown) +
         "</td><td class=\"num\">" + std::to_string(c.accepted) +
         "</td><td class=\"num\">" + std::to_string(c.edited) +
         "</td><td class=\"num\">" + std::to_string(c.rejected) +
         "</td><td class=\"num rate\">" + PercentOf(c.accepted, c.shown) +
         "</td><td>" + Bar(c) + "</td><td>" + Trend(t.trend) + "</td></tr>\n";
  }
  if (open) h += "</table>\n";
  if (r.templates.empty())
    h += "<p>No suggestion was shown in the window.</p>\n";

  if (!r.experiments.empty()) h += Experiments(r);
  if (!r.edits.empty()) h += Edits(r);
  h += "<h2>Always rejected</h2>\n";
  if (r.always_rejected.empty()) {
    h += "<p>None.</p>\n";
  } else {
    h += "<p>Rejected every time agents answered them: fix or remove.</p>\n"
         "<ul id=\"always-rejected\">\n";
    for (const std::string& t : r.always_rejected) {
      h += "<li>" + EscapeMarkup(t) + "</li>\n";
    }
    h += "</ul>\n";
  }
  h += "<h2>Never offered (" + std::to_string(r.never_offered.size()) +
       ")</h2>\n";
  if (r.never_offered.empty()) {
    h += "<p>None.</p>\n";
  } else {
    h += "<p>Templates of the packs no agent was shown in the window: their "
         "patterns or conditions may never hold.</p>\n<ul "
         "id=\"never-offered\">\n";
    // One line per intent: hundreds of templates stay readable.
    for (size_t i = 0; i < r.never_offered.size(); ++i) {
      const KnownTemplate& k = r.never_offered[i];
      const bool first = i == 0 || r.never_offered[i - 1].intent != k.intent;
      const bool last = i + 1 == r.never_offered.size() ||
                        r.never_offered[i + 1].intent != k.intent;
      if (first) h += "<li><b>" + EscapeMarkup(k.intent) + "</b>: ";
      h += EscapeMarkup(k.template_id.substr(k.intent.size() + 1)) +
           (last ? "</li>\n" : ", ");
    }
    h += "</ul>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace reply::learn

#include "tools/eval/html_report.h"

#include <algorithm>
#include <cstdio>

#include "tools/markup_escape.h"

namespace reply::eval {
namespace {

// Layout of the heat map, in pixels.
constexpr int kCell = 56;
constexpr int kCharWidth = 8;  // of the labels' monospace font
constexpr int kGap = 12;

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Green for the diagonal (right), red elsewhere (wrong), darker for a larger
// share of the label's messages; near-white for none.
std::string CellColour(bool diagonal, double share) {
  if (share <= 0) return "#f4f4f4";
  const int lightness = static_cast<int>(92 - 55 * share);
  return "hsl(" + std::string(diagonal ? "140" : "4") + ",62%," +
         std::to_string(lightness) + "%)";
}

std::string HeatMap(const Evaluation& e) {
  const int n = static_cast<int>(e.classes.size());
  size_t longest = 0;
  for (const std::string& c : e.classes) longest = std::max(longest, c.size());
  const int label_width = static_cast<int>(longest) * kCharWidth + kGap;
  const int width = label_width + n * kCell + kGap;
  const int height = label_width + n * kCell + kGap;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" +
                    std::to_string(height) +
                    "\" role=\"img\" aria-label=\"confusion matrix\">\n";
  for (int j = 0; j < n; ++j) {
    const int x = label_width + j * kCell + kCell / 2;
    svg += "<text class=\"col\" transform=\"translate(" + std::to_string(x) +
           "," + std::to_string(label_width - 6) + ") rotate(-50)\">" +
           tools::EscapeMarkup(e.classes[j]) + "</text>\n";
  }
  for (int i = 0; i < n; ++i) {
    int row_total = 0;
    for (int count : e.confusion[i]) row_total += count;
    const int y = label_width + i * kCell;
    svg += "<text class=\"row\" x=\"" + std::to_string(label_width - 6) +
           "\" y=\"" + std::to_string(y + kCell / 2 + 4) + "\">" +
           tools::EscapeMarkup(e.classes[i]) + "</text>\n";
    for (int j = 0; j < n; ++j) {
      const int count = e.confusion[i][j];
      const double share = row_total == 0 ? 0 : double(count) / row_total;
      const int x = label_width + j * kCell;
      svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) +
             "\" width=\"" + std::to_string(kCell - 2) + "\" height=\"" +
             std::to_string(kCell - 2) + "\" fill=\"" +
             CellColour(i == j, share) + "\"><title>label " +
             tools::EscapeMarkup(e.classes[i]) + ", predicted " +
             tools::EscapeMarkup(e.classes[j]) + ": " + std::to_string(count) +
             "</title></rect>\n";
      svg += "<text class=\"n" + std::string(share > 0.5 ? " dark" : "") +
             "\" x=\"" + std::to_string(x + kCell / 2 - 1) + "\" y=\"" +
             std::to_string(y + kCell / 2 + 4) + "\">" + std::to_string(count) +
             "</text>\n";
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace

std::string HtmlReport(const Evaluation& e, const std::string& source,
                       bool show_messages) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>Intent evaluation: " +
      tools::EscapeMarkup(source) +
      "</title>\n<style>\n"
      "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}\n"
      "th,td{border:1px solid #ccc;padding:3px 8px}\n"
      "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
      "th{background:#f0f0f0}\n"
      "svg text{font:13px monospace}\n"
      "svg text.row{text-anchor:end}\n"
      "svg text.n{text-anchor:middle;fill:#222}\n"
      "svg text.n.dark{fill:#fff}\n"
      ".low{color:#b00;font-weight:bold}\n"
      "</style>\n</head>\n<body>\n";
  h += "<h1>Intent evaluation: " + tools::EscapeMarkup(source) + "</h1>\n";
  h += "<p>" + std::to_string(e.messages) + " messages, " +
       std::to_string(e.scores.size()) +
       " intents evaluated. Right: " + std::to_string(e.correct) + " of " +
       std::to_string(e.messages) +
       ". Messages labelled <code>other</code> given an intent: " +
       std::to_string(e.other_predicted) + " of " +
       std::to_string(e.other_messages) + ".</p>\n";

  h += "<h2>Per intent</h2>\n<table>\n<tr><th>intent</th><th>precision</th>"
       "<th>recall</th><th>F1</th><th>tp</th><th>fp</th><th>fn</th>"
       "<th>support</th></tr>\n";
  const auto num = [](const std::string& v, bool low = false) {
    return "<td class=\"num" + std::string(low ? " low" : "") + "\">" + v +
           "</td>";
  };
  for (const IntentScore& s : e.scores) {
    h += "<tr><td>" + tools::EscapeMarkup(s.intent) + (s.in_macro ? "" : " *") +
         "</td>" + num(Fixed(s.precision, 3), s.precision < 0.95) +
         num(Fixed(s.recall, 3)) + num(Fixed(s.f1, 3)) +
         num(std::to_string(s.tp)) + num(std::to_string(s.fp)) +
         num(std::to_string(s.fn)) + num(std::to_string(s.support)) + "</tr>\n";
  }
  h += "<tr><th>macro average</th>" + num(Fixed(e.macro_precision, 3)) +
       num(Fixed(e.macro_recall, 3)) + num(Fixed(e.macro_f1, 3)) +
       "<td colspan=\"4\"></td></tr>\n</table>\n";
  if (std::any_of(e.scores.begin(), e.scores.end(),
                  [](const IntentScore& s) { return !s.in_macro; })) {
    h += "<p>* fewer than " + std::to_string(e.min_support) +
         " labelled messages: not in the macro average.</p>\n";
  }

  h += "<h2>Confusion matrix</h2>\n<p>Rows: the label; columns: the "
       "engine's best intent. Colour: the share of the row; green is "
       "right.</p>\n";
  h += HeatMap(e);
  h += "<table>\n<tr><th>label \\ predicted</th>";
  for (const std::string& c : e.classes)
    h += "<th>" + tools::EscapeMarkup(c) + "</th>";
  h += "</tr>\n";
  for (size_t i = 0; i < e.classes.size(); ++i) {
    h += "<tr><th>" + tools::EscapeMarkup(e.classes[i]) + "</th>";
    for (int count : e.confusion[i]) h += num(std::to_string(count));
    h += "</tr>\n";
  }
  h += "</table>\n";

  const int wrong = e.messages - e.correct;
  if (!show_messages) {
    h += "<h2>Misclassified (" + std::to_string(wrong) +
         ")</h2>\n<p>Not listed: this is a held-out half, whose messages "
         "are never shown.</p>\n</body>\n</html>\n";
    return h;
  }
  h += "<h2>Misclassified (" + std::to_string(wrong) +
       ")</h2>\n<table>\n<tr><th>line</th><th>label</th><th>predicted</th>"
       "<th>message</th></tr>\n";
  for (const Misclassified& m : e.misclassified) {
    h += "<tr>" + num(std::to_string(m.line)) + "<td>" +
         tools::EscapeMarkup(Join(m.labels, "|")) + "</td><td>" +
         tools::EscapeMarkup(m.predicted.empty() ? std::string(kOther)
                                                 : Join(m.predicted, ", ")) +
         "</td><td>" + tools::EscapeMarkup(m.text) + "</td></tr>\n";
  }
  h += "</table>\n</body>\n</html>\n";
  return h;
}

}  // namespace reply::eval

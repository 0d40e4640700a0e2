#include "tools/eval/evaluation.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace reply::eval {
namespace {

std::vector<std::string> SplitLabels(const std::string& label) {
  std::vector<std::string> out;
  std::stringstream ss(label);
  std::string part;
  while (std::getline(ss, part, '|')) {
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) {
      out.push_back(part);
    }
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

double Ratio(int num, int den) { return den == 0 ? 1.0 : double(num) / den; }

double F1(double p, double r) { return p + r == 0 ? 0.0 : 2 * p * r / (p + r); }

}  // namespace

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

Result<std::vector<LabelledMessage>> ReadLabelled(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::vector<LabelledMessage> out;
  std::string line;
  // With a header, the columns named text and label; -1 before the first
  // line, and for the two-column form.
  int text_col = -1, label_col = -1;
  size_t columns = 0;
  bool first = true;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fail = [&](const std::string& why) {
      return Status::BadRequest(path + ":" + std::to_string(number) + ": " +
                                why);
    };
    std::string text, label;
    if (first) {
      first = false;
      const std::vector<std::string> names = SplitTabs(line);
      for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == "text") text_col = static_cast<int>(i);
        if (names[i] == "label") label_col = static_cast<int>(i);
      }
      if (text_col >= 0 || label_col >= 0) {
        if (text_col < 0 || label_col < 0) {
          return fail("the header names no '" +
                      std::string(text_col < 0 ? "text" : "label") +
                      "' column");
        }
        columns = names.size();
        continue;
      }
    }
    if (text_col >= 0) {
      const std::vector<std::string> fields = SplitTabs(line);
      if (fields.size() != columns) {
        return fail("expected " + std::to_string(columns) +
                    " tab-separated columns, as in the header; got " +
                    std::to_string(fields.size()));
      }
      text = fields[text_col];
      label = fields[label_col];
    } else {
      const size_t tab = line.rfind('\t');
      if (tab == std::string::npos) return fail("expected text<TAB>label");
      text = line.substr(0, tab);
      label = line.substr(tab + 1);
    }
    LabelledMessage m{std::move(text), SplitLabels(label), number};
    if (m.text.empty()) return fail("no message text");
    if (m.labels.empty()) return fail("no label");
    out.push_back(std::move(m));
  }
  return out;
}

Evaluation Evaluate(
    const std::vector<LabelledMessage>& messages,
    const std::function<std::vector<std::string>(const std::string&)>& predict,
    int min_support) {
  std::set<std::string> evaluated;
  for (const LabelledMessage& m : messages) {
    for (const std::string& l : m.labels) {
      if (l != kOther) evaluated.insert(l);
    }
  }
  Evaluation e;
  e.min_support = min_support;
  for (const std::string& intent : evaluated) {
    e.scores.push_back({intent});
    e.classes.push_back(intent);
  }
  e.classes.emplace_back(kOther);
  e.confusion.assign(e.classes.size(), std::vector<int>(e.classes.size(), 0));
  const auto class_of = [&](const std::string& name) {
    return static_cast<size_t>(
        std::find(e.classes.begin(), e.classes.end(), name) -
        e.classes.begin());
  };

  for (const LabelledMessage& m : messages) {
    ++e.messages;
    std::vector<std::string> gold;
    for (const std::string& l : m.labels) {
      if (l != kOther) gold.push_back(l);
    }
    std::vector<std::string> predicted;
    for (const std::string& intent : predict(m.text)) {
      if (evaluated.count(intent) && !Contains(predicted, intent)) {
        predicted.push_back(intent);
      }
    }
    const bool other_ok = Contains(m.labels, std::string(kOther));
    const bool answered =
        (other_ok && predicted.empty()) ||
        std::any_of(predicted.begin(), predicted.end(),
                    [&](const std::string& p) { return Contains(gold, p); });
    bool wrong = false;
    for (IntentScore& s : e.scores) {
      const bool p = Contains(predicted, s.intent);
      const bool g = Contains(gold, s.intent);
      s.support += g;
      if (p && g) ++s.tp;
      if (p && !g) {
        ++s.fp;
        wrong = true;
      }
      if (g && !p && !answered) {
        ++s.fn;
        wrong = true;
      }
    }
    if (gold.empty()) {
      ++e.other_messages;
      e.other_predicted += !predicted.empty();
    }
    const std::string prediction =
        predicted.empty() ? std::string(kOther) : predicted.front();
    const std::string label = answered ? prediction : m.labels.front();
    ++e.confusion[class_of(label)][class_of(prediction)];
    if (wrong) {
      e.misclassified.push_back({m.line, m.text, m.labels, predicted});
    } else {
      ++e.correct;
    }
  }

  double sum_p = 0, sum_r = 0, sum_f = 0;
  int in_macro = 0;
  for (IntentScore& s : e.scores) {
    s.precision = Ratio(s.tp, s.tp + s.fp);
    s.recall = Ratio(s.tp, s.tp + s.fn);
    s.f1 = F1(s.precision, s.recall);
    s.in_macro = s.support >= min_support;
    if (!s.in_macro) continue;
    ++in_macro;
    sum_p += s.precision;
    sum_r += s.recall;
    sum_f += s.f1;
  }
  if (in_macro > 0) {
    e.macro_precision = sum_p / in_macro;
    e.macro_recall = sum_r / in_macro;
    e.macro_f1 = sum_f / in_macro;
  }
  return e;
}

}  // namespace reply::eval

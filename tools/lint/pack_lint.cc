#include "tools/lint/pack_lint.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "engine/normalize/cantonese.h"
#include "engine/pack/pack_loader.h"
#include "tools/lint/reachability.h"
#include "tools/lint/style_rules.h"

namespace reply::lint {
namespace {

void CheckPatterns(const LocalePack& lp, std::vector<Finding>* out) {
  const PatternSet& set = lp.matcher->pattern_set();
  // (intent, kind, folded text) -> where it was first written.
  std::map<std::tuple<int, PatternKind, std::string>, const PatternDecl*> seen;
  for (int id = 0; id < set.size(); ++id) {
    const PatternDecl& p = lp.patterns[id];
    const std::string& intent = lp.intents[p.intent].id;
    if (set.unfiltered(id)) {
      out->push_back(
          {Severity::kError,
           {p.where.file, p.where.line,
            "pattern '" + p.text + "' of " + intent +
                " runs on every message: give it literal text, or split an "
                "alternation of unrelated branches into separate patterns"}});
    }
    const auto [it, inserted] =
        seen.emplace(std::make_tuple(p.intent, p.kind, p.folded), &p);
    if (!inserted) {
      out->push_back({Severity::kWarning,
                      {p.where.file, p.where.line,
                       "pattern '" + p.text + "' of " + intent +
                           " is the same, once folded, as the one at " +
                           it->second->where.ToString()}});
    }
  }
}

// A word of a pattern that the locale's abbreviations rewrite in every
// message (ko is written out as không before matching) can never match.
// The words are the runs of ASCII letters and digits of the folded pattern,
// escapes (\b, \d) aside.
void CheckAbbreviatedWords(const LocalePack& lp, std::vector<Finding>* out) {
  if (lp.abbreviations.empty()) return;
  const auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  for (const PatternDecl& p : lp.patterns) {
    const std::string& re = p.folded;
    std::set<std::string> reported;
    for (size_t i = 0; i < re.size();) {
      if (re[i] == '\\') {
        i += 2;
        continue;
      }
      if (!is_word(re[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < re.size() && is_word(re[j])) ++j;
      const std::string word = re.substr(i, j - i);
      const bool repetition = i > 0 && re[i - 1] == '{';
      const int rule = lp.abbreviations.Find(word, "");
      if (!repetition && rule >= 0 &&
          lp.abbreviations.rules()[rule].accented.empty() &&
          reported.insert(word).second) {
        const Abbreviations::Rule& r = lp.abbreviations.rules()[rule];
        out->push_back(
            {Severity::kWarning,
             {p.where.file, p.where.line,
              "pattern '" + p.text + "' of " + lp.intents[p.intent].id +
                  ": the word '" + word +
                  "' never reaches a pattern, since every message has it "
                  "written out as '" +
                  r.full + "' (" + lp.abbreviation_where[rule].ToString() +
                  "): write '" + r.full + "'"}});
      }
      i = j;
    }
  }
}

// A spelling of the locale's dialect table with a Cantonese character in a
// pattern (冇收到) can never match: every message with it has that
// character, so the table writes the spelling as its word first. Of two
// spellings found one inside the other (唔 in 唔该), the longer is named.
void CheckDialectWords(const LocalePack& lp, std::vector<Finding>* out) {
  const std::vector<DialectWords::Rule>& rules = lp.dialect.rules();
  for (const PatternDecl& p : lp.patterns) {
    std::vector<size_t> found;
    for (size_t r = 0; r < rules.size(); ++r) {
      if (!rules[r].keep && HasCantoneseCharacter(rules[r].folded) &&
          p.folded.find(rules[r].folded) != std::string::npos) {
        found.push_back(r);
      }
    }
    for (size_t r : found) {
      const bool inside =
          std::any_of(found.begin(), found.end(), [&](size_t o) {
            return o != r && rules[o].folded.size() > rules[r].folded.size() &&
                   rules[o].folded.find(rules[r].folded) != std::string::npos;
          });
      if (inside) continue;
      out->push_back(
          {Severity::kWarning,
           {p.where.file, p.where.line,
            "pattern '" + p.text + "' of " + lp.intents[p.intent].id + ": '" +
                rules[r].spelling +
                "' never reaches a pattern, since every message with it has "
                "it written as '" +
                rules[r].word + "' (" + lp.dialect_where[r].ToString() +
                "): write '" + rules[r].word + "'"}});
    }
  }
}

// A `\s` that must match (no ?, * or {0,...}) next to a literal that is not
// a Latin word character can never match: a normalized message keeps one
// space between two Latin words and none anywhere else ("发货 慢" is
// 发货慢), and never two in a row (`\s{2}`). Judged on the folded pattern,
// only where the neighbour is a literal character (regex syntax next to it
// could be anything).
void CheckDeadSpaces(const LocalePack& lp, std::vector<Finding>* out) {
  const auto is_word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  // A literal character of the folded pattern starts at re[i]: not regex
  // syntax, not the letter of an escape.
  const auto literal_at = [](const std::string& re, size_t i) {
    if (i >= re.size()) return false;
    if (std::string_view("\\()[]{}|.*+?^$ ").find(re[i]) !=
        std::string_view::npos) {
      return false;
    }
    return i == 0 || re[i - 1] != '\\';
  };
  for (const PatternDecl& p : lp.patterns) {
    const std::string& re = p.folded;
    bool in_class = false;
    for (size_t i = 0; i < re.size(); ++i) {
      if (re[i] == '\\') {
        if (i + 1 < re.size() && re[i + 1] == 's' && !in_class) {
          // The quantifier: how many spaces it needs at least.
          size_t next = i + 2;
          int least = 1;
          if (next < re.size() && (re[next] == '?' || re[next] == '*')) {
            least = 0;
          } else if (next < re.size() && re[next] == '+') {
            ++next;
          } else if (next < re.size() && re[next] == '{') {
            least = std::atoi(re.c_str() + next + 1);
            next = re.find('}', next);
            next = next == std::string::npos ? re.size() : next + 1;
          }
          if (next < re.size() && re[next] == '?') ++next;  // lazy
          // The start of the character before the \s (UTF-8).
          size_t before = i;
          while (before > 0 &&
                 (static_cast<unsigned char>(re[before - 1]) & 0xC0) == 0x80) {
            --before;
          }
          if (before > 0) --before;
          const bool han_before =
              i > 0 && literal_at(re, before) &&
              !is_word(static_cast<unsigned char>(re[before]));
          const bool han_after = literal_at(re, next) &&
                                 !is_word(static_cast<unsigned char>(re[next]));
          if (least >= 2 || (least == 1 && (han_before || han_after))) {
            out->push_back(
                {Severity::kError,
                 {p.where.file, p.where.line,
                  "pattern '" + p.text + "' of " + lp.intents[p.intent].id +
                      " can never match: a message keeps one space between "
                      "two Latin words and none elsewhere (\"发货 慢\" is "
                      "matched as 发货慢), so this \\s needs a space that "
                      "is never there: drop it, or make it optional (\\s?)"}});
            break;
          }
        }
        ++i;
        continue;
      }
      if (re[i] == '[') in_class = true;
      if (re[i] == ']') in_class = false;
    }
  }
}

// A concept matching more than this share of the locale's examples and
// counter-examples "matches almost any message".
constexpr double kBroadConceptShare = 0.5;
// ...judged only on at least this many messages.
constexpr size_t kBroadConceptMinMessages = 20;

std::string Percent(size_t part, size_t whole) {
  return std::to_string(static_cast<int>(100.0 * part / whole + 0.5)) + "%";
}

void CheckConcepts(const LocalePack& lp, const Normalizer& normalizer,
                   std::vector<Finding>* out) {
  if (lp.lexicon.empty()) return;
  // The reference text: every example and counter-example of the locale,
  // normalized as a message is.
  std::vector<std::string> messages;
  for (const IntentDef& intent : lp.intents) {
    for (const auto* list : {&intent.examples, &intent.counter_examples}) {
      for (const std::string& m : *list) {
        NormalizedText key;
        lp.Normalize(m, normalizer, &key);
        messages.push_back(std::move(key.text));
      }
    }
  }
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_never_capture(true);
  for (const Lexicon::Concept& c : lp.lexicon.concepts()) {
    if (!c.used) {
      out->push_back(
          {Severity::kWarning,
           {c.where.file, c.where.line,
            "concept '" + c.name + "' is used by no pattern of " + lp.locale +
                ": remove it, or use it as {" + c.name + "}"}});
    }
    bool empty_entry = false;
    for (const Lexicon::Entry& e : c.entries) {
      Result<std::string> expanded = lp.lexicon.Expand(e.text);
      if (!expanded.ok()) continue;
      const RE2 re(normalizer.FoldPattern(*expanded), options);
      if (re.ok() && RE2::FullMatch("", re)) {
        empty_entry = true;
        out->push_back(
            {Severity::kError,
             {e.where.file, e.where.line,
              "concept '" + c.name + "': entry '" + e.text +
                  "' matches the empty string, so {" + c.name +
                  "} matches anywhere: make every entry match at least one "
                  "character, and write {" +
                  c.name + "}? where the concept is optional"}});
      }
    }
    if (empty_entry || messages.size() < kBroadConceptMinMessages) continue;
    const RE2 re(normalizer.FoldPattern(c.expansion), options);
    if (!re.ok()) continue;
    size_t hits = 0;
    for (const std::string& m : messages) hits += RE2::PartialMatch(m, re);
    if (hits > kBroadConceptShare * messages.size()) {
      out->push_back(
          {Severity::kWarning,
           {c.where.file, c.where.line,
            "concept '" + c.name +
                "' matches almost any message: " + std::to_string(hits) +
                " of the " + std::to_string(messages.size()) +
                " examples and counter-examples of " + lp.locale + " (" +
                Percent(hits, messages.size()) +
                "); a pattern that leans on it says little: narrow its "
                "entries"}});
    }
  }
}

// An intent or a variant without a label shows as its id on the agent's
// card. Only in a locale that labels something: a pack that labels nothing
// has chosen ids, and is not asked for hundreds of labels at once.
void CheckLabels(const LocalePack& lp, std::vector<Finding>* out) {
  const bool labels_any =
      std::any_of(lp.intents.begin(), lp.intents.end(),
                  [](const IntentDef& i) { return !i.label.empty(); }) ||
      std::any_of(lp.variants.begin(), lp.variants.end(),
                  [](const Variant& v) { return !v.label.empty(); });
  if (!labels_any) return;
  for (const IntentDef& i : lp.intents) {
    if (i.label.empty()) {
      out->push_back({Severity::kWarning,
                      {i.where.file, i.where.line,
                       "intent '" + i.id +
                           "' has no label: the console shows its id; add "
                           "label: with what an agent calls it"}});
    }
  }
  for (const Variant& v : lp.variants) {
    if (v.label.empty()) {
      out->push_back({Severity::kWarning,
                      {v.where.file, v.where.line,
                       v.id + " has no label: the console shows its id; add "
                              "label: saying when it is the reply"}});
    }
  }
}

}  // namespace

std::vector<Finding> LintPack(const std::string& dir,
                              const Normalizer& normalizer) {
  std::vector<PackIssue> issues;
  const Result<std::shared_ptr<const Pack>> pack =
      LoadPack(dir, normalizer, &issues);
  std::vector<Finding> out;
  for (PackIssue& issue : issues) {
    out.push_back({Severity::kError, std::move(issue)});
  }
  if (pack.ok()) {
    for (PackIssue& issue : CheckStyle(**pack)) {
      out.push_back({Severity::kError, std::move(issue)});
    }
    for (const LocalePack& lp : (*pack)->locales) {
      CheckPatterns(lp, &out);
      CheckAbbreviatedWords(lp, &out);
      CheckDialectWords(lp, &out);
      CheckDeadSpaces(lp, &out);
      CheckConcepts(lp, normalizer, &out);
      CheckLabels(lp, &out);
    }
    for (Finding& f : CheckReachability(**pack)) out.push_back(std::move(f));
  } else if (out.empty()) {
    out.push_back({Severity::kError, {dir, 0, pack.status().message()}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.issue.file, a.issue.line) <
                            std::tie(b.issue.file, b.issue.line);
                   });
  return out;
}

}  // namespace reply::lint

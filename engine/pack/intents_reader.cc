#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/pack/pack_loader_internal.h"

namespace reply {

namespace {

constexpr double kDefaultScore = 0.9;
constexpr std::string_view kPatternsWhat =
    "patterns (RE2 text, or {re: ..., score: ...})";

}  // namespace

// abbreviations: {full form: [spelling, ...], ...}
void PackLoader::LoadAbbreviations(YamlReader& r, const YAML::Node& node,
                                   LocalePack* lp) {
  if (!node.IsMap()) {
    r.Error(node,
            "'abbreviations' must be a mapping of words to the spellings "
            "buyers use for them (không: [ko, k, hok])");
    return;
  }
  for (const auto& kv : node) {
    const std::string full = kv.first.Scalar();
    const YAML::Node spellings = kv.second;
    if (!spellings.IsSequence() || spellings.size() == 0) {
      r.Error(kv.first, "'" + full + "' needs a non-empty list of spellings");
      continue;
    }
    for (const YAML::Node& spelling : spellings) {
      if (!spelling.IsScalar() ||
          FindInvalidUtf8(spelling.Scalar()) != std::string::npos) {
        r.Error(spelling, "a spelling of '" + full + "' is text");
        continue;
      }
      int taken_by = -1;
      const size_t rules = lp->abbreviations.rules().size();
      Status s = lp->abbreviations.Add(spelling.Scalar(), full, normalizer_,
                                       &taken_by);
      if (s.ok()) {
        if (lp->abbreviations.rules().size() > rules) {
          lp->abbreviation_where.push_back(r.Where(spelling));
        }
      } else {
        r.Error(spelling,
                "abbreviations: " + s.message() +
                    (taken_by >= 0
                         ? " at " + lp->abbreviation_where[taken_by].ToString()
                         : ""));
      }
    }
  }
}

// dialect: {word: [spelling, ...], ...}
void PackLoader::LoadDialect(YamlReader& r, const YAML::Node& node,
                             LocalePack* lp) {
  if (!node.IsMap()) {
    r.Error(node,
            "'dialect' must be a mapping of words to the spellings a "
            "region's buyers use for them (没有: [冇])");
    return;
  }
  for (const auto& kv : node) {
    const std::string word = kv.first.Scalar();
    const YAML::Node spellings = kv.second;
    if (!spellings.IsSequence() || spellings.size() == 0) {
      r.Error(kv.first, "'" + word + "' needs a non-empty list of spellings");
      continue;
    }
    for (const YAML::Node& spelling : spellings) {
      if (!spelling.IsScalar() ||
          FindInvalidUtf8(spelling.Scalar()) != std::string::npos) {
        r.Error(spelling, "a spelling of '" + word + "' is text");
        continue;
      }
      int taken_by = -1;
      const size_t rules = lp->dialect.rules().size();
      Status s =
          lp->dialect.Add(spelling.Scalar(), word, normalizer_, &taken_by);
      if (s.ok()) {
        if (lp->dialect.rules().size() > rules) {
          lp->dialect_where.push_back(r.Where(spelling));
        }
      } else {
        r.Error(
            spelling,
            "dialect: " + s.message() +
                (taken_by >= 0 ? " at " + lp->dialect_where[taken_by].ToString()
                               : ""));
      }
    }
  }
}

// dialect_keep: [word, ...]
void PackLoader::LoadDialectKeep(YamlReader& r, const YAML::Node& node,
                                 LocalePack* lp) {
  if (!node.IsSequence()) {
    r.Error(node,
            "'dialect_keep' must be a list of words the dialect table leaves "
            "as they are ([聯繫, 關係])");
    return;
  }
  for (const YAML::Node& word : node) {
    if (!word.IsScalar() ||
        FindInvalidUtf8(word.Scalar()) != std::string::npos) {
      r.Error(word, "a kept word is text");
      continue;
    }
    int taken_by = -1;
    const size_t rules = lp->dialect.rules().size();
    Status s = lp->dialect.Keep(word.Scalar(), normalizer_, &taken_by);
    if (s.ok()) {
      if (lp->dialect.rules().size() > rules) {
        lp->dialect_where.push_back(r.Where(word));
      }
    } else {
      r.Error(word, "dialect_keep: " + s.message() +
                        (taken_by >= 0
                             ? " at " + lp->dialect_where[taken_by].ToString()
                             : ""));
    }
  }
}

void PackLoader::CheckDialectKeeps(const LocalePack& lp) {
  const std::vector<DialectWords::Rule>& rules = lp.dialect.rules();
  for (size_t k = 0; k < rules.size(); ++k) {
    if (!rules[k].keep) continue;
    const bool holds = std::any_of(
        rules.begin(), rules.end(), [&](const DialectWords::Rule& rule) {
          return !rule.keep &&
                 rules[k].folded.find(rule.folded) != std::string::npos;
        });
    if (holds) continue;
    const SourceRef& at = lp.dialect_where[k];
    issues_->push_back(
        {at.file, at.line,
         "dialect_keep: '" + rules[k].spelling +
             "' holds no spelling of the dialect table, so there is nothing "
             "to keep it from; remove it"});
  }
}

// concepts: {name: [entry, ...], ...}
void PackLoader::LoadConcepts(YamlReader& r, const YAML::Node& node,
                              LocalePack* lp) {
  if (!node.IsMap()) {
    r.Error(node,
            "'concepts' must be a mapping of names to lists of entries "
            "(parcel: [包裹, 快递])");
    return;
  }
  for (const auto& kv : node) {
    const std::string name = kv.first.Scalar();
    if (!ValidId(name)) {
      r.Error(kv.first, "concept name '" + name +
                            "' must be lower_snake_case: a-z, 0-9 and _, "
                            "starting with a letter");
      continue;
    }
    Lexicon::Concept c;
    c.name = name;
    c.where = r.Where(kv.first);
    if (!kv.second.IsSequence() || kv.second.size() == 0) {
      r.Error(kv.first,
              "concept '" + name + "' needs a non-empty list of entries");
      continue;
    }
    for (const YAML::Node& entry : kv.second) {
      if (!entry.IsScalar() ||
          FindInvalidUtf8(entry.Scalar()) != std::string::npos) {
        r.Error(entry,
                "concept '" + name + "': each entry is text (an RE2 fragment)");
        continue;
      }
      c.entries.push_back({entry.Scalar(), r.Where(entry)});
    }
    if (!lp->lexicon.Add(std::move(c))) {
      r.Error(kv.first, "duplicate concept '" + name + "' (first defined at " +
                            lp->lexicon.Find(name)->where.ToString() + ")");
    }
  }
}

void PackLoader::LoadIntent(YamlReader& r, const YAML::Node& node,
                            LocalePack* lp,
                            std::map<std::string, SourceRef>* ids) {
  if (!r.CheckMap(node, "an intent",
                  {"id", "label", "description", "priority", "handoff",
                   "follow_up", "topic", "patterns", "exclude", "keep",
                   "examples", "counter_examples", "trigger",
                   "resolve_by_order", "without_order", "captures"})) {
    return;
  }
  IntentDef intent;
  intent.where = r.Where(node);
  const std::optional<std::string> id = r.String(node, "id", true);
  if (!id) return;
  const YAML::Node id_node = *r.Get(node, "id");
  if (!ValidId(*id)) {
    r.Error(id_node,
            "intent id '" + *id + "' must be lower_snake_case: a-z, 0-9 and _");
    return;
  }
  if (auto [it, inserted] = ids->emplace(*id, intent.where); !inserted) {
    r.Error(id_node, "duplicate intent id '" + *id + "' (first defined at " +
                         it->second.ToString() + ")");
    return;
  }
  intent.id = *id;
  intent.label = ReadLabel(r, node);
  intent.description = r.String(node, "description", false).value_or("");
  intent.priority = static_cast<int>(
      r.Number(node, "priority", {.min = -1000, .max = 1000, .whole = true})
          .value_or(0));
  intent.handoff = r.Bool(node, "handoff").value_or(false);
  intent.follow_up = r.Bool(node, "follow_up").value_or(false);
  intent.topic = r.Bool(node, "topic").value_or(!intent.follow_up);
  const int index = static_cast<int>(lp->intents.size());

  if (auto trigger = r.String(node, "trigger", false)) {
    Result<Condition> c = Condition::Parse(*trigger);
    if (c.ok()) {
      intent.trigger = std::move(*c);
    } else {
      r.Error(*r.Get(node, "trigger"), "trigger: " + c.status().message());
    }
    if (const std::optional<YAML::Node> p = r.Get(node, "patterns")) {
      r.Error(*p, "an intent has either patterns or a trigger, not both");
    }
  } else if (!r.Get(node, "patterns")) {
    r.Error(node, "intent '" + intent.id +
                      "' needs a list of patterns (or a trigger)");
  } else if (const std::optional<YAML::Node> patterns =
                 r.List(node, "patterns", kPatternsWhat, true)) {
    if (patterns->size() == 0) {
      r.Error(*patterns, "intent '" + intent.id +
                             "' has an empty list of "
                             "patterns: give it at least one");
    }
    for (const YAML::Node& p : *patterns) {
      AddPattern(r, p, PatternKind::kMatch, index, lp);
    }
  }
  LoadResolution(r, node, index);
  const std::optional<YAML::Node> ex =
      r.List(node, "exclude", "patterns (RE2 text)", false);
  if (ex) {
    for (const YAML::Node& p : *ex) {
      AddPattern(r, p, PatternKind::kExclude, index, lp);
    }
  }
  if (const std::optional<YAML::Node> keep =
          r.List(node, "keep", "patterns (RE2 text)", false)) {
    if (!ex) {
      r.Error(*keep, "intent '" + intent.id +
                         "' has keep patterns but no exclude: a keep only "
                         "lets a message past the intent's excludes; add "
                         "the exclude or move these to patterns");
    }
    for (const YAML::Node& p : *keep) {
      AddPattern(r, p, PatternKind::kKeep, index, lp);
    }
  }
  if (const std::optional<YAML::Node> captures =
          r.List(node, "captures", "patterns with named groups ((?P<size>...))",
                 false)) {
    if (intent.trigger) {
      r.Error(*captures,
              "a proactive intent has no message to capture slots from");
    } else {
      for (const YAML::Node& c : *captures) AddCapture(r, c, &intent, lp);
    }
  }
  for (auto& [s, n] : r.Strings(node, "examples")) {
    intent.examples.push_back(s);
    intent.example_where.push_back(r.Where(n));
  }
  for (auto& [s, n] : r.Strings(node, "counter_examples")) {
    intent.counter_examples.push_back(s);
    intent.counter_example_where.push_back(r.Where(n));
  }
  if (!intent.trigger && intent.examples.empty()) {
    r.Error(node, "intent '" + intent.id +
                      "' has no examples: list messages it must match");
  }
  if (!intent.trigger && intent.counter_examples.empty()) {
    r.Error(
        node,
        "intent '" + intent.id +
            "' has no counter_examples: list near misses it must not match");
  }
  lp->intents.push_back(std::move(intent));
}

// `resolve_by_order: [{when: ..., intent: ...}]` and `without_order:`;
// the intents they name are looked up once the locale's intents are all
// read (ResolveTargets).
void PackLoader::LoadResolution(YamlReader& r, const YAML::Node& node,
                                int index) {
  if (const std::optional<YAML::Node> rules =
          r.List(node, "resolve_by_order", "rules (- when: ..., intent: ...)",
                 false)) {
    if (rules->size() == 0) {
      r.Error(*rules,
              "resolve_by_order is empty: give at least one rule, or "
              "remove it");
    }
    for (const YAML::Node& rule : *rules) {
      if (!r.CheckMap(rule, "a resolve_by_order rule", {"when", "intent"})) {
        continue;
      }
      const std::optional<std::string> when = r.String(rule, "when", true);
      const std::optional<std::string> target = r.String(rule, "intent", true);
      if (!when || !target) continue;
      Result<Condition> c = Condition::Parse(*when);
      if (!c.ok()) {
        r.Error(*r.Get(rule, "when"), "when: " + c.status().message());
        continue;
      }
      pending_targets_.push_back({index, *target,
                                  r.Where(*r.Get(rule, "intent")),
                                  std::move(*c), false});
    }
  }
  if (const std::optional<std::string> target =
          r.String(node, "without_order", false)) {
    pending_targets_.push_back({index, *target,
                                r.Where(*r.Get(node, "without_order")),
                                Condition::Always(), true});
  }
}

// Names to indexes for LoadResolution's rules. A target must be an intent
// of the locale that answers itself: no chains, no proactive intent.
void PackLoader::ResolveTargets(LocalePack* lp) {
  std::vector<std::string> known;
  for (const IntentDef& intent : lp->intents) known.push_back(intent.id);
  for (PendingTarget& p : pending_targets_) {
    IntentDef& vague = lp->intents[p.intent];
    const int target = lp->FindIntent(p.target);
    std::string why;
    if (target < 0) {
      why = "unknown intent '" + p.target + "'" + DidYouMean(p.target, known);
    } else if (target == p.intent) {
      why = "intent '" + p.target +
            "' resolves to itself: name the intent that answers, or drop "
            "the rule (with no rule holding, it answers itself)";
    } else if (lp->intents[target].trigger) {
      why = "'" + p.target +
            "' is a proactive intent (it has a trigger): resolve to an "
            "intent that answers a message";
    }
    if (!why.empty()) {
      issues_->push_back({p.where.file, p.where.line, why});
      continue;
    }
    if (p.without_order) {
      vague.without_order = target;
    } else {
      vague.resolve_by_order.push_back({std::move(p.when), target, p.where});
    }
  }
  pending_targets_.clear();
  // A target may itself be resolved by the order (urge_shipment on a
  // delivered order is signed_not_received, and order_progress answers
  // with urge_shipment on a paid one): the engine follows the rules until
  // none holds. A cycle would never end; report the rule that closes it.
  // With an order only rules are followed, without one only
  // without_order, so each kind is checked on its own.
  for (const bool without_order : {false, true}) {
    const auto targets_of = [&](int i) {
      std::vector<std::pair<int, SourceRef>> out;
      const IntentDef& intent = lp->intents[i];
      if (!without_order) {
        for (const OrderResolution& rule : intent.resolve_by_order) {
          out.push_back({rule.intent, rule.where});
        }
      } else if (intent.without_order >= 0) {
        out.push_back({intent.without_order, intent.where});
      }
      return out;
    };
    // Depth first, without recursion (a pack may chain many intents); an
    // intent is done once every way from it ends.
    enum class Mark { kNew, kOnPath, kDone };
    std::vector<Mark> mark(lp->intents.size(), Mark::kNew);
    struct Step {
      int intent;
      std::vector<std::pair<int, SourceRef>> targets;
      size_t next = 0;
    };
    std::vector<Step> path;
    for (size_t start = 0; start < lp->intents.size(); ++start) {
      if (mark[start] != Mark::kNew) continue;
      const int first = static_cast<int>(start);
      path.push_back({first, targets_of(first)});
      mark[start] = Mark::kOnPath;
      while (!path.empty()) {
        Step& step = path.back();
        if (step.next == step.targets.size()) {
          mark[step.intent] = Mark::kDone;
          path.pop_back();
          continue;
        }
        const auto [target, where] = step.targets[step.next++];
        if (mark[target] == Mark::kNew) {
          mark[target] = Mark::kOnPath;
          path.push_back({target, targets_of(target)});
        } else if (mark[target] == Mark::kOnPath) {
          std::string cycle;
          bool on = false;
          for (const Step& s : path) {
            on = on || s.intent == target;
            if (on) cycle += lp->intents[s.intent].id + " -> ";
          }
          cycle += lp->intents[target].id;
          issues_->push_back(
              {where.file, where.line,
               "resolution never ends: " + cycle +
                   "; an intent may not be resolved back to itself, drop "
                   "one of these rules"});
        }
      }
    }
  }
}

void PackLoader::AddPattern(YamlReader& r, const YAML::Node& node,
                            PatternKind kind, int intent, LocalePack* lp) {
  PatternDecl p;
  p.kind = kind;
  p.intent = intent;
  p.score = kDefaultScore;
  p.where = r.Where(node);
  if (node.IsScalar()) {
    p.text = node.Scalar();
  } else if (node.IsMap() && kind == PatternKind::kMatch) {
    if (!r.CheckMap(node, "a pattern", {"re", "score"})) return;
    const auto re = r.String(node, "re", true);
    if (!re) return;
    p.text = *re;
    p.score =
        r.Number(node, "score", {.min = 0, .max = 1}).value_or(kDefaultScore);
  } else {
    r.Error(node, std::string("a pattern is text") +
                      (kind == PatternKind::kMatch
                           ? " or {re: ..., score: ...}"
                           : " (an exclude or a keep has no score)") +
                      ", not " + std::string(YamlReader::KindOf(node)));
    return;
  }
  if (FindInvalidUtf8(p.text) != std::string::npos) {
    r.Error(node, "pattern is not valid UTF-8");
    return;
  }
  if (lp->lexicon.Broken(p.text)) return;  // Resolve reported why
  Result<std::string> expanded = lp->lexicon.Expand(p.text);
  if (!expanded.ok()) {
    r.Error(node, "pattern '" + p.text + "': " + expanded.status().message());
    return;
  }
  lp->lexicon.MarkUsed(p.text);
  p.folded = normalizer_.FoldPattern(*expanded);
  if (p.folded.size() > PatternSet::kMaxPatternBytes && *expanded != p.text) {
    r.Error(node, "pattern '" + p.text + "' is " +
                      std::to_string(p.folded.size()) +
                      " bytes once its concepts are expanded; the limit is " +
                      std::to_string(PatternSet::kMaxPatternBytes) +
                      ": split it into several patterns, or use concepts "
                      "with fewer entries");
    return;
  }
  if (p.folded.empty()) {
    r.Error(node, "pattern '" + Excerpt(p.text) +
                      "' is empty once spaces and punctuation are removed");
    return;
  }
  lp->patterns.push_back(std::move(p));
}

}  // namespace reply

#include "engine/pack/pack_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/order/facts.h"
#include "engine/pack/shop_policy_reader.h"
#include "engine/pack/yaml_reader.h"

namespace reply {
namespace {

namespace fs = std::filesystem;

// The status of a failed load: every issue from `first` on, one per line.
Status PackFailure(const std::string& dir, const std::vector<PackIssue>& issues,
                   size_t first) {
  std::string message;
  const size_t count = issues.size() - first;
  for (size_t i = first; i < issues.size(); ++i) {
    if (!message.empty()) message += "\n";
    message += issues[i].ToString();
  }
  return Status::PackError(std::to_string(count) +
                           (count == 1 ? " error" : " errors") + " in pack " +
                           dir + ":\n" + message);
}

constexpr double kDefaultScore = 0.9;
constexpr std::string_view kPatternsWhat =
    "patterns (RE2 text, or {re: ..., score: ...})";

// At most about 120 bytes of valid UTF-8 `text`, cut between characters,
// to quote in an error (a 200 KB pattern is not an error message).
std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 120;
  if (text.size() <= kMax) return std::string(text);
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end)) + "…";
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z'))
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// An intent's or a variant's `label:` (pack.h), or "" without one: one
// line of text, since a console shows it on a card's head.
std::string ReadLabel(YamlReader& r, const YAML::Node& node) {
  std::optional<std::string> label = r.String(node, "label", false);
  if (!label) return "";
  if (label->empty() || label->find('\n') != std::string::npos) {
    r.Error(*r.Get(node, "label"),
            "'label' must be one line of text, such as 催发货");
    return "";
  }
  return std::move(*label);
}

class Loader {
 public:
  Loader(std::string dir, const Normalizer& normalizer,
         std::vector<PackIssue>* issues)
      : dir_(std::move(dir)), normalizer_(normalizer), issues_(issues) {}

  // The file being read, for an error that escaped the checks.
  const std::string& current_file() const { return current_file_; }

  Result<std::shared_ptr<const Pack>> Load() {
    auto pack = std::make_shared<Pack>();
    pack->dir = dir_;
    pack->normalizer = &normalizer_;
    const size_t issues_before = issues_->size();
    if (!fs::is_directory(dir_)) {
      issues_->push_back({dir_, 0, "not a directory"});
      return Fail(issues_before);
    }
    LoadShop(&pack->shop);
    const fs::path intents_dir = fs::path(dir_) / "intents";
    std::vector<std::string> locales = Subdirectories(intents_dir);
    if (locales.empty()) {
      issues_->push_back(
          {"intents", 0,
           "no locale directories (intents/zh, intents/vi, ...)"});
    }
    for (const std::string& locale :
         Subdirectories(fs::path(dir_) / "templates")) {
      if (std::find(locales.begin(), locales.end(), locale) == locales.end()) {
        issues_->push_back(
            {"templates/" + locale, 0,
             "templates for locale '" + locale + "' but no intents/" + locale});
      }
    }
    for (const auto& [name, texts] : pack->shop.locales) {
      if (std::find(locales.begin(), locales.end(), name) == locales.end()) {
        issues_->push_back({"shop.yaml", texts.line,
                            "locales: no locale '" + name + "' (no intents/" +
                                name + ")" + DidYouMean(name, locales)});
      }
    }
    for (const std::string& locale : locales) {
      LocalePack& lp = pack->locales.emplace_back();
      lp.locale = locale;
      LoadLocale(&lp, pack->shop);
    }
    LoadShops(pack.get());
    if (issues_->size() > issues_before) return Fail(issues_before);
    pack->version = Version();
    return std::shared_ptr<const Pack>(std::move(pack));
  }

 private:
  Status Fail(size_t issues_before) {
    return PackFailure(dir_, *issues_, issues_before);
  }

  static std::vector<std::string> Subdirectories(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_directory()) out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> YamlFiles(const std::string& rel_dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry :
         fs::directory_iterator(fs::path(dir_) / rel_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.starts_with(".")) continue;
      if (entry.path().extension() == ".yaml" ||
          entry.path().extension() == ".yml") {
        out.push_back(rel_dir + "/" + name);
      } else {
        issues_->push_back({rel_dir + "/" + name, 0,
                            "not a .yaml file; packs hold only YAML"});
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Reads and parses the file of `r`; nullopt (with the error) when it
  // cannot be read or is not acceptable YAML (YamlReader::Parse).
  std::optional<YAML::Node> ReadYaml(YamlReader& r) {
    current_file_ = r.file();
    const fs::path path = fs::path(dir_) / r.file();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
      r.Error(0, "cannot read: " + ec.message());
      return std::nullopt;
    }
    if (size > kMaxFileBytes) {
      r.Error(0, "file is " + std::to_string(size) + " bytes; the limit is " +
                     std::to_string(kMaxFileBytes) + ": split it");
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string content = ss.str();
    files_read_.emplace_back(r.file(), content);
    return r.Parse(content);
  }

  void LoadShop(ShopPolicy* shop) {
    const std::string rel = "shop.yaml";
    if (!fs::exists(fs::path(dir_) / rel)) {
      issues_->push_back({rel, 0, "missing: every pack has a shop policy"});
      return;
    }
    YamlReader r(rel, issues_);
    const std::optional<YAML::Node> root = ReadYaml(r);
    if (!root || root->IsNull()) return;  // empty: all defaults
    ReadShopPolicy(*root, &r, shop);
  }

  void LoadLocale(LocalePack* lp, const ShopPolicy& shop) {
    const std::string locale = lp->locale;
    std::vector<int> priorities;
    std::map<std::string, SourceRef> intent_ids;
    // Patterns are collected first and given to the matcher once the number
    // of intents is known.
    const size_t issues_before_intents = issues_->size();
    // Concepts and abbreviations come first, from every file, since any
    // pattern may use any concept of the locale.
    std::vector<std::pair<YamlReader, YAML::Node>> files;
    for (const std::string& rel : YamlFiles("intents/" + locale)) {
      YamlReader r(rel, issues_);
      const std::optional<YAML::Node> root = ReadYaml(r);
      if (!root) continue;
      if (root->IsNull()) {
        r.Error(0,
                "empty file: an intents file holds `intents:`, `concepts:` "
                "and/or `abbreviations:`");
        continue;
      }
      const int errors_before = r.errors();
      if (!r.CheckMap(*root, "an intents file",
                      {"intents", "concepts", "abbreviations", "slots"})) {
        continue;
      }
      const std::optional<YAML::Node> concepts = r.Get(*root, "concepts");
      const std::optional<YAML::Node> abbreviations =
          r.Get(*root, "abbreviations");
      const std::optional<YAML::Node> slots = r.Get(*root, "slots");
      if (!r.Get(*root, "intents") && !concepts && !abbreviations && !slots) {
        // A mistyped key (`intent:`) was reported with its fix already.
        if (r.errors() > errors_before) continue;
        r.Error(*root,
                "an intents file holds 'intents:' (a list of intents), "
                "'concepts:' (the locale's lexicon) and/or 'abbreviations:'");
        continue;
      }
      if (concepts) LoadConcepts(r, *concepts, lp);
      if (abbreviations) LoadAbbreviations(r, *abbreviations, lp);
      if (slots) LoadSlots(r, *slots, lp);
      files.emplace_back(std::move(r), *root);
    }
    lp->lexicon.Resolve(normalizer_, issues_);
    for (auto& [r, root] : files) {
      if (!r.Get(root, "intents")) continue;
      const std::optional<YAML::Node> list =
          r.List(root, "intents", "intents (- id: ...)", true);
      if (!list) continue;
      for (const YAML::Node& node : *list) LoadIntent(r, node, lp, &intent_ids);
    }
    ResolveTargets(lp);
    // An intent in a file that failed is missing; its templates say so.
    intents_failed_ = issues_->size() > issues_before_intents;
    if (lp->patterns.size() > kMaxPatterns) {
      issues_->push_back({"intents/" + locale, 0,
                          std::to_string(lp->patterns.size()) +
                              " patterns; the limit is " +
                              std::to_string(kMaxPatterns)});
      return;
    }
    for (const IntentDef& intent : lp->intents)
      priorities.push_back(intent.priority);
    lp->matcher = std::make_unique<IntentMatcher>(priorities);
    for (const PatternDecl& p : lp->patterns) {
      Result<int> id =
          lp->matcher->AddPattern(p.intent, p.folded, p.kind, p.score);
      if (!id.ok()) {
        issues_->push_back(
            {p.where.file, p.where.line,
             "pattern '" + Excerpt(p.text) + "': " + id.status().message()});
      }
    }
    lp->matcher->Compile();
    lp->handoff_matcher = std::make_unique<IntentMatcher>(priorities);
    for (const PatternDecl& p : lp->patterns) {
      if (!lp->intents[p.intent].handoff) continue;
      // Compiled once above, so it compiles here too; an error was reported.
      (void)lp->handoff_matcher->AddPattern(p.intent, p.folded, p.kind,
                                            p.score);
    }
    lp->handoff_matcher->Compile();

    lp->variants_of.assign(lp->intents.size(), {});
    std::set<std::string> variant_ids;
    // A templates file that is not YAML names no intent: which intent lost
    // its replies is unknown, so "no reply variants" would be a false
    // second error about the one file.
    bool unreadable_templates = false;
    for (const std::string& rel : YamlFiles("templates/" + locale)) {
      YamlReader r(rel, issues_);
      const std::optional<YAML::Node> root = ReadYaml(r);
      if (!root) {
        unreadable_templates = true;
        continue;
      }
      if (root->IsNull()) {
        r.Error(0, "empty file: a templates file is `intent:` and `variants:`");
        continue;
      }
      LoadTemplates(r, *root, lp, &variant_ids);
    }
    if (!unreadable_templates) CheckCoverage(lp, shop);
  }

  // abbreviations: {full form: [spelling, ...], ...}
  void LoadAbbreviations(YamlReader& r, const YAML::Node& node,
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
          r.Error(
              spelling,
              "abbreviations: " + s.message() +
                  (taken_by >= 0
                       ? " at " + lp->abbreviation_where[taken_by].ToString()
                       : ""));
        }
      }
    }
  }

  // concepts: {name: [entry, ...], ...}
  void LoadConcepts(YamlReader& r, const YAML::Node& node, LocalePack* lp) {
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
          r.Error(entry, "concept '" + name +
                             "': each entry is text (an RE2 fragment)");
          continue;
        }
        c.entries.push_back({entry.Scalar(), r.Where(entry)});
      }
      if (!lp->lexicon.Add(std::move(c))) {
        r.Error(kv.first, "duplicate concept '" + name +
                              "' (first defined at " +
                              lp->lexicon.Find(name)->where.ToString() + ")");
      }
    }
  }

  void LoadIntent(YamlReader& r, const YAML::Node& node, LocalePack* lp,
                  std::map<std::string, SourceRef>* ids) {
    if (!r.CheckMap(
            node, "an intent",
            {"id", "label", "description", "priority", "handoff", "follow_up",
             "topic", "patterns", "exclude", "examples", "counter_examples",
             "trigger", "resolve_by_order", "without_order", "captures"})) {
      return;
    }
    IntentDef intent;
    intent.where = r.Where(node);
    const std::optional<std::string> id = r.String(node, "id", true);
    if (!id) return;
    const YAML::Node id_node = *r.Get(node, "id");
    if (!ValidId(*id)) {
      r.Error(id_node, "intent id '" + *id +
                           "' must be lower_snake_case: a-z, 0-9 and _");
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
    if (const std::optional<YAML::Node> ex =
            r.List(node, "exclude", "patterns (RE2 text)", false)) {
      for (const YAML::Node& p : *ex) {
        AddPattern(r, p, PatternKind::kExclude, index, lp);
      }
    }
    if (const std::optional<YAML::Node> captures =
            r.List(node, "captures",
                   "patterns with named groups ((?P<size>...))", false)) {
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
  void LoadResolution(YamlReader& r, const YAML::Node& node, int index) {
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
        const std::optional<std::string> target =
            r.String(rule, "intent", true);
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
  void ResolveTargets(LocalePack* lp) {
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
    for (const IntentDef& intent : lp->intents) {
      for (const OrderResolution& rule : intent.resolve_by_order) {
        if (lp->intents[rule.intent].vague()) {
          issues_->push_back(
              {rule.where.file, rule.where.line,
               "'" + lp->intents[rule.intent].id +
                   "' is itself resolved by the order: resolve to the "
                   "intent it resolves to, one step only"});
        }
      }
      if (intent.without_order >= 0 &&
          lp->intents[intent.without_order].vague()) {
        issues_->push_back({intent.where.file, intent.where.line,
                            "without_order names '" +
                                lp->intents[intent.without_order].id +
                                "', which is itself resolved by the order: "
                                "name the intent it resolves to"});
      }
    }
  }

  // slots: {name: {doc, values: [...], range: [min, max], pattern: ...}}
  void LoadSlots(YamlReader& r, const YAML::Node& node, LocalePack* lp) {
    if (!node.IsMap()) {
      r.Error(node,
              "'slots' must be a mapping of slot names to what a valid value "
              "is (size: {values: [S, M, L], range: [34, 48]})");
      return;
    }
    for (const auto& kv : node) {
      const std::string name = kv.first.Scalar();
      if (!ValidId(name)) {
        r.Error(kv.first, "slot name '" + name +
                              "' must be lower_snake_case: a-z, 0-9 and _, "
                              "starting with a letter");
        continue;
      }
      if (const int other = lp->FindSlot(name); other >= 0) {
        r.Error(kv.first, "duplicate slot '" + name + "' (first defined at " +
                              lp->slots[other].where.ToString() + ")");
        continue;
      }
      if (!r.CheckMap(kv.second, "a slot",
                      {"doc", "values", "range", "pattern"})) {
        continue;
      }
      SlotDef slot;
      slot.name = name;
      slot.where = r.Where(kv.first);
      slot.doc = r.String(kv.second, "doc", false).value_or("");
      for (auto& [value, n] : r.Strings(kv.second, "values")) {
        NormalizedText key;
        normalizer_.Normalize(value, &key);
        if (key.text.empty()) {
          r.Error(n, "slot '" + name + "': value '" +
                         SanitizeUtf8(Excerpt(value)) +
                         "' is empty once normalized");
          continue;
        }
        slot.values.push_back(value);
        slot.folded_values.push_back(key.text);
      }
      if (const std::optional<YAML::Node> range = r.List(
              kv.second, "range", "two whole numbers [min, max]", false)) {
        double bounds[2] = {0, 0};
        bool ok = range->size() == 2;
        for (size_t i = 0; ok && i < 2; ++i) {
          ok = (*range)[i].IsScalar() &&
               YAML::convert<double>::decode((*range)[i], bounds[i]) &&
               bounds[i] == static_cast<int64_t>(bounds[i]);
        }
        if (!ok || bounds[0] > bounds[1]) {
          r.Error(*range, "slot '" + name +
                              "': range is two whole numbers, min then max "
                              "([34, 48])");
        } else {
          slot.min = bounds[0];
          slot.max = bounds[1];
        }
      }
      if (const std::optional<std::string> pattern =
              r.String(kv.second, "pattern", false)) {
        RE2::Options options;
        options.set_log_errors(false);
        auto re =
            std::make_shared<RE2>(normalizer_.FoldPattern(*pattern), options);
        if (!re->ok()) {
          r.Error(*r.Get(kv.second, "pattern"),
                  "slot '" + name + "': pattern: " + SanitizeUtf8(re->error()));
        } else {
          slot.pattern = std::move(re);
        }
      }
      if (slot.values.empty() && !slot.min && slot.pattern == nullptr) {
        r.Error(kv.first, "slot '" + name +
                              "' accepts nothing: give it values, a range "
                              "or a pattern");
        continue;
      }
      lp->slots.push_back(std::move(slot));
    }
  }

  // A capture: a pattern (concepts expanded and folded as patterns are)
  // whose named groups are slots of the locale.
  void AddCapture(YamlReader& r, const YAML::Node& node, IntentDef* intent,
                  LocalePack* lp) {
    if (!node.IsScalar() ||
        FindInvalidUtf8(node.Scalar()) != std::string::npos) {
      r.Error(node,
              "a capture is text: a pattern with named groups "
              "((?P<size>...))");
      return;
    }
    SlotCapture c;
    c.text = node.Scalar();
    c.where = r.Where(node);
    if (lp->lexicon.Broken(c.text)) return;  // Resolve reported why
    Result<std::string> expanded = lp->lexicon.Expand(c.text);
    if (!expanded.ok()) {
      r.Error(node, "capture '" + Excerpt(c.text) +
                        "': " + expanded.status().message());
      return;
    }
    lp->lexicon.MarkUsed(c.text);
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(PatternSet::kMaxMemoryPerPattern);
    const std::string folded = normalizer_.FoldPattern(*expanded);
    if (folded.size() > PatternSet::kMaxPatternBytes) {
      r.Error(node, "capture '" + Excerpt(c.text) + "' is " +
                        std::to_string(folded.size()) +
                        " bytes; the limit is " +
                        std::to_string(PatternSet::kMaxPatternBytes));
      return;
    }
    auto re = std::make_shared<RE2>(folded, options);
    if (!re->ok()) {
      r.Error(node, "capture '" + Excerpt(c.text) +
                        "': " + SanitizeUtf8(re->error()));
      return;
    }
    std::vector<std::string> known;
    for (const SlotDef& slot : lp->slots) known.push_back(slot.name);
    for (const auto& [name, group] : re->NamedCapturingGroups()) {
      const int slot = lp->FindSlot(name);
      if (slot < 0) {
        r.Error(node, "capture '" + Excerpt(c.text) + "': unknown slot '" +
                          name + "'" + DidYouMean(name, known) +
                          "; the locale's slots are defined under `slots:`");
        return;
      }
      c.groups.emplace_back(group, slot);
    }
    if (c.groups.empty()) {
      r.Error(node, "capture '" + Excerpt(c.text) +
                        "' names no slot: write the value as a named group, "
                        "(?P<size>...)");
      return;
    }
    c.re = std::move(re);
    intent->captures.push_back(static_cast<int>(lp->captures.size()));
    lp->captures.push_back(std::move(c));
  }

  // The slots a variant quotes or tests must be slots of the locale that
  // its intent captures: another intent's capture does not run for it.
  // `check_text`: false for a variant with arms, whose texts are checked
  // arm by arm (each arm node has the `text`).
  void CheckVariantSlots(YamlReader& r, const YAML::Node& node,
                         const LocalePack& lp, int intent,
                         const ReplyTemplate& text, const Condition& when,
                         bool check_text = true) {
    std::vector<std::pair<std::string, const char*>> used;
    for (const ReplyTemplate::Tag& tag : text.tags()) {
      if (check_text && tag.name.starts_with("slots.")) {
        used.emplace_back(tag.name.substr(6), "text");
      }
    }
    for (const std::string& slot : when.slots_used()) {
      used.emplace_back(slot, "when");
    }
    std::vector<std::string> known;
    for (const SlotDef& slot : lp.slots) known.push_back(slot.name);
    for (const auto& [name, key] : used) {
      const YAML::Node at = *r.Get(node, key);
      const int slot = lp.FindSlot(name);
      if (slot < 0) {
        r.Error(at, std::string(key) + ": unknown slot 'slots." + name + "'" +
                        DidYouMean(name, known) +
                        (known.empty()
                             ? "; intents/" + lp.locale + " defines no slots"
                             : ""));
        continue;
      }
      const IntentDef& def = lp.intents[intent];
      const bool captured =
          std::any_of(def.captures.begin(), def.captures.end(), [&](int c) {
            for (const auto& [group, s] : lp.captures[c].groups) {
              if (s == slot) return true;
            }
            return false;
          });
      if (!captured) {
        r.Error(at, std::string(key) + ": intent '" + def.id +
                        "' captures no 'slots." + name +
                        "': add a capture with (?P<" + name +
                        ">...) to the intent (" + def.where.ToString() + ")");
      }
    }
  }

  void AddPattern(YamlReader& r, const YAML::Node& node, PatternKind kind,
                  int intent, LocalePack* lp) {
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
      r.Error(node,
              std::string("a pattern is text") +
                  (kind == PatternKind::kMatch ? " or {re: ..., score: ...}"
                                               : " (an exclude has no score)") +
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

  void LoadTemplates(YamlReader& r, const YAML::Node& root, LocalePack* lp,
                     std::set<std::string>* variant_ids) {
    if (!r.CheckMap(root, "a templates file", {"intent", "variants"})) return;
    const auto intent_id = r.String(root, "intent", true);
    if (!intent_id) return;
    const int intent = lp->FindIntent(*intent_id);
    if (intent < 0) {
      r.Error(
          *r.Get(root, "intent"),
          "intent '" + *intent_id + "' is not defined in intents/" +
              lp->locale +
              (intents_failed_ ? " (its file may be one with errors)" : ""));
      return;
    }
    const std::optional<YAML::Node> variants =
        r.List(root, "variants", "reply variants (- id: ...)", true);
    if (!variants) return;
    if (variants->size() == 0) {
      r.Error(*variants, "'variants' is empty: give the intent a reply");
      return;
    }
    for (const YAML::Node& node : *variants) {
      if (!r.CheckMap(
              node, "a variant",
              {"id", "label", "when", "fallback", "handoff", "text", "arms"})) {
        continue;
      }
      const bool has_arms = r.Get(node, "arms").has_value();
      if (has_arms && r.Get(node, "text")) {
        r.Error(*r.Get(node, "arms"),
                "a variant has `text` or `arms` (a wording experiment), not "
                "both: put the current wording in the first arm");
        continue;
      }
      const auto id = r.String(node, "id", true);
      const auto text = has_arms ? std::optional<std::string>("")
                                 : r.String(node, "text", true);
      if (!id || !text) continue;
      if (!ValidId(*id)) {
        r.Error(*r.Get(node, "id"),
                "variant id '" + *id + "' must be lower_snake_case");
        continue;
      }
      const std::string full_id = *intent_id + "." + *id;
      if (!variant_ids->insert(full_id).second) {
        r.Error(*r.Get(node, "id"), "duplicate variant id '" + full_id + "'");
        continue;
      }
      Condition when = Condition::Always();
      if (const auto w = r.String(node, "when", false)) {
        Result<Condition> c = Condition::Parse(*w);
        if (!c.ok()) {
          r.Error(*r.Get(node, "when"), "when: " + c.status().message());
          continue;
        }
        when = std::move(*c);
      }
      std::vector<Arm> arms;
      if (has_arms) {
        arms = LoadArms(r, node, *lp, intent);
        if (arms.empty()) continue;  // reported
        CheckVariantSlots(r, node, *lp, intent, arms[0].text, when, false);
      }
      Result<ReplyTemplate> t = has_arms ? Result<ReplyTemplate>(arms[0].text)
                                         : ReplyTemplate::Parse(*text);
      if (!t.ok()) {
        r.Error(*r.Get(node, "text"), "text: " + t.status().message());
        continue;
      }
      if (!has_arms) CheckVariantSlots(r, node, *lp, intent, *t, when);
      Variant v{full_id,
                ReadLabel(r, node),
                intent,
                std::move(when),
                r.Bool(node, "fallback").value_or(false),
                r.Bool(node, "handoff").value_or(lp->intents[intent].handoff),
                std::move(*t),
                r.Where(node),
                std::move(arms)};
      lp->variants_of[intent].push_back(static_cast<int>(lp->variants.size()));
      lp->variants.push_back(std::move(v));
    }
  }

  // The arms of a wording experiment: at least two, each with a unique
  // lower_snake_case id, a whole weight from 1 to kMaxArmWeight and a text
  // that parses. Empty (with the errors reported) when any is wrong.
  std::vector<Arm> LoadArms(YamlReader& r, const YAML::Node& node,
                            const LocalePack& lp, int intent) {
    static constexpr double kMaxArmWeight = 1000;
    const std::optional<YAML::Node> list = r.List(
        node, "arms", "the arms of a wording experiment (- id: ...)", true);
    if (!list) return {};
    if (list->size() < 2) {
      r.Error(*list,
              "an experiment needs two arms or more: the current wording and "
              "at least one alternative (to end an experiment, replace "
              "`arms` by the winner's `text`)");
      return {};
    }
    std::vector<Arm> arms;
    std::set<std::string> ids;
    bool ok = true;
    for (const YAML::Node& a : *list) {
      if (!r.CheckMap(a, "an arm", {"id", "weight", "text"})) {
        ok = false;
        continue;
      }
      const auto id = r.String(a, "id", true);
      const auto text = r.String(a, "text", true);
      const std::optional<double> weight = r.Number(
          a, "weight", {.min = 1, .max = kMaxArmWeight, .whole = true});
      if (!id || !text) {
        ok = false;
        continue;
      }
      if (!ValidId(*id)) {
        r.Error(*r.Get(a, "id"),
                "arm id '" + *id + "' must be lower_snake_case");
        ok = false;
        continue;
      }
      if (!ids.insert(*id).second) {
        r.Error(*r.Get(a, "id"), "duplicate arm id '" + *id + "'");
        ok = false;
        continue;
      }
      Result<ReplyTemplate> t = ReplyTemplate::Parse(*text);
      if (!t.ok()) {
        r.Error(*r.Get(a, "text"), "text: " + t.status().message());
        ok = false;
        continue;
      }
      CheckVariantSlots(r, a, lp, intent, *t, Condition::Always());
      arms.push_back({*id, static_cast<int>(weight.value_or(1)), std::move(*t),
                      r.Where(a)});
    }
    if (!ok) return {};
    return arms;
  }

  // shops/<id>.yaml: one shop each, its policy over shop.yaml's and its own
  // text for any reply variant. Read after the locales, whose variants the
  // texts replace.
  void LoadShops(Pack* pack) {
    std::error_code ec;
    if (!fs::is_directory(fs::path(dir_) / "shops", ec)) return;
    for (const std::string& rel : YamlFiles("shops")) {
      const std::string id = fs::path(rel).stem().string();
      YamlReader r(rel, issues_);
      if (!ValidId(id)) {
        r.Error(0, "shop id '" + SanitizeUtf8(id) +
                       "' (the file's name) must be lower_snake_case, at "
                       "most 64 characters: rename the file");
        continue;
      }
      Shop shop{.id = id, .policy = pack->shop, .where = {rel, 1}};
      const std::optional<YAML::Node> root = ReadYaml(r);
      if (!root) continue;
      if (!root->IsNull()) {
        if (!r.CheckMap(*root, "a shop file", {"policy", "replies"})) continue;
        if (const auto policy =
                r.Map(*root, "policy", "the keys of shop.yaml it changes")) {
          ReadShopPolicy(*policy, &r, &shop.policy);
        }
        if (const auto replies = r.Map(
                *root, "replies",
                "a locale to its variants (zh: [- id: ..., text: ...])")) {
          ReadShopReplies(r, *replies, *pack, &shop);
        }
      }
      pack->shops.emplace(id, std::move(shop));
    }
  }

  void ReadShopReplies(YamlReader& r, const YAML::Node& replies,
                       const Pack& pack, Shop* shop) {
    for (const auto& kv : replies) {
      if (!kv.first.IsScalar()) {
        r.Error(kv.first, "replies: each key is a locale (zh, vi)");
        continue;
      }
      const std::string locale = kv.first.Scalar();
      const LocalePack* lp = pack.Find(locale);
      if (lp == nullptr) {
        std::vector<std::string> known;
        for (const LocalePack& l : pack.locales) known.push_back(l.locale);
        r.Error(kv.first, "replies: no locale '" + SanitizeUtf8(locale) +
                              "' in the packs" + DidYouMean(locale, known));
        continue;
      }
      if (!kv.second.IsSequence()) {
        r.Error(kv.first, "replies: " + locale +
                              " holds a list of variants (- id: "
                              "urge_shipment.overdue, text: ...), not " +
                              std::string(YamlReader::KindOf(kv.second)));
        continue;
      }
      std::map<int, ReplyTemplate>& texts = shop->texts[locale];
      for (const YAML::Node& node : kv.second) {
        if (!r.CheckMap(node, "a shop's variant", {"id", "text"})) continue;
        const auto id = r.String(node, "id", true);
        const auto text = r.String(node, "text", true);
        if (!id || !text) continue;
        int variant = -1;
        std::vector<std::string> known;
        for (size_t v = 0; v < lp->variants.size(); ++v) {
          if (lp->variants[v].id == *id) variant = static_cast<int>(v);
          known.push_back(lp->variants[v].id);
        }
        if (variant < 0) {
          r.Error(*r.Get(node, "id"),
                  "id: no variant '" + SanitizeUtf8(*id) + "' in templates/" +
                      locale + DidYouMean(*id, known) +
                      " (write the intent and the variant: intent.variant)");
          continue;
        }
        Result<ReplyTemplate> t = ReplyTemplate::Parse(*text);
        if (!t.ok()) {
          r.Error(*r.Get(node, "text"), "text: " + t.status().message());
          continue;
        }
        const Variant& v = lp->variants[variant];
        CheckVariantSlots(r, node, *lp, v.intent, *t, Condition::Always());
        if (!texts.emplace(variant, std::move(*t)).second) {
          r.Error(*r.Get(node, "id"), "id: '" + *id + "' is given twice for " +
                                          locale + ": keep one");
        }
      }
    }
  }

  // Every intent has replies, and every message intent has one that can be
  // offered without an order (asking for the order number).
  void CheckCoverage(LocalePack* lp, const ShopPolicy& shop) {
    const Facts no_order = DeriveFacts(nullptr, shop, 0);
    for (size_t i = 0; i < lp->intents.size(); ++i) {
      const IntentDef& intent = lp->intents[i];
      auto& list = lp->variants_of[i];
      std::stable_sort(list.begin(), list.end(), [&](int a, int b) {
        return lp->variants[a].when.specificity() >
               lp->variants[b].when.specificity();
      });
      if (list.empty()) {
        issues_->push_back({intent.where.file, intent.where.line,
                            "intent '" + intent.id +
                                "' has no reply variants in templates/" +
                                lp->locale});
        continue;
      }
      // A proactive intent has no message; a vague one without an order is
      // answered by its without_order intent, which is checked itself.
      if (intent.trigger || intent.without_order >= 0) continue;
      const bool covered = std::any_of(list.begin(), list.end(), [&](int v) {
        const Variant& variant = lp->variants[v];
        if (variant.when.Evaluate(no_order) != Tri::kTrue) return false;
        std::string text;
        const RenderInputs in{nullptr, &no_order, &shop, lp->locale};
        return variant.text.Render(in, &text, nullptr);
      });
      if (!covered) {
        issues_->push_back(
            {intent.where.file, intent.where.line,
             "intent '" + intent.id +
                 "' has no reply for a message without an order: add a variant "
                 "with `when: not has_order` that quotes no order field"});
      }
    }
  }

  std::string Version() const {
    uint64_t h = 1469598103934665603ull;
    const auto mix = [&](std::string_view s) {
      for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
      }
      h ^= 0xff;
      h *= 1099511628211ull;
    };
    std::vector<std::pair<std::string, std::string>> files = files_read_;
    std::sort(files.begin(), files.end());
    for (const auto& [path, content] : files) {
      mix(path);
      mix(content);
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(h));
    return std::string(buf, 12);
  }

  std::string dir_;
  const Normalizer& normalizer_;
  std::vector<PackIssue>* issues_;
  std::vector<std::pair<std::string, std::string>> files_read_;
  std::string current_file_;
  bool intents_failed_ = false;  // the current locale's intents had errors
  // resolve_by_order rules and without_order, read before their targets.
  struct PendingTarget {
    int intent;
    std::string target;
    SourceRef where;
    Condition when;
    bool without_order;
  };
  std::vector<PendingTarget> pending_targets_;
};

}  // namespace

std::string PackIssue::ToString() const {
  return line > 0 ? file + ":" + std::to_string(line) + ": " + message
                  : file + ": " + message;
}

Result<std::shared_ptr<const Pack>> LoadPack(const std::string& dir,
                                             const Normalizer& normalizer,
                                             std::vector<PackIssue>* issues) {
  std::vector<PackIssue> local;
  if (issues == nullptr) issues = &local;
  const size_t first = issues->size();
  Loader loader(dir, normalizer, issues);
  // The last resort: the readers check every node's shape, so nothing
  // should throw; if something still does, it is this load's error, never
  // an exception on the caller's thread (the server's reloader).
  std::string why;
  int line = 0;
  try {
    return loader.Load();
  } catch (const YAML::Exception& e) {
    why = "YAML: " + e.msg;
    line = e.mark.is_null() ? 0 : e.mark.line + 1;
  } catch (const std::exception& e) {
    why = e.what();
  }
  issues->push_back(
      {loader.current_file().empty() ? dir : loader.current_file(), line,
       "could not be loaded (" + SanitizeUtf8(why) +
           "): an unexpected error; please report it with this file"});
  return PackFailure(dir, *issues, first);
}

}  // namespace reply

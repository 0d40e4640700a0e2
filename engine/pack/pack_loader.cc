#include "engine/pack/pack_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/order/facts.h"
#include "engine/pack/matcher_cache.h"
#include "engine/pack/pack_loader_internal.h"
#include "engine/pack/shop_policy_reader.h"
#include "engine/pack/yaml_reader.h"

namespace reply {
namespace {

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

// The matcher of `patterns`, compiled, or the one an earlier load compiled
// from the same patterns (MatcherCache). A pattern RE2 rejects is reported
// into `issues` when given; a matcher with one is not offered to later loads.
std::shared_ptr<const IntentMatcher> CompileMatcher(
    const std::vector<int>& priorities,
    const std::vector<const PatternDecl*>& patterns,
    std::vector<PackIssue>* issues) {
  const std::string key = MatcherKey(priorities, patterns);
  if (std::shared_ptr<const IntentMatcher> cached = MatcherCache::Find(key))
    return cached;
  auto matcher = std::make_shared<IntentMatcher>(priorities);
  bool compiled = true;
  for (const PatternDecl* p : patterns) {
    Result<int> id =
        matcher->AddPattern(p->intent, p->folded, p->kind, p->score);
    if (id.ok()) continue;
    compiled = false;
    if (issues == nullptr) continue;
    issues->push_back(
        {p->where.file, p->where.line,
         "pattern '" + Excerpt(p->text) + "': " + id.status().message()});
  }
  matcher->Compile();
  if (compiled) MatcherCache::Keep(key, matcher);
  return matcher;
}

}  // namespace

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

Result<std::shared_ptr<const Pack>> PackLoader::Load() {
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
        {"intents", 0, "no locale directories (intents/zh, intents/vi, ...)"});
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

Status PackLoader::Fail(size_t issues_before) {
  return PackFailure(dir_, *issues_, issues_before);
}

std::vector<std::string> PackLoader::Subdirectories(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PackLoader::YamlFiles(const std::string& rel_dir) {
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
      issues_->push_back(
          {rel_dir + "/" + name, 0, "not a .yaml file; packs hold only YAML"});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Reads and parses the file of `r`; nullopt (with the error) when it
// cannot be read or is not acceptable YAML (YamlReader::Parse).
std::optional<YAML::Node> PackLoader::ReadYaml(YamlReader& r) {
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

void PackLoader::LoadShop(ShopPolicy* shop) {
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

void PackLoader::LoadLocale(LocalePack* lp, const ShopPolicy& shop) {
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
                    {"intents", "concepts", "abbreviations", "dialect",
                     "dialect_keep", "slots"})) {
      continue;
    }
    const std::optional<YAML::Node> concepts = r.Get(*root, "concepts");
    const std::optional<YAML::Node> abbreviations =
        r.Get(*root, "abbreviations");
    const std::optional<YAML::Node> dialect = r.Get(*root, "dialect");
    const std::optional<YAML::Node> dialect_keep = r.Get(*root, "dialect_keep");
    const std::optional<YAML::Node> slots = r.Get(*root, "slots");
    if (!r.Get(*root, "intents") && !concepts && !abbreviations && !dialect &&
        !dialect_keep && !slots) {
      // A mistyped key (`intent:`) was reported with its fix already.
      if (r.errors() > errors_before) continue;
      r.Error(*root,
              "an intents file holds 'intents:' (a list of intents), "
              "'concepts:' (the locale's lexicon) and/or 'abbreviations:'");
      continue;
    }
    if (concepts) LoadConcepts(r, *concepts, lp);
    if (abbreviations) LoadAbbreviations(r, *abbreviations, lp);
    if (dialect) LoadDialect(r, *dialect, lp);
    if (dialect_keep) LoadDialectKeep(r, *dialect_keep, lp);
    if (slots) LoadSlots(r, *slots, lp);
    files.emplace_back(std::move(r), *root);
  }
  CheckDialectKeeps(*lp);
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
  std::vector<const PatternDecl*> all, handoff;
  for (const PatternDecl& p : lp->patterns) {
    all.push_back(&p);
    if (lp->intents[p.intent].handoff) handoff.push_back(&p);
  }
  lp->matcher = CompileMatcher(priorities, all, issues_);
  // Compiled once above: an error was reported there.
  lp->handoff_matcher = CompileMatcher(priorities, handoff, nullptr);

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

// Every intent has replies, and every message intent has one that can be
// offered without an order (asking for the order number).
void PackLoader::CheckCoverage(LocalePack* lp, const ShopPolicy& shop) {
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

std::string PackLoader::Version() const {
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
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 12);
}

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
  PackLoader loader(dir, normalizer, issues);
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

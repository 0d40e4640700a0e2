#include "tools/lint/style_book.h"

#include <cstdio>
#include <cstdlib>

#include "engine/pack/yaml_reader.h"

namespace reply::lint {

// The repository's style.yaml (tools/CMakeLists.txt writes it into
// bundled_style.cc).
extern const std::string_view kBundledStyle;

namespace {

// The keys of a locale's style: one pattern each, or a list of phrases.
enum class Kind { kUnknown, kPattern, kPhrases };
Kind KindOfKey(std::string_view key) {
  for (std::string_view k :
       {"polite_address", "informal_you", "final_particle", "negation"}) {
    if (k == key) return Kind::kPattern;
  }
  for (std::string_view k :
       {"uncertain_phrase", "rude_phrase", "gift_promise", "money_literal",
        "compensation_amount", "delivery_guarantee"}) {
    if (k == key) return Kind::kPhrases;
  }
  return Kind::kUnknown;  // CheckMap has reported it
}

// The pattern under `map`'s `pattern`, compiled; nullptr (with an error at
// its line) when missing or rejected by RE2.
std::unique_ptr<RE2> ReadPattern(YamlReader* r, const YAML::Node& map,
                                 const std::string& where,
                                 bool case_insensitive) {
  const std::optional<std::string> text = r->String(map, "pattern", true);
  if (!text) return nullptr;
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(!case_insensitive);
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(*text, options);
  if (!re->ok()) {
    r->Error(r->Get(map, "pattern").value_or(map),
             where + ": pattern: " + re->error() +
                 "; write it as RE2 syntax, in 'single quotes'");
    return nullptr;
  }
  return re;
}

}  // namespace

Result<StyleBook> StyleBook::Parse(const std::string& file,
                                   std::string_view text,
                                   std::vector<PackIssue>* issues) {
  const size_t issues_before = issues->size();
  YamlReader r(file, issues);
  StyleBook book;
  if (text.size() > kMaxFileBytes) {
    r.Error(0, "file is " + std::to_string(text.size()) +
                   " bytes; the limit is " + std::to_string(kMaxFileBytes));
  } else if (const std::optional<YAML::Node> root = r.Parse(text)) {
    if (!root->IsMap()) {
      r.Error(*root,
              "a style file maps each locale (zh:, vi:) to its "
              "rules' words, not " +
                  std::string(YamlReader::KindOf(*root)));
    } else {
      for (const auto& [locale_key, locale_node] : *root) {
        if (!locale_key.IsScalar()) {
          r.Error(locale_key, "a locale must be text, such as zh or vi");
          continue;
        }
        const std::string& locale = locale_key.Scalar();
        if (!r.CheckMap(locale_node, "the style of " + locale,
                        {"polite_address", "informal_you", "final_particle",
                         "negation", "uncertain_phrase", "rude_phrase",
                         "gift_promise", "money_literal", "compensation_amount",
                         "delivery_guarantee"})) {
          continue;
        }
        for (const auto& [key_node, entry_node] : locale_node) {
          const std::string key = key_node.Scalar();
          const std::string where = locale + "." + key;
          const Kind kind = KindOfKey(key);
          if (kind == Kind::kUnknown) continue;
          const bool one = kind == Kind::kPattern;
          if (!r.CheckMap(entry_node, where,
                          {one ? "pattern" : "phrases", "case_insensitive"})) {
            continue;
          }
          const bool ci =
              r.Bool(entry_node, "case_insensitive").value_or(false);
          Entry entry;
          if (one) {
            entry.pattern = ReadPattern(&r, entry_node, where, ci);
          } else if (const std::optional<YAML::Node> list = r.List(
                         entry_node, "phrases",
                         "phrases (- pattern: ..., reason: ...)", true)) {
            for (const YAML::Node& item : *list) {
              if (!r.CheckMap(item, "a phrase of " + where,
                              {"pattern", "reason"})) {
                continue;
              }
              std::unique_ptr<RE2> re = ReadPattern(&r, item, where, ci);
              const std::optional<std::string> reason =
                  r.String(item, "reason", true);
              if (re && reason) {
                entry.phrases.push_back({std::move(re), *reason});
              }
            }
          }
          book.locales_[locale][key] = std::move(entry);
        }
      }
    }
  }
  if (issues->size() == issues_before) return book;
  std::string message;
  for (size_t i = issues_before; i < issues->size(); ++i) {
    if (!message.empty()) message += "\n";
    message += (*issues)[i].ToString();
  }
  return Status::PackError(message);
}

const StyleBook& StyleBook::Bundled() {
  static const StyleBook* book = [] {
    std::vector<PackIssue> issues;
    Result<StyleBook> parsed =
        Parse("style.yaml (built in)", kBundledStyle, &issues);
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str());
      std::abort();  // the build embedded a broken style.yaml
    }
    return new StyleBook(std::move(*parsed));
  }();
  return *book;
}

const StyleBook::Entry* StyleBook::Find(std::string_view locale,
                                        std::string_view key) const {
  const auto l = locales_.find(locale);
  if (l == locales_.end()) return nullptr;
  const auto k = l->second.find(key);
  return k == l->second.end() ? nullptr : &k->second;
}

const RE2* StyleBook::Pattern(std::string_view locale,
                              std::string_view key) const {
  const Entry* e = Find(locale, key);
  return e != nullptr ? e->pattern.get() : nullptr;
}

std::span<const StylePhrase> StyleBook::Phrases(std::string_view locale,
                                                std::string_view key) const {
  const Entry* e = Find(locale, key);
  if (e == nullptr) return {};
  return e->phrases;
}

}  // namespace reply::lint

// Style rules: the shop's own rules for how a reply is written (seed 004
// 售中话术规范, the 错误回复 of seed 002), checked over every reply template
// of a pack.
//
// What it is for. The agent sends a suggestion in one click, so a template
// must already read like a careful person wrote it: it addresses the buyer
// politely (亲/您; anh/chị/bạn/quý khách), is never a curt one-word answer,
// never says "I don't know" or anything rude, does not end sentences on 啊/
// 啦, never promises money or gifts the shop policy does not state, never
// guarantees a delivery date, and Vietnamese replies carry their diacritics.
// StyleRules() lists every rule with its reason; docs/authoring.md ("Style
// rules") documents them for template authors.
//
// How to use it.
//
//   std::vector<PackIssue> load_issues;
//   auto pack = LoadPack(dir, normalizer, &load_issues);
//   if (pack.ok()) {
//     for (const PackIssue& i : lint::CheckStyle(**pack)) {
//       std::cerr << i.ToString() << "\n";
//       // templates/zh/urge_shipment.yaml:57: urge_shipment.shipped:
//       //   [final_particle] 啊/啦 ends a sentence: "已经发出啦，" (...)
//     }
//   }
//
//   // One text, e.g. for an editor that checks as the author types:
//   for (const lint::StyleViolation& v : lint::CheckReplyText("zh", "好的"))
//     ...  // v.rule == "min_length"
//
// CheckStyle reports one PackIssue per violation, at the line of the
// offending text in the template file when the file can be read (else at the
// variant's line); the message starts with the template id and the rule id
// in brackets. The checks are lexical: they read the template source with
// its {{placeholders}} (a placeholder counts as no text, and an amount quoted
// from a placeholder such as {{facts.compensation}}元 is allowed), not every
// rendering. A rule is never silenced per template: rephrase instead.
//
// The words each rule looks for (polite forms, rude phrases, gifts, money...)
// are pack data: the pack's style.yaml, read by StyleBook (style_book.h).
//
// Thread safety: pure functions over immutable inputs; safe from any number
// of threads. The bundled words are compiled once, on first use.
#ifndef REPLY_TOOLS_LINT_STYLE_RULES_H_
#define REPLY_TOOLS_LINT_STYLE_RULES_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "tools/lint/style_book.h"

namespace reply::lint {

struct StyleRule {
  std::string_view id;       // "polite_address"
  std::string_view locales;  // "zh", "vi" or "zh vi"
  std::string_view summary;  // what the rule asks, and why (the seed)
};

// Every rule, in the order CheckReplyText applies them.
std::span<const StyleRule> StyleRules();

struct StyleViolation {
  std::string_view rule;  // a StyleRule::id
  int line = 1;           // 1-based line within the template text
  std::string message;    // what is wrong, quoting the offending words
};

// The file of a pack that holds the words the rules look for (style_book.h).
inline constexpr std::string_view kStyleFile = "style.yaml";

// Checks one template's source (Mustache, as written in the YAML `text`) as
// a reply in `locale` ("zh", "vi"; other locales get the rules marked for
// every locale only, which today is none), with the words of `book` (without
// one: the bundled style.yaml).
std::vector<StyleViolation> CheckReplyText(const StyleBook& book,
                                           std::string_view locale,
                                           std::string_view source);
std::vector<StyleViolation> CheckReplyText(std::string_view locale,
                                           std::string_view source);

// Checks every reply variant of every locale of `pack`, with the words of
// the pack's style.yaml, or the bundled ones when it has none; a style.yaml
// that does not read gives its problems (file:line) and nothing else. The
// file of each issue is relative to the pack directory, like the loader's
// issues.
std::vector<PackIssue> CheckStyle(const Pack& pack);

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_STYLE_RULES_H_

// StyleBook: the words the style rules (style_rules.h) look for, per
// locale, read from a pack's style.yaml: what a reply must say (polite
// address), must not say (rude, uncertain, gifts, money, guarantees...),
// and the negations that let a reply refuse a gift or a guarantee. The
// format is described at the top of the bundled style.yaml and in
// docs/authoring.md ("Style rules"); authors change the words there, not
// in C++.
//
//   std::vector<PackIssue> issues;
//   Result<StyleBook> book = StyleBook::Parse("style.yaml", text, &issues);
//   // on error: style.yaml:12: rude_phrase: pattern: missing ): ...
//   const RE2* polite = book->Pattern("zh", "polite_address");
//   for (const StylePhrase& p : book->Phrases("zh", "rude_phrase")) ...
//
//   StyleBook::Bundled();  // the repository's style.yaml, built in: the
//                          // book of a pack that has no style.yaml
//
// Limits: the file is at most kMaxFileBytes (as any pack file).
//
// Thread safety: immutable once parsed; Bundled() is parsed once, on first
// use, and aborts if the built-in text does not parse (the test suite
// reads the same file).
#ifndef REPLY_TOOLS_LINT_STYLE_BOOK_H_
#define REPLY_TOOLS_LINT_STYLE_BOOK_H_

#include <re2/re2.h>

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/pack/pack_loader.h"

namespace reply::lint {

// A pattern and the reason printed when it matches.
struct StylePhrase {
  std::unique_ptr<RE2> re;
  std::string reason;
};

class StyleBook {
 public:
  // `file` names the text in errors ("style.yaml"). On error the status
  // lists every problem and *issues holds them one by one.
  static Result<StyleBook> Parse(const std::string& file, std::string_view text,
                                 std::vector<PackIssue>* issues);
  static const StyleBook& Bundled();

  // The `pattern` of `key` (polite_address, informal_you, final_particle,
  // negation) for `locale`; nullptr when the book has none.
  const RE2* Pattern(std::string_view locale, std::string_view key) const;
  // The `phrases` of `key` (uncertain_phrase, rude_phrase, gift_promise,
  // money_literal, compensation_amount, delivery_guarantee); empty when the
  // book has none.
  std::span<const StylePhrase> Phrases(std::string_view locale,
                                       std::string_view key) const;

 private:
  struct Entry {
    std::unique_ptr<RE2> pattern;
    std::vector<StylePhrase> phrases;
  };
  const Entry* Find(std::string_view locale, std::string_view key) const;

  // locale -> key -> entry
  std::map<std::string, std::map<std::string, Entry, std::less<>>, std::less<>>
      locales_;
};

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_STYLE_BOOK_H_

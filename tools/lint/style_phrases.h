// StylePhrases: the phrases and words the style rules (style_rules.h) look
// for, per locale, as compiled RE2 patterns: uncertain or rude wording,
// promises of gifts, money, compensation or delivery dates, polite and
// informal forms of address.
//
//   const StylePhrases& p = StylePhrases::Get();
//   for (const Phrase& ph : p.zh_rude)
//     if (RE2::PartialMatch(text, *ph.re)) ...  // ph.reason says why
//
// The lists are part of the rules and change with them; they are constants,
// so a pattern RE2 rejects aborts at first use (tests run them all).
//
// Thread safety: built once on first use; immutable after.
#ifndef REPLY_TOOLS_LINT_STYLE_PHRASES_H_
#define REPLY_TOOLS_LINT_STYLE_PHRASES_H_

#include <re2/re2.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reply::lint {

// A pattern and the reason printed when it matches.
struct Phrase {
  std::unique_ptr<RE2> re;
  std::string reason;
};

struct StylePhrases {
  // zh
  std::vector<Phrase> zh_uncertain, zh_rude, zh_gift, zh_money, zh_compensation,
      zh_guarantee;
  std::unique_ptr<RE2> zh_polite, zh_informal, zh_final, zh_negation;
  // vi
  std::vector<Phrase> vi_uncertain, vi_rude, vi_gift, vi_money, vi_compensation,
      vi_guarantee;
  std::unique_ptr<RE2> vi_polite, vi_informal, vi_negation;

  static const StylePhrases& Get();

 private:
  StylePhrases();
};

}  // namespace reply::lint

#endif  // REPLY_TOOLS_LINT_STYLE_PHRASES_H_

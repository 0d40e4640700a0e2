// Lexicon: a locale's concepts — named word classes written once
// (`parcel: [包裹, 快递, 东西, 货]`) and used in patterns as `{parcel}` — so
// that an intent is a few compositional patterns instead of hundreds of
// literal ones.
//
//   Lexicon lexicon;
//   lexicon.Add({"parcel", {{"包裹", where}, {"快递", where}}, where});
//   lexicon.Add({"stuck", {{"{parcel}.{0,2}(没|不)动", where}}, where});
//   lexicon.Resolve(normalizer, &issues);   // every problem, at file:line
//   Result<std::string> re = lexicon.Expand("{stuck}了");
//   // "(?:(?:(?:包裹|快递).{0,2}(没|不)动))了", then Normalizer::FoldPattern
//
// A reference is `{name}` with name [a-z][a-z0-9_]*, outside a character
// class and not escaped. RE2's counted repetition (`{2}`, `{1,3}`) has
// digits only, so the two never collide. A reference becomes a
// non-capturing alternation of the concept's entries, so the pattern still
// compiles into the PatternSet like any other: FilteredRE2 takes its
// literal atoms from the entries, and matching cost stays flat.
//
// Entries are RE2 fragments written as buyers type (folded with the pattern
// they end up in) and may use other concepts, kMaxDepth levels in all; cycles,
// unknown names and entries RE2 rejects are reported by Resolve at the
// entry's file:line.
//
// Thread safety: Add and Resolve while loading; afterwards immutable, and
// every const method is safe from any number of threads.
#ifndef REPLY_ENGINE_PACK_LEXICON_H_
#define REPLY_ENGINE_PACK_LEXICON_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/source_ref.h"

namespace reply {

struct PackIssue;

class Lexicon {
 public:
  // A concept may use a concept that uses a concept...: this many levels.
  static constexpr int kMaxDepth = 4;

  struct Entry {
    std::string text;  // as written
    SourceRef where;
  };
  struct Concept {
    std::string name;
    std::vector<Entry> entries;
    SourceRef where;  // of the name
    // Set by Resolve: the alternation a reference becomes, "(?:e1|e2|...)",
    // with the entries' own references expanded (not yet folded).
    std::string expansion;
    bool used = false;  // by some pattern, directly or through a concept
  };

  // Calls `f(begin, end, name)` for each reference in an RE2 pattern (or
  // entry), in order; [begin, end) spans the braces.
  template <typename F>
  static void ForEachReference(std::string_view pattern, F&& f);

  // False when a concept of that name exists already.
  bool Add(Concept c);

  // Expands every concept; reports unknown references (with a suggestion),
  // cycles, nesting deeper than kMaxDepth, and entries that are empty once
  // folded or that RE2 rejects, each at the entry's file:line.
  void Resolve(const Normalizer& normalizer, std::vector<PackIssue>* issues);

  // `pattern` with each reference replaced by its concept's expansion.
  // Errors name the unknown concept, with a suggestion.
  Result<std::string> Expand(std::string_view pattern) const;
  // Marks the concepts `pattern` uses, and those they use, as used.
  void MarkUsed(std::string_view pattern);

  // Whether `pattern` uses a concept that Resolve found broken (its
  // problems are reported already).
  bool Broken(std::string_view pattern) const;

  const Concept* Find(std::string_view name) const;
  const std::vector<Concept>& concepts() const { return concepts_; }
  bool empty() const { return concepts_.empty(); }

  // For explain (not the hot path). A pattern (or entry) as written matched
  // normalized `text` from `begin` (to `end`, when given; else wherever its
  // match ends): which entry of each concept it references produced the
  // match, where in `text`, and, for an entry that uses concepts itself,
  // the same for it. A reference that took no part in the match (an
  // optional one, a branch not taken) is left out.
  struct EntryMatch {
    std::string name;  // of the concept
    int entry = -1;    // index into the concept's entries; -1: none alone
    size_t begin = 0, end = 0;
    std::vector<EntryMatch> inner;
  };
  std::vector<EntryMatch> MatchedEntries(
      std::string_view pattern, std::string_view text, size_t begin,
      const Normalizer& normalizer, size_t end = std::string_view::npos) const;

 private:
  // Expands concept `index` (and those it uses first). False on a cycle or
  // a problem already reported.
  bool ResolveConcept(size_t index, const Normalizer& normalizer,
                      std::vector<PackIssue>* issues);
  // `text` with its references expanded from already-resolved concepts;
  // unknown names are appended to *unknown.
  std::string Substitute(std::string_view text,
                         std::vector<std::string>* unknown) const;
  std::string Suggestion(std::string_view name) const;

  std::vector<Concept> concepts_;
  std::map<std::string, size_t, std::less<>> index_;
  // Resolve's state per concept: 0 not yet, 1 in progress, 2 done, 3 failed.
  std::vector<int> state_;
  // Levels of concepts a concept nests, itself included.
  std::vector<int> height_;
};

template <typename F>
void Lexicon::ForEachReference(std::string_view p, F&& f) {
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      // An escape; \p{Han} and \x{4e00} keep their braces.
      if (i + 2 < p.size() && p[i + 2] == '{' &&
          (p[i + 1] == 'p' || p[i + 1] == 'P' || p[i + 1] == 'x')) {
        const size_t close = p.find('}', i + 2);
        i = close == std::string_view::npos ? p.size() : close;
      } else {
        ++i;
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == '^') ++i;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // []a] holds ]
      continue;
    }
    if (c != '{' || i + 1 >= p.size() || !(p[i + 1] >= 'a' && p[i + 1] <= 'z'))
      continue;
    size_t j = i + 1;
    while (j < p.size() && ((p[j] >= 'a' && p[j] <= 'z') ||
                            (p[j] >= '0' && p[j] <= '9') || p[j] == '_')) {
      ++j;
    }
    if (j < p.size() && p[j] == '}') {
      f(i, j + 1, p.substr(i + 1, j - i - 1));
      i = j;
    }
  }
}

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_LEXICON_H_

// HanConverter: Traditional <-> Simplified Chinese conversion from a table
// built out of ICU's own transliterator rules.
//
//   Result<HanConverter> t2s = HanConverter::FromIcu("Traditional-Simplified");
//   std::string s = t2s->Convert("怎麼還沒有物流信息");   // 怎么还没有物流信息
//
// ICU's Transliterator gives the reference answer but costs ~5 µs for a short
// message; this table gives the same output (tests compare the two on the
// whole dev set) at table-lookup cost. It keeps ICU's rule semantics: at each
// position the rules starting with that character are tried in ICU's order
// (phrases before single characters), a pre-context is checked against the
// text already converted and a post-context against the text ahead.
//
// Thread safety: immutable after construction; Convert is safe from any
// number of threads.
#ifndef REPLY_ENGINE_NORMALIZE_HAN_CONVERTER_H_
#define REPLY_ENGINE_NORMALIZE_HAN_CONVERTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/base/status.h"

namespace reply {

class HanConverter {
 public:
  // One rewrite rule "pre{key}post > output" of an ICU transliterator.
  struct Rule {
    std::u32string key;
    std::u32string output;
    // A context is either a set of characters (any one of them) or a literal
    // string; empty means "no context".
    std::u32string pre;
    bool pre_is_set = false;
    std::u32string post;
    bool post_is_set = false;
  };

  // `icu_id` is "Traditional-Simplified" or "Simplified-Traditional".
  static Result<HanConverter> FromIcu(const char* icu_id);
  // Builds from rule text in ICU's toRules() form; exposed for tests.
  static Result<HanConverter> FromRules(std::string_view rules);

  std::string Convert(std::string_view utf8) const;

  // Rules whose key starts with `c`, in ICU's order; nullptr when none.
  const std::vector<Rule>* RulesFor(char32_t c) const;

  // Length in code points of the key of the first rule of RulesFor(text[0])
  // that matches at text[0], or 0. `before` is the last converted character
  // (0 at the start). The output of the rule is stored in *output.
  size_t MatchAt(std::u32string_view text, char32_t before,
                 const std::u32string** output) const;

  // Characters a single-character rule changes and that no rule ever
  // produces: in the Traditional->Simplified direction these only occur in
  // Traditional text, so one of them marks a message as Traditional.
  const std::unordered_set<char32_t>& markers() const { return markers_; }

 private:
  std::unordered_map<char32_t, std::vector<Rule>> rules_;
  std::unordered_set<char32_t> markers_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_HAN_CONVERTER_H_

#include "engine/normalize/han_converter.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include "engine/base/utf8.h"

namespace reply {
namespace {

std::u32string ToU32(std::string_view utf8) {
  std::u32string out;
  size_t pos = 0;
  while (pos < utf8.size()) out.push_back(DecodeUtf8(utf8, &pos));
  return out;
}

// Parses "[abc]" or "[a-c]" into its characters.
bool ParseSet(std::u32string_view text, std::u32string* chars) {
  if (text.size() < 2 || text.front() != U'[' || text.back() != U']') {
    return false;
  }
  text = text.substr(1, text.size() - 2);
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && text[i + 1] == U'-') {
      for (char32_t c = text[i]; c <= text[i + 2]; ++c) chars->push_back(c);
      i += 2;
    } else {
      chars->push_back(text[i]);
    }
  }
  return true;
}

bool ParseContext(std::u32string_view text, std::u32string* chars,
                  bool* is_set) {
  if (text.empty()) return true;
  if (text.front() == U'[') {
    *is_set = true;
    return ParseSet(text, chars);
  }
  *is_set = false;
  chars->assign(text);
  return true;
}

bool HasSyntax(std::u32string_view text) {
  return text.find_first_of(U"$\\'{}[]|:;<>&") != std::u32string_view::npos;
}

}  // namespace

Result<HanConverter> HanConverter::FromIcu(const char* icu_id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(icu_id), UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) {
    return Status::Internal(std::string("ICU transliterator ") + icu_id +
                            " is unavailable: " + u_errorName(status));
  }
  icu::UnicodeString rules;
  t->toRules(rules, /*escapeUnprintable=*/false);
  std::string utf8;
  rules.toUTF8String(utf8);
  return FromRules(utf8);
}

Result<HanConverter> HanConverter::FromRules(std::string_view rules) {
  HanConverter converter;
  std::unordered_set<char32_t> produced;
  size_t line_no = 0;
  size_t start = 0;
  while (start < rules.size()) {
    size_t end = rules.find('\n', start);
    if (end == std::string_view::npos) end = rules.size();
    std::string_view line = rules.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.empty()) continue;
    const auto bad = [&](const char* why) {
      return Status::Internal("ICU rule " + std::to_string(line_no) + " \"" +
                              std::string(line) + "\": " + why);
    };
    const size_t arrow = line.find(" > ");
    if (arrow == std::string_view::npos || line.back() != ';') {
      return bad("expected \"key > output;\"");
    }
    const std::u32string lhs = ToU32(line.substr(0, arrow));
    const std::u32string rhs =
        ToU32(line.substr(arrow + 3, line.size() - arrow - 4));
    Rule rule;
    rule.output = rhs;
    const size_t open = lhs.find(U'{');
    if (open == std::u32string::npos) {
      rule.key = lhs;
      if (HasSyntax(rule.key)) return bad("unsupported rule syntax");
    } else {
      const size_t close = lhs.find(U'}', open);
      if (close == std::u32string::npos) return bad("unbalanced braces");
      rule.key = lhs.substr(open + 1, close - open - 1);
      if (!ParseContext(std::u32string_view(lhs).substr(0, open), &rule.pre,
                        &rule.pre_is_set) ||
          !ParseContext(std::u32string_view(lhs).substr(close + 1), &rule.post,
                        &rule.post_is_set) ||
          HasSyntax(rule.key)) {
        return bad("unsupported context syntax");
      }
    }
    if (rule.key.empty() || HasSyntax(rule.output)) {
      return bad("unsupported rule syntax");
    }
    for (char32_t c : rule.output) produced.insert(c);
    const bool single = rule.key.size() == 1 && rule.pre.empty() &&
                        rule.post.empty() && rule.output != rule.key;
    if (single) converter.markers_.insert(rule.key[0]);
    converter.rules_[rule.key[0]].push_back(std::move(rule));
  }
  for (auto it = converter.markers_.begin(); it != converter.markers_.end();) {
    it = produced.count(*it) ? converter.markers_.erase(it) : std::next(it);
  }
  return converter;
}

const std::vector<HanConverter::Rule>* HanConverter::RulesFor(
    char32_t c) const {
  auto it = rules_.find(c);
  return it == rules_.end() ? nullptr : &it->second;
}

size_t HanConverter::MatchAt(std::u32string_view text, char32_t before,
                             const std::u32string** output) const {
  const std::vector<Rule>* rules = RulesFor(text[0]);
  if (rules == nullptr) return 0;
  for (const Rule& rule : *rules) {
    if (text.substr(0, rule.key.size()) != rule.key) continue;
    if (!rule.pre.empty()) {
      // Only single-character pre-contexts occur in ICU's Han rules.
      const bool ok = rule.pre_is_set
                          ? rule.pre.find(before) != std::u32string::npos
                          : rule.pre.size() == 1 && rule.pre[0] == before;
      if (!ok) continue;
    }
    if (!rule.post.empty()) {
      const std::u32string_view ahead = text.substr(rule.key.size());
      const bool ok = rule.post_is_set
                          ? !ahead.empty() &&
                                rule.post.find(ahead[0]) != std::u32string::npos
                          : ahead.substr(0, rule.post.size()) == rule.post;
      if (!ok) continue;
    }
    *output = &rule.output;
    return rule.key.size();
  }
  return 0;
}

std::string HanConverter::Convert(std::string_view utf8) const {
  const std::u32string text = ToU32(utf8);
  std::string out;
  out.reserve(utf8.size());
  char32_t before = 0;
  for (size_t i = 0; i < text.size();) {
    const std::u32string* output = nullptr;
    const size_t used =
        MatchAt(std::u32string_view(text).substr(i), before, &output);
    if (used == 0) {
      AppendUtf8(text[i], &out);
      before = text[i];
      ++i;
      continue;
    }
    for (char32_t c : *output) AppendUtf8(c, &out);
    if (!output->empty()) before = output->back();
    i += used;
  }
  return out;
}

}  // namespace reply

#include "engine/pack/lexicon.h"

#include <re2/re2.h>

#include <algorithm>

#include "engine/base/did_you_mean.h"
#include "engine/match/pattern_set.h"
#include "engine/pack/pack_loader.h"

namespace reply {
namespace {

constexpr std::string_view kGroupPrefix = "reply_concept_";

RE2::Options ExplainOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(PatternSet::kMaxMemoryPerPattern);
  return options;
}

}  // namespace

bool Lexicon::Add(Concept c) {
  if (index_.count(c.name)) return false;
  index_.emplace(c.name, concepts_.size());
  concepts_.push_back(std::move(c));
  return true;
}

const Lexicon::Concept* Lexicon::Find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &concepts_[it->second];
}

bool Lexicon::Broken(std::string_view pattern) const {
  bool broken = false;
  ForEachReference(pattern, [&](size_t, size_t, std::string_view name) {
    const auto it = index_.find(name);
    broken |= it != index_.end() && concepts_[it->second].expansion.empty();
  });
  return broken;
}

std::string Lexicon::Suggestion(std::string_view name) const {
  std::vector<std::string_view> names;
  for (const Concept& c : concepts_) names.push_back(c.name);
  return DidYouMean(name, names);
}

std::string Lexicon::Substitute(std::string_view text,
                                std::vector<std::string>* unknown) const {
  std::string out;
  size_t done = 0;
  ForEachReference(text, [&](size_t begin, size_t end, std::string_view name) {
    out.append(text.substr(done, begin - done));
    done = end;
    const Concept* c = Find(name);
    if (c == nullptr) {
      unknown->emplace_back(name);
      return;
    }
    out += c->expansion;
  });
  out.append(text.substr(done));
  return out;
}

void Lexicon::Resolve(const Normalizer& normalizer,
                      std::vector<PackIssue>* issues) {
  state_.assign(concepts_.size(), 0);
  height_.assign(concepts_.size(), 1);
  for (size_t i = 0; i < concepts_.size(); ++i) {
    ResolveConcept(i, normalizer, issues);
  }
}

bool Lexicon::ResolveConcept(size_t index, const Normalizer& normalizer,
                             std::vector<PackIssue>* issues) {
  Concept& c = concepts_[index];
  if (state_[index] == 2) return true;
  if (state_[index] == 3) return false;
  if (state_[index] == 1) return false;  // the caller reports the cycle
  state_[index] = 1;
  bool ok = true;
  for (const Entry& e : c.entries) {
    // The concepts this entry uses come first.
    ForEachReference(e.text, [&](size_t, size_t, std::string_view name) {
      const auto it = index_.find(name);
      if (it == index_.end()) {
        issues->push_back({e.where.file, e.where.line,
                           "concept '" + c.name + "': entry '" + e.text +
                               "' uses an unknown concept {" +
                               std::string(name) + "}" + Suggestion(name)});
        ok = false;
        return;
      }
      if (state_[it->second] == 1) {
        issues->push_back(
            {e.where.file, e.where.line,
             "concept '" + c.name + "': entry '" + e.text + "' uses {" +
                 std::string(name) + "}, which uses '" + c.name +
                 "' again (a cycle): a concept cannot contain itself"});
        ok = false;
        return;
      }
      if (!ResolveConcept(it->second, normalizer, issues)) {
        ok = false;
        return;
      }
      const int height = 1 + height_[it->second];
      if (height > kMaxDepth) {
        issues->push_back({e.where.file, e.where.line,
                           "concept '" + c.name + "': entry '" + e.text +
                               "' nests concepts " + std::to_string(height) +
                               " deep through {" + std::string(name) +
                               "}; at most " + std::to_string(kMaxDepth) +
                               ": write the inner concepts' words here"});
        ok = false;
        return;
      }
      height_[index] = std::max(height_[index], height);
    });
  }
  if (!ok) {
    state_[index] = 3;
    return false;
  }
  std::string expansion = "(?:";
  for (size_t i = 0; i < c.entries.size(); ++i) {
    const Entry& e = c.entries[i];
    std::vector<std::string> unknown;  // none: checked above
    const std::string expanded = Substitute(e.text, &unknown);
    const std::string folded = normalizer.FoldPattern(expanded);
    if (folded.empty()) {
      issues->push_back({e.where.file, e.where.line,
                         "concept '" + c.name + "': entry '" + e.text +
                             "' is empty once spaces and punctuation are "
                             "removed"});
      ok = false;
      continue;
    }
    const RE2 re(folded, ExplainOptions());
    if (!re.ok()) {
      issues->push_back({e.where.file, e.where.line,
                         "concept '" + c.name + "': entry '" + e.text +
                             "': " + re.error() +
                             " (an entry is an RE2 fragment on its own: "
                             "balance its parentheses)"});
      ok = false;
      continue;
    }
    if (i > 0) expansion += "|";
    expansion += expanded;
  }
  expansion += ")";
  if (!ok) {
    state_[index] = 3;
    return false;
  }
  c.expansion = std::move(expansion);
  state_[index] = 2;
  return true;
}

Result<std::string> Lexicon::Expand(std::string_view pattern) const {
  std::vector<std::string> unknown;
  std::string out = Substitute(pattern, &unknown);
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& n : unknown) {
      if (!names.empty()) names += ", ";
      names += "{" + n + "}";
    }
    return Status::PackError(
        "unknown concept " + names + Suggestion(unknown.front()) +
        (concepts_.empty() ? "; concepts are defined under 'concepts:' in "
                             "intents/<locale>/lexicon.yaml"
                           : ""));
  }
  return out;
}

void Lexicon::MarkUsed(std::string_view pattern) {
  std::vector<size_t> stack;
  ForEachReference(pattern, [&](size_t, size_t, std::string_view name) {
    if (const auto it = index_.find(name); it != index_.end()) {
      stack.push_back(it->second);
    }
  });
  while (!stack.empty()) {
    Concept& c = concepts_[stack.back()];
    stack.pop_back();
    if (c.used) continue;
    c.used = true;
    for (const Entry& e : c.entries) {
      ForEachReference(e.text, [&](size_t, size_t, std::string_view name) {
        if (const auto it = index_.find(name); it != index_.end()) {
          stack.push_back(it->second);
        }
      });
    }
  }
}

std::vector<Lexicon::EntryMatch> Lexicon::MatchedEntries(
    std::string_view pattern, std::string_view text, size_t begin,
    const Normalizer& normalizer, size_t end) const {
  // The pattern with each reference as a named capturing group.
  std::string capturing;
  std::vector<const Concept*> refs;
  size_t done = 0;
  ForEachReference(pattern, [&](size_t b, size_t e, std::string_view name) {
    capturing.append(pattern.substr(done, b - done));
    done = e;
    const Concept* c = Find(name);
    if (c == nullptr || c->expansion.empty()) {
      capturing.append(pattern.substr(b, e - b));
      return;
    }
    capturing += "(?P<" + std::string(kGroupPrefix) +
                 std::to_string(refs.size()) + ">" + c->expansion + ")";
    refs.push_back(c);
  });
  capturing.append(pattern.substr(done));
  std::vector<EntryMatch> out;
  if (refs.empty()) return out;
  const RE2 re(normalizer.FoldPattern(capturing), ExplainOptions());
  if (!re.ok()) return out;
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> match(groups + 1);
  const bool bounded = end != std::string_view::npos;
  if (!re.Match(text, begin, bounded ? end : text.size(),
                bounded ? RE2::ANCHOR_BOTH : RE2::ANCHOR_START, match.data(),
                groups + 1)) {
    return out;
  }
  for (const auto& [name, group] : re.NamedCapturingGroups()) {
    if (!name.starts_with(kGroupPrefix)) continue;
    const size_t ref = std::stoul(name.substr(kGroupPrefix.size()));
    const re2::StringPiece& span = match[group];
    if (span.data() == nullptr) continue;  // took no part in the match
    EntryMatch m;
    m.name = refs[ref]->name;
    m.begin = span.data() - text.data();
    m.end = m.begin + span.size();
    const std::vector<Entry>& entries = refs[ref]->entries;
    for (size_t i = 0; i < entries.size() && m.entry < 0; ++i) {
      std::vector<std::string> unknown;
      const RE2 entry(
          normalizer.FoldPattern(Substitute(entries[i].text, &unknown)),
          ExplainOptions());
      if (entry.ok() &&
          entry.Match(text, m.begin, m.end, RE2::ANCHOR_BOTH, nullptr, 0)) {
        m.entry = static_cast<int>(i);
        m.inner =
            MatchedEntries(entries[i].text, text, m.begin, normalizer, m.end);
      }
    }
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const EntryMatch& a, const EntryMatch& b) {
              return a.begin < b.begin;
            });
  return out;
}

}  // namespace reply

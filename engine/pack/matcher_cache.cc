#include "engine/pack/matcher_cache.h"

#include <cstring>
#include <map>
#include <mutex>

#include "engine/pack/pack.h"

namespace reply {
namespace {

std::mutex cache_mu;
// Entries of matchers no snapshot uses any more are dropped on the next
// Keep; a process holds a few locales' worth at most.
std::map<std::string, std::weak_ptr<const IntentMatcher>>& Entries() {
  static auto* entries =
      new std::map<std::string, std::weak_ptr<const IntentMatcher>>;
  return *entries;
}

void Append(std::string* key, std::string_view field) {
  *key += std::to_string(field.size());
  *key += ':';
  key->append(field);
}

}  // namespace

std::string MatcherKey(const std::vector<int>& priorities,
                       const std::vector<const PatternDecl*>& patterns) {
  std::string key;
  for (int priority : priorities) Append(&key, std::to_string(priority));
  key += '|';
  for (const PatternDecl* p : patterns) {
    char score[sizeof(double)];
    std::memcpy(score, &p->score, sizeof score);
    Append(&key, std::to_string(p->intent));
    Append(&key, p->kind == PatternKind::kMatch     ? "m"
                 : p->kind == PatternKind::kExclude ? "x"
                                                    : "k");
    Append(&key, std::string_view(score, sizeof score));
    Append(&key, p->folded);
  }
  return key;
}

std::shared_ptr<const IntentMatcher> MatcherCache::Find(
    const std::string& key) {
  std::lock_guard<std::mutex> lock(cache_mu);
  auto it = Entries().find(key);
  return it == Entries().end() ? nullptr : it->second.lock();
}

void MatcherCache::Keep(const std::string& key,
                        const std::shared_ptr<const IntentMatcher>& matcher) {
  std::lock_guard<std::mutex> lock(cache_mu);
  auto& entries = Entries();
  for (auto it = entries.begin(); it != entries.end();) {
    it = it->second.expired() ? entries.erase(it) : std::next(it);
  }
  entries[key] = matcher;
}

}  // namespace reply

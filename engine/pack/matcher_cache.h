// MatcherCache: the compiled intent matchers of the packs a process has
// loaded, shared with a later load of the same patterns.
//
//   std::shared_ptr<const IntentMatcher> m = MatcherCache::Find(key);
//   if (!m) { ...build and Compile...; MatcherCache::Keep(key, m); }
//
// Compiling a locale's patterns is most of a pack load (1.9 of 3.2 G
// instructions of LoadPack for the bundled packs, docs/benchmarks.md
// "Loading the packs"), and most reloads do not change them: a template
// author saves a reply, a shop file or another locale's intents. The key is
// everything an IntentMatcher is built from (MatcherKey), so a hit is the
// matcher the load would have compiled, pattern ids included.
//
// The cache holds weak references: a matcher lives as long as a snapshot
// that uses it (the one being served while its replacement loads, or a
// test process's shared packs), and an unchanged locale's matcher is shared
// by both snapshots instead of compiled twice.
//
// Thread safety: Find and Keep are safe from any number of threads (loads
// on several threads at once may each compile the same key; the last Keep
// wins, and both results are equal).
#ifndef REPLY_ENGINE_PACK_MATCHER_CACHE_H_
#define REPLY_ENGINE_PACK_MATCHER_CACHE_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/match/intent_matcher.h"

namespace reply {

struct PatternDecl;

// The cache key of a matcher of `patterns` (in id order) for intents of
// `priorities`: every input to IntentMatcher, length-prefixed.
std::string MatcherKey(const std::vector<int>& priorities,
                       const std::vector<const PatternDecl*>& patterns);

class MatcherCache {
 public:
  // The live matcher compiled for `key`, or null.
  static std::shared_ptr<const IntentMatcher> Find(const std::string& key);
  // Offers `matcher` (compiled, every pattern accepted) to later loads.
  static void Keep(const std::string& key,
                   const std::shared_ptr<const IntentMatcher>& matcher);
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_MATCHER_CACHE_H_

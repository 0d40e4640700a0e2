// LoadPack: reads a pack directory into an immutable Pack, or explains every
// problem it found, each with its file and line.
//
//   std::vector<PackIssue> issues;
//   Result<std::shared_ptr<const Pack>> pack =
//       LoadPack("packs/", *normalizer, &issues);
//   if (!pack.ok())
//     for (auto& i : issues) std::cerr << i.ToString() << "\n";
//   // intents/zh/shipping.yaml:14: pattern: missing ) at end of pattern
//
// Layout of a pack directory (docs/authoring.md has the formats):
//   shop.yaml                  the shop policy
//   intents/<locale>/*.yaml    intents: patterns, excludes, examples
//   templates/<locale>/*.yaml  reply variants of one intent per file
//   shops/<id>.yaml            optional: one shop each, its policy over
//                              shop.yaml's and its own reply texts
//
// Nothing half-loaded is ever returned: any error fails the whole load.
//
// Limits: files up to kMaxFileBytes, up to kMaxPatterns patterns per locale.
//
// Thread safety: a pure function; concurrent loads do not interfere.
#ifndef REPLY_ENGINE_PACK_PACK_LOADER_H_
#define REPLY_ENGINE_PACK_PACK_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack.h"

namespace reply {

inline constexpr size_t kMaxFileBytes = 4 << 20;
inline constexpr size_t kMaxPatterns = 50000;

struct PackIssue {
  std::string file;  // relative to the pack directory
  int line = 0;      // 0 when the problem is the file as a whole
  std::string message;
  // "intents/zh/shipping.yaml:14: pattern: missing )"
  std::string ToString() const;
};

Result<std::shared_ptr<const Pack>> LoadPack(const std::string& dir,
                                             const Normalizer& normalizer,
                                             std::vector<PackIssue>* issues);

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_PACK_LOADER_H_

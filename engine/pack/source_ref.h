// SourceRef: where something of a pack is written, "intents/zh/x.yaml:12",
// so that every error and every explanation can point an author at it.
//
// Thread safety: a plain value.
#ifndef REPLY_ENGINE_PACK_SOURCE_REF_H_
#define REPLY_ENGINE_PACK_SOURCE_REF_H_

#include <string>

namespace reply {

struct SourceRef {
  std::string file;  // relative to the pack directory
  int line = 0;      // 1-based
  std::string ToString() const { return file + ":" + std::to_string(line); }
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_SOURCE_REF_H_

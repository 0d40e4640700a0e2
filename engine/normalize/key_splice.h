// KeySplice: rewrites spans of a normalized key (NormalizedText) while
// keeping its offsets pointing at the buyer's own characters. The pack's
// word tables (Abbreviations, DialectWords) find what to replace; this is
// the one place that writes the new key and its offsets.
//
//   KeySplice splice(*key, &buffer);
//   splice.Replace(i, j, "khong");  // key->text[i, j) becomes "khong"
//   splice.Finish(key);             // no-op when nothing was replaced
//
// Spans are replaced left to right and must not overlap. Every byte of a
// replacement maps to the whole source span of the bytes it replaced;
// bytes left alone keep theirs. A key without offsets (Normalize without
// with_offsets) gets none.
//
// Thread safety: a KeySplice is used by one thread for one key; `buffer`
// is the caller's (a thread_local one spares an allocation per message).
#ifndef REPLY_ENGINE_NORMALIZE_KEY_SPLICE_H_
#define REPLY_ENGINE_NORMALIZE_KEY_SPLICE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/normalize/normalizer.h"

namespace reply {

class KeySplice {
 public:
  KeySplice(const NormalizedText& key, std::string* buffer)
      : key_(key),
        out_(*buffer),
        offsets_(!key.text.empty() &&
                 key.source_begin.size() == key.text.size()) {
    out_.clear();
  }
  KeySplice(const KeySplice&) = delete;
  KeySplice& operator=(const KeySplice&) = delete;

  // Replaces key.text[i, j) with `replacement`; returns where the
  // replacement starts in the new text (it ends at size()).
  size_t Replace(size_t i, size_t j, std::string_view replacement);

  // Bytes of the new text written so far.
  size_t size() const { return out_.size(); }

  // Moves the new text and offsets into *key (the key given to the
  // constructor), unless nothing was replaced.
  void Finish(NormalizedText* key);

 private:
  const NormalizedText& key_;
  std::string& out_;
  const bool offsets_;
  std::vector<uint32_t> begin_, end_;
  size_t copied_ = 0;  // key_.text[0, copied_) is in out_
  bool replaced_ = false;
};

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_KEY_SPLICE_H_

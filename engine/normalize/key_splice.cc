#include "engine/normalize/key_splice.h"

namespace reply {

size_t KeySplice::Replace(size_t i, size_t j, std::string_view replacement) {
  const std::string& text = key_.text;
  out_.append(text, copied_, i - copied_);
  const size_t at = out_.size();
  out_ += replacement;
  if (offsets_) {
    begin_.insert(begin_.end(), key_.source_begin.begin() + copied_,
                  key_.source_begin.begin() + i);
    end_.insert(end_.end(), key_.source_end.begin() + copied_,
                key_.source_end.begin() + i);
    begin_.resize(out_.size(), key_.source_begin[i]);
    end_.resize(out_.size(), key_.source_end[j - 1]);
  }
  copied_ = j;
  replaced_ = true;
  return at;
}

void KeySplice::Finish(NormalizedText* key) {
  if (!replaced_) return;
  out_.append(key_.text, copied_);
  if (offsets_) {
    begin_.insert(begin_.end(), key_.source_begin.begin() + copied_,
                  key_.source_begin.end());
    end_.insert(end_.end(), key_.source_end.begin() + copied_,
                key_.source_end.end());
    key->source_begin = std::move(begin_);
    key->source_end = std::move(end_);
  }
  key->text.swap(out_);
}

}  // namespace reply

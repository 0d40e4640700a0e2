// Cantonese characters: the Han characters that only written Cantonese uses
// (冇, 唔, 咗, 嘅, 喺, 啲...), so that a message with one is Hong Kong
// Cantonese, whatever else it says.
//
//   if (HasCantoneseCharacter(message)) ...   // 收唔到: yes; 没收到: no
//
// One list for the two things that need it: the region a Traditional reply
// is written for (GuessRegion, chinese_region.h) and the messages a
// Cantonese word table rewrites (DialectWords, dialect_words.h), which
// reads it from NormalizedText::cantonese: the normalizer's character
// table flags these characters, so a message is not scanned again. The
// Traditional-to-Simplified conversion changes none of the characters but
// 搵 (揾), which the list has in both forms, so it holds for a message and
// for its normalized key alike. Characters Mandarin also writes (係 in 關係,
// 細 in 細節, 仲 in 仲裁, 未, 俾, 邊) are not on it: they say nothing about
// the dialect.
//
// Thread safety: free functions over an immutable table.
#ifndef REPLY_ENGINE_NORMALIZE_CANTONESE_H_
#define REPLY_ENGINE_NORMALIZE_CANTONESE_H_

#include <string_view>

namespace reply {

// True for the Cantonese characters: 冇 唔 咗 嘅 喺 啲 嘢 哋 乜 佢 畀 睇 攞 嚟
// 噉 嗰 咁 㗎 啱 搵 (揾 once normalized).
bool IsCantoneseCharacter(char32_t c);

// True when `text` (valid UTF-8) has one of them.
bool HasCantoneseCharacter(std::string_view text);

}  // namespace reply

#endif  // REPLY_ENGINE_NORMALIZE_CANTONESE_H_

#include "learn/edit_diff.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "engine/base/utf8.h"

namespace reply::learn {
namespace {

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FFFF);
}

// Spaces and punctuation, ASCII and CJK (full-width forms, 、。「」…).
bool IsFiller(char32_t c) {
  if (c < 0x80)
    return !(std::isalnum(static_cast<int>(c)) || c == '{' || c == '}');
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65) || (c >= 0x2000 && c <= 0x206F);
}

// A character (Chinese) or a word (other texts) of the source text, by
// its bytes; spaces and punctuation are no tokens, so they never anchor a
// match that would split one rewritten phrase in two.
struct Token {
  std::string_view text;
  size_t begin;
  size_t end;
};

std::vector<Token> Tokenize(std::string_view text, bool by_char) {
  std::vector<Token> out;
  size_t pos = 0;
  size_t word = std::string_view::npos;  // start of the word being read
  const auto flush = [&](size_t end) {
    if (word != std::string_view::npos) {
      out.push_back({text.substr(word, end - word), word, end});
    }
    word = std::string_view::npos;
  };
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    if (IsFiller(c)) {
      flush(start);
    } else if (by_char) {
      out.push_back({text.substr(start, pos - start), start, pos});
    } else if (word == std::string_view::npos) {
      word = start;
    }
  }
  flush(text.size());
  return out;
}

// Tokens [begin, end) as they are written in `source`, the spaces and
// punctuation between them included; "" for none.
std::string Phrase(std::string_view source, const std::vector<Token>& tokens,
                   size_t begin, size_t end) {
  if (begin >= end) return "";
  return std::string(source.substr(tokens[begin].begin,
                                   tokens[end - 1].end - tokens[begin].begin));
}

}  // namespace

EditPhrases DiffPhrases(std::string_view suggested, std::string_view final) {
  bool han = false;
  for (size_t pos = 0; pos < suggested.size() && !han;) {
    han = IsHan(DecodeUtf8(suggested, &pos));
  }
  const std::vector<Token> a = Tokenize(suggested, han);
  const std::vector<Token> b = Tokenize(final, han);
  EditPhrases out;
  const auto add = [](std::vector<std::string>* to, std::string phrase) {
    if (!phrase.empty()) to->push_back(std::move(phrase));
  };
  if (a.size() > kMaxTokens || b.size() > kMaxTokens) {
    add(&out.deleted, Phrase(suggested, a, 0, a.size()));
    add(&out.added, Phrase(final, b, 0, b.size()));
    return out;
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const size_t n = a.size(), m = b.size();
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [&](size_t i, size_t j) -> uint32_t& {
    return lcs[i * (m + 1) + j];
  };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      at(i, j) = a[i].text == b[j].text ? at(i + 1, j + 1) + 1
                                        : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  // Walk the common subsequence; between two kept tokens, what only one
  // side has is a deleted or an added run.
  size_t i = 0, j = 0, del_from = 0, add_from = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i].text == b[j].text) {
      add(&out.deleted, Phrase(suggested, a, del_from, i));
      add(&out.added, Phrase(final, b, add_from, j));
      del_from = ++i;
      add_from = ++j;
    } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
      ++i;
    } else {
      ++j;
    }
  }
  add(&out.deleted, Phrase(suggested, a, del_from, n));
  add(&out.added, Phrase(final, b, add_from, m));
  return out;
}

}  // namespace reply::learn

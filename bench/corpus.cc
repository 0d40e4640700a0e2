#include "bench/corpus.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <fstream>
#include <memory>
#include <random>
#include <unordered_set>

#include "engine/base/utf8.h"
#include "engine/pack/pack_loader.h"

// GCC 12 at -O3 misreports "(" + s + ... in GeneratePatterns (-Wrestrict,
// GCC bug 105329), which -DREPLY_WERROR=ON would fail on. The expressions
// stay as they are: rewriting them could change the order of the random
// draws, and so the benchmark corpus.
#pragma GCC diagnostic ignored "-Wrestrict"

namespace reply::bench {
namespace {

std::vector<std::u32string> Decoded(const std::vector<std::string>& texts) {
  std::vector<std::u32string> out;
  for (const std::string& t : texts) {
    std::u32string u;
    size_t pos = 0;
    while (pos < t.size()) u.push_back(DecodeUtf8(t, &pos));
    out.push_back(std::move(u));
  }
  return out;
}

std::string Encode(std::u32string_view u) {
  std::string out;
  for (char32_t c : u) AppendUtf8(c, &out);
  return out;
}

}  // namespace

std::vector<std::string> DevMessages() {
  std::vector<std::string> messages;
  std::ifstream in(REPLY_EVAL_DIR "/ecd_buyer_messages.tsv");
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.rfind('\t');
    if (tab != std::string::npos && tab > 0) {
      messages.push_back(line.substr(0, tab));
    }
  }
  return messages;
}

std::vector<std::string> UnseenMessages(size_t count, unsigned seed,
                                        size_t min_chars) {
  return UnseenMessagesFrom(DevMessages(), count, seed, min_chars);
}

std::vector<std::string> VietnameseMessages(const std::string& pack_dir) {
  Result<const Normalizer*> normalizer = Normalizer::Shared();
  std::vector<std::string> out;
  if (!normalizer.ok()) return out;
  std::vector<PackIssue> issues;
  Result<std::shared_ptr<const Pack>> pack =
      LoadPack(pack_dir, **normalizer, &issues);
  if (!pack.ok() || (*pack)->Find("vi") == nullptr) return out;
  // Typed without diacritics, case and punctuation kept (ICU, so that the
  // stream does not depend on the normalizer being measured).
  UErrorCode status = U_ZERO_ERROR;
  UParseError error;
  std::unique_ptr<icu::Transliterator> strip(
      icu::Transliterator::createFromRules(
          "strip",
          ":: NFD; :: [:Nonspacing Mark:] Remove; :: NFC; đ > d; Đ > D;",
          UTRANS_FORWARD, error, status));
  if (U_FAILURE(status)) return out;
  const auto plain = [&](const std::string& m) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(m);
    strip->transliterate(u);
    std::string text;
    return u.toUTF8String(text);
  };
  // Teencode: a few common shortenings, word by word.
  const std::vector<std::pair<std::string, std::string>> teencode = {
      {"không", "ko"},    {"khong", "k"},  {"được", "dc"}, {"duoc", "đc"},
      {"sản phẩm", "sp"}, {"chưa", "chx"}, {"rồi", "r"},   {"vậy", "v"}};
  for (const IntentDef& intent : (*pack)->Find("vi")->intents) {
    for (const auto* list : {&intent.examples, &intent.counter_examples}) {
      for (const std::string& m : *list) {
        out.push_back(m);
        out.push_back(plain(m));
        std::string p = m;
        for (const auto& [full, short_form] : teencode) {
          for (size_t at = p.find(full); at != std::string::npos;
               at = p.find(full, at + short_form.size())) {
            p.replace(at, full.size(), short_form);
          }
        }
        out.push_back(p);
      }
    }
  }
  return out;
}

std::vector<std::string> UnseenMessagesFrom(
    const std::vector<std::string>& base, size_t count, unsigned seed,
    size_t min_chars) {
  const std::vector<std::u32string> dev = Decoded(base);
  if (dev.size() < 2) return {};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, dev.size() - 1);
  std::unordered_set<std::string> seen;
  std::vector<std::string> out;
  out.reserve(count);
  while (out.size() < count) {
    const std::u32string& a = dev[pick(rng)];
    const size_t cut_a =
        std::uniform_int_distribution<size_t>(1, a.size())(rng);
    std::u32string spliced = a.substr(0, cut_a);
    do {
      const std::u32string& b = dev[pick(rng)];
      const size_t cut_b =
          std::uniform_int_distribution<size_t>(0, b.size() - 1)(rng);
      spliced += b.substr(cut_b);
    } while (spliced.size() < min_chars);
    if (spliced.size() > 60) spliced.resize(60);
    std::string text = Encode(spliced);
    if (seen.insert(text).second) out.push_back(std::move(text));
  }
  return out;
}

std::vector<std::string> GeneratePatterns(size_t count, unsigned seed) {
  const std::vector<std::u32string> dev = Decoded(DevMessages());
  std::mt19937 rng(seed);
  // Vocabulary: one- and two-character pieces of the dev set.
  std::vector<std::u32string> words;
  for (const auto& m : dev) {
    for (size_t i = 0; i + 2 <= m.size(); i += 2)
      words.push_back(m.substr(i, 2));
    for (size_t i = 0; i < m.size(); i += 7) words.push_back(m.substr(i, 1));
  }
  std::uniform_int_distribution<size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> shape(0, 4);
  std::uniform_int_distribution<int> gap(2, 8);
  const auto w = [&] { return Encode(words[pick(rng)]); };
  std::vector<std::string> patterns;
  while (patterns.size() < count) {
    switch (shape(rng)) {
      case 0:
        patterns.push_back(w() + ".{0," + std::to_string(gap(rng)) + "}" + w());
        break;
      case 1:
        patterns.push_back("(" + w() + "|" + w() + ")" + w());
        break;
      case 2:
        patterns.push_back("(" + w() + "|" + w() + ").{0," +
                           std::to_string(gap(rng)) + "}(" + w() + "|" + w() +
                           ")" + w());
        break;
      case 3:
        patterns.push_back(w() + w() + "(" + w() + ")?");
        break;
      default:
        patterns.push_back(w() + ".{0," + std::to_string(gap(rng)) + "}" + w() +
                           ".{0,4}" + w());
        break;
    }
  }
  return patterns;
}

}  // namespace reply::bench

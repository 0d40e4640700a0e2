#include "tools/lint/style_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "engine/base/utf8.h"
#include "engine/normalize/normalizer.h"
#include "tools/lint/style_book.h"
#include "tools/lint/text_locator.h"

namespace reply::lint {
namespace {

constexpr StyleRule kRules[] = {
    {"polite_address", "zh vi",
     "address the buyer politely: a zh reply says 亲 or 您; a vi reply says "
     "anh/chị, bạn or quý khách (seed 004 售中话术规范 rules 1, 12)"},
    {"informal_you", "zh vi",
     "never the familiar or rude pronoun: 您, not 你, in zh; no mày/tao in "
     "vi (seed 004: 对顾客的语气一定要恭敬)"},
    {"min_length", "zh vi",
     "no curt replies: at least 10 Chinese characters (zh) or 8 words (vi) "
     "besides placeholders; never a bare 哦/嗯/好的 (seed 004 rule 18, seed "
     "002 反面处理回复 催一下)"},
    {"uncertain_phrase", "zh vi",
     "no uncertain answers such as 应该是吧, 可能吧, 我也不知道, 不知道, "
     "不清楚 "
     "(vi: em không biết, chắc vậy): find out and say so (seed 004 rule 19)"},
    {"rude_phrase", "zh vi",
     "nothing rude or dismissive: 别BB, 催什么, 急什么, 我又不是送快递的, "
     "关我什么事, "
     "好吧, 爱买不买... (seed 002 错误回复; vi: đừng hối, không phải việc của "
     "shop...)"},
    {"final_particle", "zh",
     "a sentence does not end with 啊 or 啦 (seed 004 rule 18); 哦, 呢, 呀 are "
     "fine"},
    {"gift_promise", "zh vi",
     "no gift, coupon, cash-back or free-shipping promise the shop policy "
     "does not state: 红包, 返现, 优惠券, 小礼品, 送您, 加送, 包邮... (vi: "
     "tặng, "
     "quà, voucher, mã giảm giá...) (seed 004 rules 20 and 议价: "
     "客服不要主动提出"
     "赠送); allowed right after a negation (不能/无法/没办法/不会..., vi: "
     "không thể/không có...)"},
    {"money_literal", "zh vi",
     "no amount of money or percentage written into a template (5元, ¥10, "
     "5%, 20.000đ): amounts come from placeholders ({{facts.compensation}}, "
     "{{order.amount}}, {{shop.compensation_percent}}) so they follow the "
     "policy and the order"},
    {"compensation_amount", "zh vi",
     "a reply that offers compensation (补偿/赔偿/赔付; vi: bồi thường/đền bù) "
     "quotes {{facts.compensation}}: the shop compensates only what seed 001 "
     "states, 5% of the amount within its minimum and maximum"},
    {"delivery_guarantee", "zh vi",
     "never guarantee a delivery date the shop cannot keep: 保证明天到, "
     "一定能收到, 肯定今天送到 (vi: chắc chắn nhận được...); say the arrival "
     "depends on the carrier; allowed right after a negation (没法保证哪天到)"},
    {"simplified_text", "zh",
     "zh replies are written in Simplified Chinese; buyers who write "
     "Traditional get them converted, so Traditional-only characters in a "
     "template would reach Simplified buyers as they are"},
    {"vi_diacritics", "vi",
     "Vietnamese replies are written with their diacritics (Dạ, shop xin "
     "lỗi...), not as bare ASCII"},
};

bool RuleApplies(const StyleRule& rule, std::string_view locale) {
  std::string_view list = rule.locales;
  while (!list.empty()) {
    const size_t space = list.find(' ');
    if (list.substr(0, space) == locale) return true;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return false;
}

// One line of template text with its Mustache tags taken out: section tags
// vanish, a quoted placeholder becomes "{}" (no letters, no digits).
std::string StripTags(std::string_view line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    const size_t open = line.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(line.substr(i));
      break;
    }
    out.append(line.substr(i, open - i));
    const size_t close = line.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(line.substr(open));
      break;
    }
    const char kind = open + 2 < line.size() ? line[open + 2] : '\0';
    if (kind != '#' && kind != '/' && kind != '^' && kind != '!') out += "{}";
    i = close + 2;
    if (i < line.size() && line[i] == '}') ++i;  // {{{x}}}
  }
  return out;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    out.emplace_back(
        text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

// Letters of Latin script, with or without diacritics.
bool IsLatinLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x1E00 && c <= 0x1EFF);
}

// The (up to) `n` code points of `text` that end at byte `end`.
std::string_view Before(std::string_view text, size_t end, int n) {
  size_t begin = end;
  for (int k = 0; k < n && begin > 0; ++k) {
    do {
      --begin;
    } while (begin > 0 &&
             (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80);
  }
  return text.substr(begin, end - begin);
}

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

class Checker {
 public:
  Checker(const StyleBook& book, std::string_view locale,
          std::string_view source)
      : locale_(locale), book_(book) {
    for (const std::string& line : Lines(source))
      stripped_.push_back(StripTags(line));
    for (const std::string& line : stripped_) {
      if (!whole_.empty()) whole_ += "\n";
      whole_ += line;
    }
    quotes_compensation_ =
        source.find("facts.compensation") != std::string_view::npos;
  }

  std::vector<StyleViolation> Run() {
    for (const StyleRule& rule : kRules) {
      if (!RuleApplies(rule, locale_)) continue;
      const std::string_view id = rule.id;
      if (id == "polite_address") PoliteAddress(rule);
      if (id == "informal_you") Informal(rule);
      if (id == "min_length") MinLength(rule);
      const RE2* negation = book_.Pattern(locale_, "negation");
      if (id == "uncertain_phrase" || id == "rude_phrase" ||
          id == "money_literal") {
        Phrases(rule, book_.Phrases(locale_, id), nullptr);
      }
      if (id == "final_particle") FinalParticle(rule);
      if (id == "gift_promise" || id == "delivery_guarantee" ||
          (id == "compensation_amount" && !quotes_compensation_)) {
        Phrases(rule, book_.Phrases(locale_, id), negation);
      }
      if (id == "simplified_text") Simplified(rule);
      if (id == "vi_diacritics") Diacritics(rule);
    }
    return std::move(out_);
  }

 private:
  bool zh() const { return locale_ == "zh"; }

  void Add(const StyleRule& rule, int line, std::string message) {
    out_.push_back({rule.id, line, std::move(message)});
  }

  void PoliteAddress(const StyleRule& rule) {
    const RE2* re = book_.Pattern(locale_, rule.id);
    if (re != nullptr && !RE2::PartialMatch(whole_, *re)) {
      Add(rule, 1,
          zh() ? "the reply never addresses the buyer as 亲 or 您"
               : "the reply never addresses the buyer as anh/chị, bạn or quý "
                 "khách");
    }
  }

  void Informal(const StyleRule& rule) {
    const RE2* re = book_.Pattern(locale_, rule.id);
    if (re == nullptr) return;
    for (size_t i = 0; i < stripped_.size(); ++i) {
      re2::StringPiece m;
      if (re->Match(stripped_[i], 0, stripped_[i].size(), RE2::UNANCHORED, &m,
                    1)) {
        Add(rule, static_cast<int>(i) + 1,
            "familiar pronoun " + Quote(m) +
                (zh() ? ": write 您" : ": write anh/chị or quý khách"));
      }
    }
  }

  void MinLength(const StyleRule& rule) {
    if (zh()) {
      size_t count = 0, pos = 0;
      while (pos < whole_.size()) {
        const char32_t c = DecodeUtf8(whole_, &pos);
        if (IsHan(c)) ++count;
      }
      if (count < 10) {
        Add(rule, 1,
            "only " + std::to_string(count) +
                " Chinese characters: a curt reply; write a full sentence (at "
                "least 10)");
      }
      return;
    }
    const size_t words = Words().size();
    if (words < 8) {
      Add(rule, 1,
          "only " + std::to_string(words) +
              " words: a curt reply; write a full sentence (at least 8 words)");
    }
  }

  // Latin words of the text (runs of letters), placeholders excluded.
  std::vector<std::string> Words() const {
    std::vector<std::string> words;
    std::string current;
    size_t pos = 0;
    while (pos <= whole_.size()) {
      char32_t c = 0;
      if (pos < whole_.size()) {
        c = DecodeUtf8(whole_, &pos);
      } else {
        ++pos;
      }
      if (c != 0 && (IsLatinLetter(c) || (c >= 0x300 && c <= 0x36F))) {
        AppendUtf8(c, &current);
      } else if (!current.empty()) {
        words.push_back(std::move(current));
        current.clear();
      }
    }
    return words;
  }

  // Every match of every phrase, line by line; with `negation`, a match right
  // after a negation (within the 6 characters before it) is allowed.
  void Phrases(const StyleRule& rule, std::span<const StylePhrase> phrases,
               const RE2* negation) {
    for (size_t i = 0; i < stripped_.size(); ++i) {
      const std::string& line = stripped_[i];
      for (const StylePhrase& p : phrases) {
        size_t from = 0;
        re2::StringPiece m;
        while (from <= line.size() &&
               p.re->Match(line, from, line.size(), RE2::UNANCHORED, &m, 1)) {
          const size_t begin = m.data() - line.data();
          from = begin + std::max<size_t>(m.size(), 1);
          if (negation != nullptr) {
            const std::string_view before = Before(line, begin, 6);
            if (zh() ? RE2::PartialMatch(before, *negation)
                     : RE2::PartialMatch(Before(line, begin, 24), *negation)) {
              continue;
            }
          }
          std::string what(m);
          // Trim the boundary characters the Latin patterns consume.
          while (!what.empty() && (what.front() == ' ' || what.front() == ','))
            what.erase(0, 1);
          Add(rule, static_cast<int>(i) + 1, p.reason + ": " + Quote(what));
        }
      }
    }
  }

  void FinalParticle(const StyleRule& rule) {
    const RE2* re = book_.Pattern(locale_, rule.id);
    if (re == nullptr) return;
    for (size_t i = 0; i < stripped_.size(); ++i) {
      re2::StringPiece m;
      if (re->Match(stripped_[i], 0, stripped_[i].size(), RE2::UNANCHORED, &m,
                    1)) {
        const size_t begin = m.data() - stripped_[i].data();
        const std::string_view context =
            Before(stripped_[i], begin + m.size(), 6);
        Add(rule, static_cast<int>(i) + 1,
            "啊/啦 ends a sentence: " + Quote(context) +
                "; end it plainly or with 哦/呢");
      }
    }
  }

  void Simplified(const StyleRule& rule) {
    Result<const Normalizer*> n = Normalizer::Shared();
    if (!n.ok()) return;
    const auto& markers = (*n)->traditional_to_simplified().markers();
    for (size_t i = 0; i < stripped_.size(); ++i) {
      const std::string& line = stripped_[i];
      std::string found;
      size_t pos = 0;
      while (pos < line.size()) {
        const char32_t c = DecodeUtf8(line, &pos);
        if (markers.count(c)) AppendUtf8(c, &found);
      }
      if (!found.empty()) {
        Add(rule, static_cast<int>(i) + 1,
            "Traditional characters " + Quote(found) +
                ": write Simplified; Traditional buyers get it converted");
      }
    }
  }

  void Diacritics(const StyleRule& rule) {
    const std::vector<std::string> words = Words();
    if (words.size() < 4) return;
    size_t marked = 0;
    for (const std::string& w : words) {
      if (std::any_of(w.begin(), w.end(), [](char c) {
            return static_cast<unsigned char>(c) >= 0x80;
          })) {
        ++marked;
      }
    }
    if (marked * 10 < words.size() * 3) {
      Add(rule, 1,
          std::to_string(marked) + " of " + std::to_string(words.size()) +
              " words carry diacritics: write Vietnamese with its diacritics");
    }
  }

  std::string_view locale_;
  const StyleBook& book_;
  std::vector<std::string> stripped_;
  std::string whole_;
  bool quotes_compensation_ = false;
  std::vector<StyleViolation> out_;
};

}  // namespace

std::span<const StyleRule> StyleRules() { return kRules; }

std::vector<StyleViolation> CheckReplyText(const StyleBook& book,
                                           std::string_view locale,
                                           std::string_view source) {
  return Checker(book, locale, source).Run();
}

std::vector<StyleViolation> CheckReplyText(std::string_view locale,
                                           std::string_view source) {
  return CheckReplyText(StyleBook::Bundled(), locale, source);
}

std::vector<PackIssue> CheckStyle(const Pack& pack) {
  std::vector<PackIssue> issues;
  // The pack's own words, else the bundled ones.
  std::optional<StyleBook> own;
  const std::filesystem::path path =
      std::filesystem::path(pack.dir) / kStyleFile;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Result<StyleBook> book =
        StyleBook::Parse(std::string(kStyleFile), text.str(), &issues);
    if (!book.ok()) return issues;  // the rules cannot run without their words
    own.emplace(std::move(*book));
  }
  const StyleBook& book = own ? *own : StyleBook::Bundled();
  TextLocator locate(pack.dir);
  for (const LocalePack& lp : pack.locales) {
    for (const Variant& v : lp.variants) {
      for (const StyleViolation& s :
           CheckReplyText(book, lp.locale, v.text.source())) {
        issues.push_back(
            {v.where.file, locate.Line(v.where, s.line),
             v.id + ": [" + std::string(s.rule) + "] " + s.message});
      }
      // A wording experiment's arms reach buyers like any text (the
      // variant's own `text` is then empty).
      for (const Arm& arm : v.arms) {
        for (const StyleViolation& s :
             CheckReplyText(book, lp.locale, arm.text.source())) {
          issues.push_back({arm.where.file, locate.Line(arm.where, s.line),
                            v.id + " arm " + arm.id + ": [" +
                                std::string(s.rule) + "] " + s.message});
        }
      }
    }
  }
  return issues;
}

}  // namespace reply::lint

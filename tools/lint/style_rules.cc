#include "tools/lint/style_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/base/utf8.h"
#include "engine/normalize/normalizer.h"

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

// A pattern with an optional "allowed right after a negation" flag and the
// reason printed when it matches.
struct Phrase {
  std::unique_ptr<RE2> re;
  std::string reason;
};

std::unique_ptr<RE2> Compile(std::string_view pattern, bool case_insensitive) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(!case_insensitive);
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) std::abort();  // the rules below are constants
  return re;
}

// The regular expressions of the rules, built once.
struct Regexes {
  // zh
  std::vector<Phrase> zh_uncertain, zh_rude, zh_gift, zh_money, zh_compensation,
      zh_guarantee;
  std::unique_ptr<RE2> zh_polite, zh_informal, zh_final, zh_negation;
  // vi
  std::vector<Phrase> vi_uncertain, vi_rude, vi_gift, vi_money, vi_compensation,
      vi_guarantee;
  std::unique_ptr<RE2> vi_polite, vi_informal, vi_negation;

  static const Regexes& Get() {
    static const Regexes* r = new Regexes();
    return *r;
  }

 private:
  static std::vector<Phrase> List(
      std::initializer_list<std::pair<const char*, const char*>> items,
      bool case_insensitive = false) {
    std::vector<Phrase> out;
    for (const auto& [pattern, reason] : items) {
      out.push_back({Compile(pattern, case_insensitive), reason});
    }
    return out;
  }

  Regexes() {
    // A word boundary for Latin text that also knows Vietnamese letters.
    const std::string b = R"((?:^|[^\pL]))";
    const std::string e = R"((?:[^\pL]|$))";

    zh_polite = Compile("亲|您", false);
    zh_informal = Compile("你", false);
    zh_final =
        Compile(R"([啊啦]\s*(?:[，,。.！!？?~～…；;：:、）)」”"]|$))", false);
    zh_negation = Compile(
        "不能|无法|没法|没办法|不可以|不会|没有|不提供|不支持|不再|不敢",
        false);
    zh_uncertain = List({
        {"应该是吧|应该吧|可能吧|大概吧|也许吧|或许吧",
         "a guess, not an answer"},
        {"我也不知道|不知道|不晓得|不清楚|说不准|说不好|看运气",
         "says we do not know"},
    });
    zh_rude = List(
        {
            {"别\\s*bb|bb", "rude slang"},
            {"催什么|催啥|急什么|急啥|着什么急", "scolds the buyer for asking"},
            {"又不是送快递|不是送快递的|又不是开快递|不是开快递公司",
             "pushes the carrier's job back on the buyer"},
            {"关我什么事|关我啥事|跟我没关系|和我没关系|与我无关|不关我们的事",
             "refuses responsibility"},
            {"爱买不买|不买拉倒|不买就算|烦不烦|有完没完|说了多少遍|听不懂吗|"
             "看不懂吗",
             "dismissive"},
            {"自己去查|自己看吧|自己查吧|好吧", "curt or dismissive"},
        },
        true);
    zh_gift = List({
        {"红包|返现|返利|返您|现金补贴|积分", "cash back or credit"},
        {"优惠券|代金券|礼品券|购物券|无门槛券|店铺券|抵用券", "a coupon"},
        {"小礼品|小礼物|礼物|赠送|赠您|送您|送你|给您送|加送|多送|额外送|补送",
         "a gift"},
        {"免单|包邮|免运费|免邮", "free goods or free shipping"},
    });
    zh_money = List({
        {R"([0-9０-９]+(?:[.．][0-9]+)?\s*(?:元|块|圆|毛|角|rmb|RMB))",
         "an amount"},
        {R"([一二三四五六七八九十两百千万]+\s*(?:元|块钱))", "an amount"},
        {R"([¥￥]\s*[0-9０-９])", "an amount"},
        {R"([0-9０-９]+(?:[.．][0-9]+)?\s*[%％])", "a percentage"},
        {R"(百分之[一二三四五六七八九十零0-9]+)", "a percentage"},
    });
    zh_compensation =
        List({{"补偿|赔偿|赔付|赔您|赔给您", "offers compensation"}});
    zh_guarantee = List({
        {"(?:保证|确保|包您|包你|担保)[^，。！？,.!?；;]{0,6}?(?:到货|送到|"
         "送达|收到|签收|能到|会到|就到)",
         "guarantees delivery"},
        {"(?:一定|肯定|绝对|百分百)[^，。！？,.!?；;]{0,5}?(?:到货|送到|送达|"
         "收到|能到|会到|就到)",
         "guarantees delivery"},
        {"(?:今天|明天|后天)(?:一定|肯定|保证|绝对)", "guarantees a date"},
    });

    vi_polite = Compile(b + "(?:anh|chị|bạn|quý khách)" + e, true);
    vi_informal = Compile(b + "(?:mày|tao|mi)" + e, true);
    vi_negation = Compile(b + "(?:không thể|không có|không được|chưa "
                              "thể|không)(?:\\s+\\pL+){0,2}\\s*$",
                          true);
    vi_uncertain = List(
        {
            {(b +
              "(?:em|mình|tôi|shop|bên em|chúng tôi|cửa "
              "hàng)\\s+(?:cũng\\s+)?(?:không|chả|chẳng)\\s+(?:biết|rõ)" +
              e)
                 .c_str(),
             "says we do not know"},
            {(b +
              "(?:chắc vậy|chắc thế|có lẽ vậy|có lẽ thế|hình như vậy|hình như "
              "thế|chắc là vậy|không chắc nữa)" +
              e)
                 .c_str(),
             "a guess, not an answer"},
        },
        true);
    vi_rude = List(
        {
            {(b + "(?:đừng hối|hối gì|hối hoài|gấp gì|làm gì mà gấp)" + e)
                 .c_str(),
             "scolds the buyer for asking"},
            {(b + "(?:không phải việc của|không liên quan đến (?:shop|bên "
                  "em|chúng tôi)|kệ (?:anh|chị|bạn))")
                 .c_str(),
             "refuses responsibility"},
            {(b + "(?:tự (?:đi )?hỏi (?:shipper|bưu tá)|hỏi shipper đi|tự xem "
                  "đi|tự tra đi)")
                 .c_str(),
             "pushes the job back on the buyer"},
        },
        true);
    vi_gift = List(
        {
            {(b + "(?:tặng|quà|voucher|mã giảm giá|phiếu giảm giá|coupon)" + e)
                 .c_str(),
             "a gift or coupon"},
            {(b +
              "(?:hoàn tiền mặt|hoàn xu|freeship|free ship|miễn phí vận "
              "chuyển|miễn phí ship|miễn phí giao hàng)" +
              e)
                 .c_str(),
             "cash back or free shipping"},
        },
        true);
    vi_money = List(
        {
            {R"([0-9][0-9.,]*\s*(?:đ|đồng|vnd|vnđ|k|nghìn|ngàn|triệu)(?:[^\pL]|$))",
             "an amount"},
            {R"([0-9]+(?:[.,][0-9]+)?\s*%)", "a percentage"},
        },
        true);
    vi_compensation = List(
        {{(b + "(?:bồi thường|đền bù|bù đắp)").c_str(), "offers compensation"}},
        true);
    vi_guarantee = List(
        {{(b + "(?:chắc chắn|đảm bảo|bảo đảm|cam kết).{0,24}?(?:nhận được|giao "
               "đến|giao tới|đến tay|tới tay|nhận hàng|đến nơi|tới nơi)")
              .c_str(),
          "guarantees delivery"}},
        true);
  }
};

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
  Checker(std::string_view locale, std::string_view source)
      : locale_(locale), re_(Regexes::Get()) {
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
      if (id == "uncertain_phrase")
        Phrases(rule, zh() ? re_.zh_uncertain : re_.vi_uncertain, nullptr);
      if (id == "rude_phrase")
        Phrases(rule, zh() ? re_.zh_rude : re_.vi_rude, nullptr);
      if (id == "final_particle") FinalParticle(rule);
      if (id == "gift_promise") {
        Phrases(rule, zh() ? re_.zh_gift : re_.vi_gift,
                zh() ? re_.zh_negation.get() : re_.vi_negation.get());
      }
      if (id == "money_literal")
        Phrases(rule, zh() ? re_.zh_money : re_.vi_money, nullptr);
      if (id == "compensation_amount" && !quotes_compensation_) {
        Phrases(rule, zh() ? re_.zh_compensation : re_.vi_compensation,
                zh() ? re_.zh_negation.get() : re_.vi_negation.get());
      }
      if (id == "delivery_guarantee") {
        Phrases(rule, zh() ? re_.zh_guarantee : re_.vi_guarantee,
                zh() ? re_.zh_negation.get() : re_.vi_negation.get());
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
    const RE2& re = zh() ? *re_.zh_polite : *re_.vi_polite;
    if (!RE2::PartialMatch(whole_, re)) {
      Add(rule, 1,
          zh() ? "the reply never addresses the buyer as 亲 or 您"
               : "the reply never addresses the buyer as anh/chị, bạn or quý "
                 "khách");
    }
  }

  void Informal(const StyleRule& rule) {
    const RE2& re = zh() ? *re_.zh_informal : *re_.vi_informal;
    for (size_t i = 0; i < stripped_.size(); ++i) {
      re2::StringPiece m;
      if (re.Match(stripped_[i], 0, stripped_[i].size(), RE2::UNANCHORED, &m,
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
  void Phrases(const StyleRule& rule, const std::vector<Phrase>& phrases,
               const RE2* negation) {
    for (size_t i = 0; i < stripped_.size(); ++i) {
      const std::string& line = stripped_[i];
      for (const Phrase& p : phrases) {
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
    for (size_t i = 0; i < stripped_.size(); ++i) {
      re2::StringPiece m;
      if (re_.zh_final->Match(stripped_[i], 0, stripped_[i].size(),
                              RE2::UNANCHORED, &m, 1)) {
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
  const Regexes& re_;
  std::vector<std::string> stripped_;
  std::string whole_;
  bool quotes_compensation_ = false;
  std::vector<StyleViolation> out_;
};

// The file line of line `k` (1-based) of the `text` of the variant that
// starts at `variant_line`, or `variant_line` when the file cannot tell.
class TextLocator {
 public:
  explicit TextLocator(std::string dir) : dir_(std::move(dir)) {}

  int Line(const SourceRef& where, int k) {
    const std::vector<std::string>& lines = File(where.file);
    if (where.line < 1 || where.line > static_cast<int>(lines.size()))
      return where.line;
    const std::string& first = lines[where.line - 1];
    const size_t indent = first.find_first_not_of(' ');
    for (int i = where.line - 1; i < static_cast<int>(lines.size()); ++i) {
      const std::string& l = lines[i];
      const size_t at = l.find_first_not_of(' ');
      if (at == std::string::npos) continue;
      if (i > where.line - 1 && at <= indent && l.compare(at, 1, "-") == 0)
        break;  // next variant
      const size_t key = l.find("text:");
      if (key == std::string::npos ||
          key != at + (l.compare(at, 2, "- ") == 0 ? 2 : 0))
        continue;
      const std::string rest = l.substr(key + 5);
      const size_t v = rest.find_first_not_of(' ');
      const bool block =
          v != std::string::npos && (rest[v] == '|' || rest[v] == '>');
      return block ? i + 1 + k : i + 1;
    }
    return where.line;
  }

 private:
  const std::vector<std::string>& File(const std::string& rel) {
    auto it = std::find_if(files_.begin(), files_.end(),
                           [&](const auto& f) { return f.first == rel; });
    if (it != files_.end()) return it->second;
    std::vector<std::string> lines;
    std::ifstream in(std::filesystem::path(dir_) / rel, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    files_.emplace_back(rel, std::move(lines));
    return files_.back().second;
  }

  std::string dir_;
  std::vector<std::pair<std::string, std::vector<std::string>>> files_;
};

}  // namespace

std::span<const StyleRule> StyleRules() { return kRules; }

std::vector<StyleViolation> CheckReplyText(std::string_view locale,
                                           std::string_view source) {
  return Checker(locale, source).Run();
}

std::vector<PackIssue> CheckStyle(const Pack& pack) {
  std::vector<PackIssue> issues;
  TextLocator locate(pack.dir);
  for (const LocalePack& lp : pack.locales) {
    for (const Variant& v : lp.variants) {
      for (const StyleViolation& s :
           CheckReplyText(lp.locale, v.text.source())) {
        issues.push_back(
            {v.where.file, locate.Line(v.where, s.line),
             v.id + ": [" + std::string(s.rule) + "] " + s.message});
      }
    }
  }
  return issues;
}

}  // namespace reply::lint

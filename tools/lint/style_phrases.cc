#include "tools/lint/style_phrases.h"

#include <cstdlib>

namespace reply::lint {
namespace {

std::unique_ptr<RE2> Compile(std::string_view pattern, bool case_insensitive) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(!case_insensitive);
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) std::abort();  // the rules below are constants
  return re;
}

std::vector<Phrase> List(
    std::initializer_list<std::pair<const char*, const char*>> items,
    bool case_insensitive = false) {
  std::vector<Phrase> out;
  for (const auto& [pattern, reason] : items) {
    out.push_back({Compile(pattern, case_insensitive), reason});
  }
  return out;
}

}  // namespace

const StylePhrases& StylePhrases::Get() {
  static const StylePhrases* phrases = new StylePhrases();
  return *phrases;
}

StylePhrases::StylePhrases() {
  // A word boundary for Latin text that also knows Vietnamese letters.
  const std::string b = R"((?:^|[^\pL]))";
  const std::string e = R"((?:[^\pL]|$))";

  zh_polite = Compile("亲|您", false);
  zh_informal = Compile("你", false);
  zh_final =
      Compile(R"([啊啦]\s*(?:[，,。.！!？?~～…；;：:、）)」”"]|$))", false);
  zh_negation = Compile(
      "不能|无法|没法|没办法|不可以|不会|没有|不提供|不支持|不再|不敢", false);
  zh_uncertain = List({
      {"应该是吧|应该吧|可能吧|大概吧|也许吧|或许吧", "a guess, not an answer"},
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

}  // namespace reply::lint

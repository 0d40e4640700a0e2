// ShopPolicy: the shop's own rules the replies quote, read from the pack's
// shop.yaml (see docs/authoring.md). Defaults follow the playbooks: 48-hour
// shipping promise, same-day shipping for orders paid before 16:00 (seed
// 004), 7-day returns, and for a broken shipping promise a compensation of 5%
// of the amount, at least 1 and at most 30 yuan (seed 001).
//
// Thread safety: a plain value, immutable inside a pack snapshot.
#ifndef REPLY_ENGINE_ORDER_SHOP_POLICY_H_
#define REPLY_ENGINE_ORDER_SHOP_POLICY_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reply {

struct ShopPolicy {
  std::string name;
  int utc_offset_minutes = 8 * 60;
  double promise_ship_hours = 48;
  int same_day_cutoff_minutes = 16 * 60;  // minutes after local midnight
  int return_window_days = 7;
  std::vector<std::string> carriers;
  std::vector<std::string> remote_regions;
  double tracking_appears_hours = 24;  // after shipping, tracking shows within
  double stale_tracking_hours = 72;    // no tracking event for this long
  double signed_followup_days = 2;     // we report back on a missing parcel
  double compensation_rate = 0.05;
  double compensation_min = 1;
  double compensation_max = 30;
  // Per locale, appended by nobody automatically: templates quote it.
  std::map<std::string, std::string> signature;

  // What replies in one locale quote instead of the shop-wide value:
  // shop.yaml's `locales: {vi: {name: ..., carriers: [...]}}` (a Vietnamese
  // reply names Vietnamese couriers, not 中通).
  struct LocaleTexts {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> carriers;
    int line = 0;  // where shop.yaml names the locale
  };
  std::map<std::string, LocaleTexts, std::less<>> locales;

  const std::string& NameFor(std::string_view locale) const {
    const auto it = locales.find(locale);
    return it != locales.end() && it->second.name ? *it->second.name : name;
  }
  const std::vector<std::string>& CarriersFor(std::string_view locale) const {
    const auto it = locales.find(locale);
    return it != locales.end() && it->second.carriers ? *it->second.carriers
                                                      : carriers;
  }
};

}  // namespace reply

#endif  // REPLY_ENGINE_ORDER_SHOP_POLICY_H_

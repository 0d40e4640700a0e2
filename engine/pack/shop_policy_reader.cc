#include "engine/pack/shop_policy_reader.h"

#include <algorithm>
#include <cstdio>

#include "engine/base/time.h"

namespace reply {
namespace {

// The ranges of the numbers a shop policy sets. Replies quote them ("48小时
// 内发货", "7天退换", "2天内给您答复"), so a promise, a window or a wait of 0
// (or of years) is a mistake: each is more than 0 and at most what a shop
// could mean. Rates are fractions of the amount.
constexpr YamlReader::Range kPromiseHours = {
    .min = 0, .max = 24 * 60, .above_min = true, .unit = "hours"};
constexpr YamlReader::Range kReturnWindowDays = {
    .min = 1, .max = 365, .whole = true, .unit = "days"};
constexpr YamlReader::Range kTrackingAppearsHours = {
    .min = 0, .max = 24 * 30, .above_min = true, .unit = "hours"};
constexpr YamlReader::Range kStaleTrackingHours = {
    .min = 0, .max = 24 * 60, .above_min = true, .unit = "hours"};
constexpr YamlReader::Range kSignedFollowupDays = {
    .min = 0, .max = 60, .above_min = true, .unit = "days"};
constexpr YamlReader::Range kCompensationRate = {.min = 0, .max = 1};
constexpr YamlReader::Range kCompensationAmount = {
    .min = 0, .max = 1e6, .unit = "(in the shop's currency)"};

}  // namespace

void ReadShopPolicy(const YAML::Node& root, YamlReader* r, ShopPolicy* shop) {
  if (!r->CheckMap(
          root, "the shop policy",
          {"name", "timezone", "promise_ship_hours", "same_day_cutoff",
           "return_window_days", "carriers", "remote_regions",
           "tracking_appears_hours", "stale_tracking_hours",
           "signed_followup_days", "compensation", "signature", "locales"})) {
    return;
  }
  if (auto v = r->String(root, "name", false)) shop->name = *v;
  if (auto v = r->String(root, "timezone", false)) {
    Result<int> offset = ParseUtcOffset(*v);
    if (offset.ok()) {
      shop->utc_offset_minutes = *offset;
    } else {
      r->Error(*r->Get(root, "timezone"),
               "timezone: " + offset.status().message());
    }
  }
  if (auto v = r->Number(root, "promise_ship_hours", kPromiseHours))
    shop->promise_ship_hours = *v;
  if (auto v = r->String(root, "same_day_cutoff", false)) {
    int h = -1, m = -1;
    char rest = 0;
    if (std::sscanf(v->c_str(), "%2d:%2d%c", &h, &m, &rest) == 2 && h >= 0 &&
        h < 24 && m >= 0 && m < 60) {
      shop->same_day_cutoff_minutes = h * 60 + m;
    } else {
      r->Error(*r->Get(root, "same_day_cutoff"),
               "same_day_cutoff must be a time of day from 00:00 to 23:59, "
               "like \"16:00\"; found " +
                   v->substr(0, 40));
    }
  }
  if (auto v = r->Number(root, "return_window_days", kReturnWindowDays)) {
    shop->return_window_days = static_cast<int>(*v);
  }
  for (auto& [s, n] : r->Strings(root, "carriers")) shop->carriers.push_back(s);
  for (auto& [s, n] : r->Strings(root, "remote_regions")) {
    shop->remote_regions.push_back(s);
  }
  if (auto v = r->Number(root, "tracking_appears_hours", kTrackingAppearsHours))
    shop->tracking_appears_hours = *v;
  if (auto v = r->Number(root, "stale_tracking_hours", kStaleTrackingHours))
    shop->stale_tracking_hours = *v;
  if (auto v = r->Number(root, "signed_followup_days", kSignedFollowupDays))
    shop->signed_followup_days = *v;
  if (const auto c =
          r->Map(root, "compensation", "{rate: 0.05, min: 1, max: 30}")) {
    if (r->CheckMap(*c, "compensation", {"rate", "min", "max"})) {
      if (auto v = r->Number(*c, "rate", kCompensationRate))
        shop->compensation_rate = *v;
      if (auto v = r->Number(*c, "min", kCompensationAmount))
        shop->compensation_min = *v;
      if (auto v = r->Number(*c, "max", kCompensationAmount))
        shop->compensation_max = *v;
      if (shop->compensation_min > shop->compensation_max) {
        r->Error(*c, "compensation: min " +
                         YamlReader::Format(shop->compensation_min) +
                         " is above max " +
                         YamlReader::Format(shop->compensation_max) +
                         ": make min at most max");
      }
    }
  }
  if (const auto s = r->Map(root, "signature",
                            "a locale to its text (zh: ..., vi: ...)")) {
    for (const auto& kv : *s) {
      if (!kv.first.IsScalar() || !kv.second.IsScalar()) {
        r->Error(kv.first,
                 "signature: each entry is a locale and its text (zh: ...)");
        continue;
      }
      shop->signature[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
  // Which locales exist is known once intents/ is read: the loader checks
  // the names (pack_loader.cc).
  if (const auto s = r->Map(root, "locales",
                            "a locale to its texts (vi: {carriers: [...]})")) {
    for (const auto& kv : *s) {
      if (!kv.first.IsScalar()) {
        r->Error(kv.first, "locales: each key is a locale (vi: ...)");
        continue;
      }
      const std::string locale = kv.first.Scalar();
      if (locale.empty() || locale.size() > 16 ||
          !std::all_of(locale.begin(), locale.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
          })) {
        r->Error(kv.first,
                 "locales: each key is a locale name such as vi or zh");
        continue;
      }
      if (!r->CheckMap(kv.second, "a locale's shop texts",
                       {"name", "carriers"})) {
        continue;
      }
      ShopPolicy::LocaleTexts texts;
      texts.line = r->Where(kv.first).line;
      if (auto v = r->String(kv.second, "name", false)) texts.name = *v;
      if (r->Get(kv.second, "carriers")) {
        texts.carriers.emplace();
        for (auto& [c, n] : r->Strings(kv.second, "carriers")) {
          texts.carriers->push_back(c);
        }
      }
      shop->locales[locale] = std::move(texts);
    }
  }
}

}  // namespace reply

#include "engine/pack/shop_policy_reader.h"

#include <cstdio>

#include "engine/base/time.h"

namespace reply {

void ReadShopPolicy(const YAML::Node& root, YamlReader* r, ShopPolicy* shop) {
  if (!r->CheckMap(root, "the shop policy",
                   {"name", "timezone", "promise_ship_hours", "same_day_cutoff",
                    "return_window_days", "carriers", "remote_regions",
                    "tracking_appears_hours", "stale_tracking_hours",
                    "signed_followup_days", "compensation", "signature"})) {
    return;
  }
  if (auto v = r->String(root, "name", false)) shop->name = *v;
  if (auto v = r->String(root, "timezone", false)) {
    Result<int> offset = ParseUtcOffset(*v);
    if (offset.ok()) {
      shop->utc_offset_minutes = *offset;
    } else {
      r->Error(root["timezone"], "timezone: " + offset.status().message());
    }
  }
  if (auto v = r->Number(root, "promise_ship_hours", 1, 24 * 60))
    shop->promise_ship_hours = *v;
  if (auto v = r->String(root, "same_day_cutoff", false)) {
    int h = -1, m = -1;
    if (std::sscanf(v->c_str(), "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 &&
        m >= 0 && m < 60) {
      shop->same_day_cutoff_minutes = h * 60 + m;
    } else {
      r->Error(root["same_day_cutoff"],
               "same_day_cutoff must be a time like 16:00");
    }
  }
  if (auto v = r->Number(root, "return_window_days", 0, 365)) {
    shop->return_window_days = static_cast<int>(*v);
  }
  for (auto& [s, n] : r->Strings(root, "carriers")) shop->carriers.push_back(s);
  for (auto& [s, n] : r->Strings(root, "remote_regions")) {
    shop->remote_regions.push_back(s);
  }
  if (auto v = r->Number(root, "tracking_appears_hours", 0, 24 * 30))
    shop->tracking_appears_hours = *v;
  if (auto v = r->Number(root, "stale_tracking_hours", 1, 24 * 60))
    shop->stale_tracking_hours = *v;
  if (auto v = r->Number(root, "signed_followup_days", 0, 60))
    shop->signed_followup_days = *v;
  if (const YAML::Node c = root["compensation"]; c.IsDefined() && !c.IsNull()) {
    if (r->CheckMap(c, "compensation", {"rate", "min", "max"})) {
      if (auto v = r->Number(c, "rate", 0, 1)) shop->compensation_rate = *v;
      if (auto v = r->Number(c, "min", 0, 1e6)) shop->compensation_min = *v;
      if (auto v = r->Number(c, "max", 0, 1e6)) shop->compensation_max = *v;
      if (shop->compensation_min > shop->compensation_max) {
        r->Error(c, "compensation: min is above max");
      }
    }
  }
  if (const YAML::Node s = root["signature"]; s.IsDefined() && !s.IsNull()) {
    if (!s.IsMap()) {
      r->Error(s, "signature must map a locale to its text (zh: ..., vi: ...)");
    } else {
      for (const auto& kv : s)
        shop->signature[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
}

}  // namespace reply

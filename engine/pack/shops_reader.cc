#include <map>

#include "engine/base/did_you_mean.h"
#include "engine/base/utf8.h"
#include "engine/pack/pack_loader_internal.h"
#include "engine/pack/shop_policy_reader.h"

namespace reply {

// shops/<id>.yaml: one shop each, its policy over shop.yaml's and its own
// text for any reply variant. Read after the locales, whose variants the
// texts replace.
void PackLoader::LoadShops(Pack* pack) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir_) / "shops", ec)) return;
  for (const std::string& rel : YamlFiles("shops")) {
    const std::string id = fs::path(rel).stem().string();
    YamlReader r(rel, issues_);
    if (!ValidId(id)) {
      r.Error(0, "shop id '" + SanitizeUtf8(id) +
                     "' (the file's name) must be lower_snake_case, at "
                     "most 64 characters: rename the file");
      continue;
    }
    Shop shop{.id = id, .policy = pack->shop, .where = {rel, 1}};
    const std::optional<YAML::Node> root = ReadYaml(r);
    if (!root) continue;
    if (!root->IsNull()) {
      if (!r.CheckMap(*root, "a shop file", {"policy", "replies"})) continue;
      if (const auto policy =
              r.Map(*root, "policy", "the keys of shop.yaml it changes")) {
        ReadShopPolicy(*policy, &r, &shop.policy);
      }
      if (const auto replies =
              r.Map(*root, "replies",
                    "a locale to its variants (zh: [- id: ..., text: ...])")) {
        ReadShopReplies(r, *replies, *pack, &shop);
      }
    }
    pack->shops.emplace(id, std::move(shop));
  }
}

void PackLoader::ReadShopReplies(YamlReader& r, const YAML::Node& replies,
                                 const Pack& pack, Shop* shop) {
  for (const auto& kv : replies) {
    if (!kv.first.IsScalar()) {
      r.Error(kv.first, "replies: each key is a locale (zh, vi)");
      continue;
    }
    const std::string locale = kv.first.Scalar();
    const LocalePack* lp = pack.Find(locale);
    if (lp == nullptr) {
      std::vector<std::string> known;
      for (const LocalePack& l : pack.locales) known.push_back(l.locale);
      r.Error(kv.first, "replies: no locale '" + SanitizeUtf8(locale) +
                            "' in the packs" + DidYouMean(locale, known));
      continue;
    }
    if (!kv.second.IsSequence()) {
      r.Error(kv.first, "replies: " + locale +
                            " holds a list of variants (- id: "
                            "urge_shipment.overdue, text: ...), not " +
                            std::string(YamlReader::KindOf(kv.second)));
      continue;
    }
    std::map<int, ReplyTemplate>& texts = shop->texts[locale];
    for (const YAML::Node& node : kv.second) {
      if (!r.CheckMap(node, "a shop's variant", {"id", "text"})) continue;
      const auto id = r.String(node, "id", true);
      const auto text = r.String(node, "text", true);
      if (!id || !text) continue;
      int variant = -1;
      std::vector<std::string> known;
      for (size_t v = 0; v < lp->variants.size(); ++v) {
        if (lp->variants[v].id == *id) variant = static_cast<int>(v);
        known.push_back(lp->variants[v].id);
      }
      if (variant < 0) {
        r.Error(*r.Get(node, "id"),
                "id: no variant '" + SanitizeUtf8(*id) + "' in templates/" +
                    locale + DidYouMean(*id, known) +
                    " (write the intent and the variant: intent.variant)");
        continue;
      }
      Result<ReplyTemplate> t = ReplyTemplate::Parse(*text);
      if (!t.ok()) {
        r.Error(*r.Get(node, "text"), "text: " + t.status().message());
        continue;
      }
      const Variant& v = lp->variants[variant];
      CheckVariantSlots(r, node, *lp, v.intent, *t, Condition::Always());
      if (!texts.emplace(variant, std::move(*t)).second) {
        r.Error(*r.Get(node, "id"), "id: '" + *id + "' is given twice for " +
                                        locale + ": keep one");
      }
    }
  }
}

}  // namespace reply

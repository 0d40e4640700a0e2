// ReadShopPolicy: the shop policy file of a pack (shop.yaml: promise hours,
// same-day cutoff, return window, carriers, remote regions, compensation,
// signature; docs/authoring.md) into a ShopPolicy. Keys it does not set
// keep ShopPolicy's defaults; every problem goes to the reader with its line.
//
//   YamlReader r("shop.yaml", &issues);
//   ShopPolicy shop;
//   ReadShopPolicy(YAML::Load(text), &r, &shop);
//
// Thread safety: a function over its arguments.
#ifndef REPLY_ENGINE_PACK_SHOP_POLICY_READER_H_
#define REPLY_ENGINE_PACK_SHOP_POLICY_READER_H_

#include <yaml-cpp/yaml.h>

#include "engine/pack/pack.h"
#include "engine/pack/yaml_reader.h"

namespace reply {

void ReadShopPolicy(const YAML::Node& root, YamlReader* r, ShopPolicy* shop);

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_SHOP_POLICY_READER_H_

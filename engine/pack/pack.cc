#include "engine/pack/pack.h"

namespace reply {

int LocalePack::FindIntent(std::string_view id) const {
  for (size_t i = 0; i < intents.size(); ++i) {
    if (intents[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int LocalePack::FindSlot(std::string_view name) const {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void LocalePack::Normalize(std::string_view message,
                           const Normalizer& normalizer, NormalizedText* key,
                           bool with_offsets) const {
  normalizer.Normalize(message, key, with_offsets);
  WriteOut(message, normalizer, key);
}

void LocalePack::WriteOut(std::string_view message,
                          const Normalizer& normalizer,
                          NormalizedText* key) const {
  abbreviations.Apply(message, normalizer, key);
  dialect.Apply(key);
}

const LocalePack* Pack::Find(std::string_view locale) const {
  for (const LocalePack& p : locales) {
    if (p.locale == locale) return &p;
  }
  return nullptr;
}

const Shop* Pack::FindShop(std::string_view id) const {
  auto it = shops.find(id);
  return it == shops.end() ? nullptr : &it->second;
}

const ReplyTemplate* Shop::TextOf(std::string_view locale, int variant) const {
  auto in_locale = texts.find(locale);
  if (in_locale == texts.end()) return nullptr;
  auto it = in_locale->second.find(variant);
  return it == in_locale->second.end() ? nullptr : &it->second;
}

}  // namespace reply

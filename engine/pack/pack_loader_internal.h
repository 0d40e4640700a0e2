// PackLoader: the state of one LoadPack call (pack_loader.h), which reads
// a pack directory file by file and collects every problem as a PackIssue.
// Internal to engine/pack: its member functions are split by the kind of
// file they read, one source file each:
//   pack_loader.cc      the directory, shop.yaml, each locale, coverage
//   intents_reader.cc   intents/<locale>/*.yaml: intents, patterns,
//                       concepts, abbreviations, the dialect table,
//                       resolve_by_order
//   slots_reader.cc     slots: and captures, and the slots a reply reads
//   templates_reader.cc templates/<locale>/*.yaml: variants and arms
//   shops_reader.cc     shops/<id>.yaml: a shop's policy and reply texts
//
// Thread safety: one PackLoader per load, used by one thread.
#ifndef REPLY_ENGINE_PACK_PACK_LOADER_INTERNAL_H_
#define REPLY_ENGINE_PACK_PACK_LOADER_INTERNAL_H_

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/status.h"
#include "engine/condition/condition.h"
#include "engine/normalize/normalizer.h"
#include "engine/pack/pack.h"
#include "engine/pack/pack_loader.h"
#include "engine/pack/yaml_reader.h"

namespace reply {

namespace fs = std::filesystem;

// At most about 120 bytes of valid UTF-8 `text`, cut between characters,
// to quote in an error (a 200 KB pattern is not an error message).
std::string Excerpt(std::string_view text);

// lower_snake_case, starting with a letter, at most 64 bytes: the ids of
// intents, variants, arms, concepts, slots and shops.
bool ValidId(std::string_view id);

// An intent's or a variant's `label:` (pack.h), or "" without one: one
// line of text, since a console shows it on a card's head.
std::string ReadLabel(YamlReader& r, const YAML::Node& node);

class PackLoader {
 public:
  PackLoader(std::string dir, const Normalizer& normalizer,
             std::vector<PackIssue>* issues)
      : dir_(std::move(dir)), normalizer_(normalizer), issues_(issues) {}

  // The file being read, for an error that escaped the checks.
  const std::string& current_file() const { return current_file_; }

  Result<std::shared_ptr<const Pack>> Load();

 private:
  // pack_loader.cc
  Status Fail(size_t issues_before);
  static std::vector<std::string> Subdirectories(const fs::path& dir);
  std::vector<std::string> YamlFiles(const std::string& rel_dir);
  std::optional<YAML::Node> ReadYaml(YamlReader& r);
  void LoadShop(ShopPolicy* shop);
  void LoadLocale(LocalePack* lp, const ShopPolicy& shop);
  void CheckCoverage(LocalePack* lp, const ShopPolicy& shop);
  std::string Version() const;

  // intents_reader.cc
  void LoadAbbreviations(YamlReader& r, const YAML::Node& node, LocalePack* lp);
  void LoadConcepts(YamlReader& r, const YAML::Node& node, LocalePack* lp);
  void LoadDialect(YamlReader& r, const YAML::Node& node, LocalePack* lp);
  void LoadDialectKeep(YamlReader& r, const YAML::Node& node, LocalePack* lp);
  // A kept word that holds no spelling of the table keeps nothing.
  void CheckDialectKeeps(const LocalePack& lp);
  void LoadIntent(YamlReader& r, const YAML::Node& node, LocalePack* lp,
                  std::map<std::string, SourceRef>* ids);
  void LoadResolution(YamlReader& r, const YAML::Node& node, int index);
  void ResolveTargets(LocalePack* lp);
  void AddPattern(YamlReader& r, const YAML::Node& node, PatternKind kind,
                  int intent, LocalePack* lp);

  // slots_reader.cc
  void LoadSlots(YamlReader& r, const YAML::Node& node, LocalePack* lp);
  void AddCapture(YamlReader& r, const YAML::Node& node, IntentDef* intent,
                  LocalePack* lp);
  void CheckVariantSlots(YamlReader& r, const YAML::Node& node,
                         const LocalePack& lp, int intent,
                         const ReplyTemplate& text, const Condition& when,
                         bool check_text = true);

  // templates_reader.cc
  void LoadTemplates(YamlReader& r, const YAML::Node& root, LocalePack* lp,
                     std::set<std::string>* variant_ids);
  std::vector<Arm> LoadArms(YamlReader& r, const YAML::Node& node,
                            const LocalePack& lp, int intent);

  // shops_reader.cc
  void LoadShops(Pack* pack);
  void ReadShopReplies(YamlReader& r, const YAML::Node& replies,
                       const Pack& pack, Shop* shop);

  std::string dir_;
  const Normalizer& normalizer_;
  std::vector<PackIssue>* issues_;
  std::vector<std::pair<std::string, std::string>> files_read_;
  std::string current_file_;
  bool intents_failed_ = false;  // the current locale's intents had errors
  // resolve_by_order rules and without_order, read before their targets.
  struct PendingTarget {
    int intent;
    std::string target;
    SourceRef where;
    Condition when;
    bool without_order;
  };
  std::vector<PendingTarget> pending_targets_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_PACK_PACK_LOADER_INTERNAL_H_

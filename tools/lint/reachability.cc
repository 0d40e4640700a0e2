#include "tools/lint/reachability.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "engine/engine.h"
#include "engine/pack/pack.h"
#include "engine/pipeline/request.h"
#include "engine/render/placeholders.h"

namespace reply::lint {
namespace {

// One value of one fact in a case; `known` false is "unknown".
struct FactValue {
  bool known = false;
  bool boolean = false;
  double number = 0;
  std::string_view text;
};

// Every combination of the values that can change the tests of some
// conditions (see the header).
class CaseSpace {
 public:
  explicit CaseSpace(const std::vector<const Condition*>& conditions) {
    std::set<double> numbers;
    for (const Condition* c : conditions) {
      for (Fact f : c->facts_used()) {
        if (f == Fact::kHasOrder) {
          has_order_used_ = true;
        } else if (std::find(facts_.begin(), facts_.end(), f) == facts_.end()) {
          facts_.push_back(f);
        }
      }
      numbers.insert(c->numbers().begin(), c->numbers().end());
      for (const std::string& slot : c->slots_used()) {
        if (std::find(slots_.begin(), slots_.end(), slot) == slots_.end()) {
          slots_.push_back(slot);
        }
      }
    }
    // A slot is not said, or said as some text, or as each number a
    // condition compares with. (A slot compared with a quoted value is
    // never that value here: such a variant may be reported unreachable.)
    slot_values_.push_back(std::nullopt);
    slot_values_.push_back("text");
    for (double n : numbers) {
      slot_values_.push_back(FormatNumber(n, FactDisplay::kPlain));
    }
    const size_t number_facts = std::count_if(
        facts_.begin(), facts_.end(),
        [](Fact f) { return DefOf(f).type == FactType::kNumber; });
    for (Fact f : facts_) {
      values_.push_back(Domain(DefOf(f), numbers, number_facts));
    }
  }

  // How many cases ForEach visits, saturating at kMaxCases + 1.
  size_t size() const {
    size_t n = 1;
    for (const auto& v : values_) n = std::min(n * v.size(), kMaxCases + 1);
    for (size_t i = 0; i < slots_.size(); ++i) {
      n = std::min(n * slot_values_.size(), kMaxCases + 1);
    }
    size_t no_order = 1;
    for (size_t i = 0; i < slots_.size(); ++i) {
      no_order = std::min(no_order * slot_values_.size(), kMaxCases + 1);
    }
    return std::min(n + (has_order_used_ ? no_order : 0), kMaxCases + 1);
  }

  // Calls visit(facts) for each case until it returns false.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    if (has_order_used_) {
      // Without an order only has_order is known, and the slots said.
      std::vector<size_t> said(slots_.size(), 0);
      while (true) {
        Facts no_order;
        no_order.SetBool(Fact::kHasOrder, false);
        Slots slots = SlotsOf(said, 0);
        if (!slots_.empty()) no_order.set_slots(&slots);
        if (!visit(no_order)) return;
        size_t i = 0;
        while (i < said.size() && ++said[i] == slot_values_.size()) {
          said[i++] = 0;
        }
        if (i == said.size()) break;
      }
    }
    // One digit per fact, then one per slot.
    std::vector<size_t> digit(values_.size() + slots_.size(), 0);
    while (true) {
      Facts facts;
      if (has_order_used_) facts.SetBool(Fact::kHasOrder, true);
      Slots slots = SlotsOf(digit, values_.size());
      if (!slots_.empty()) facts.set_slots(&slots);
      for (size_t i = 0; i < facts_.size(); ++i) {
        const FactValue& v = values_[i][digit[i]];
        if (!v.known) continue;
        switch (DefOf(facts_[i]).type) {
          case FactType::kBool:
            facts.SetBool(facts_[i], v.boolean);
            break;
          case FactType::kNumber:
            facts.SetNumber(facts_[i], v.number);
            break;
          case FactType::kEnum:
            facts.SetEnum(facts_[i], v.text);
            break;
          case FactType::kTime:
            break;
        }
      }
      if (!visit(facts)) return;
      size_t i = 0;
      while (i < digit.size() &&
             ++digit[i] == (i < values_.size() ? values_[i].size()
                                               : slot_values_.size())) {
        digit[i++] = 0;
      }
      if (i == digit.size()) return;
    }
  }

 private:
  // The slots said in a case: digits[first + i] picks slot i's value.
  Slots SlotsOf(const std::vector<size_t>& digits, size_t first) const {
    Slots slots;
    for (size_t i = 0; i < slots_.size(); ++i) {
      const std::optional<std::string>& v = slot_values_[digits[first + i]];
      if (v) slots.Set({slots_[i], *v, -1, *v});
    }
    return slots;
  }

  // Unknown, then every value that can change a test of this fact.
  static std::vector<FactValue> Domain(const FactDef& def,
                                       const std::set<double>& numbers,
                                       size_t number_facts) {
    std::vector<FactValue> out = {FactValue{}};
    switch (def.type) {
      case FactType::kBool:
        out.push_back({true, false});
        out.push_back({true, true});
        break;
      case FactType::kEnum:
        for (std::string_view v : def.values)
          out.push_back({true, false, 0, v});
        break;
      case FactType::kNumber: {
        // Each number compared with, and `number_facts` distinct values in
        // every gap between them and beyond them, so that any order of the
        // number facts among themselves and the numbers has a case.
        const auto add = [&](double x) { out.push_back({true, false, x}); };
        const double k = static_cast<double>(number_facts);
        if (numbers.empty()) {
          for (double j = 0; j < k; ++j) add(j);
          break;
        }
        for (double j = k; j >= 1; --j) add(*numbers.begin() - j);
        for (auto it = numbers.begin(); it != numbers.end(); ++it) {
          add(*it);
          const auto next = std::next(it);
          const double hi = next == numbers.end() ? *it + k + 1 : *next;
          for (double j = 1; j <= k; ++j) add(*it + (hi - *it) * j / (k + 1));
        }
        break;
      }
      case FactType::kTime:
        break;
    }
    return out;
  }

  bool has_order_used_ = false;
  std::vector<Fact> facts_;  // without has_order
  std::vector<std::vector<FactValue>> values_;
  std::vector<std::string> slots_;                       // the slots tested
  std::vector<std::optional<std::string>> slot_values_;  // nullopt: not said
};

// Over the cases where `target` holds: the fewest of `others` that hold
// together, and which of them ever hold. Stops early once the fewest is
// below `enough`. nullopt when `target` never holds.
struct Shadow {
  int fewest = 0;
  std::vector<int> seen;  // indexes into `others`
};

std::optional<Shadow> Analyze(const Condition& target,
                              const std::vector<const Condition*>& others,
                              int enough) {
  // Within the case budget, the shadowing conditions that add the fewest
  // facts to the target's.
  std::vector<int> order(others.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const auto added = [&](int i) {
    return std::count_if(others[i]->facts_used().begin(),
                         others[i]->facts_used().end(), [&](Fact f) {
                           const auto& own = target.facts_used();
                           return std::find(own.begin(), own.end(), f) ==
                                  own.end();
                         });
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return added(a) < added(b); });
  std::vector<const Condition*> in_space = {&target};
  std::vector<int> used;
  for (int i : order) {
    in_space.push_back(others[i]);
    if (CaseSpace(in_space).size() > kMaxCases) {
      in_space.pop_back();
    } else {
      used.push_back(i);
    }
  }
  const CaseSpace space(in_space);
  if (space.size() > kMaxCases) return std::nullopt;  // cannot tell
  bool holds_somewhere = false;
  Shadow shadow;
  shadow.fewest = static_cast<int>(used.size()) + 1;
  std::vector<bool> seen(others.size(), false);
  space.ForEach([&](const Facts& facts) {
    if (target.Evaluate(facts) != Tri::kTrue) return true;
    holds_somewhere = true;
    int holding = 0;
    for (int i : used) {
      if (others[i]->Evaluate(facts) == Tri::kTrue) {
        ++holding;
        seen[i] = true;
      }
    }
    shadow.fewest = std::min(shadow.fewest, holding);
    return shadow.fewest >= enough;
  });
  if (!holds_somewhere) return std::nullopt;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i]) shadow.seen.push_back(static_cast<int>(i));
  }
  return shadow;
}

// Whether `target` can ever be true; a condition the analysis cannot cover
// counts as satisfiable.
bool Satisfiable(const Condition& target) {
  if (CaseSpace({&target}).size() > kMaxCases) return true;
  return Analyze(target, {}, 1).has_value();
}

// See "always fills" in the header.
bool AlwaysFills(const Variant& v, const ShopPolicy& shop,
                 std::string_view locale) {
  const Facts no_order = DeriveFacts(nullptr, shop, 0);
  const RenderInputs in{nullptr, &no_order, &shop, locale};
  for (const ReplyTemplate::Tag& tag : v.text.tags()) {
    if (tag.section || tag.guarded) continue;
    if (!tag.name.starts_with("shop.")) return false;
    const std::optional<std::string> value = PlaceholderText(tag.name, in);
    if (!value || value->empty()) return false;
  }
  return true;
}

// The first placeholder the variant quotes unguarded that has no value
// without an order, when its `when` holds without one: the reply is then
// skipped in silence, the author having meant it for any request.
std::optional<std::string> UnguardedOrderPlaceholder(const Variant& v,
                                                     const ShopPolicy& shop,
                                                     std::string_view locale) {
  const Facts no_order = DeriveFacts(nullptr, shop, 0);
  if (v.when.Evaluate(no_order) != Tri::kTrue) return std::nullopt;
  const RenderInputs in{nullptr, &no_order, &shop, locale};
  for (const ReplyTemplate::Tag& tag : v.text.tags()) {
    if (tag.section || tag.guarded || tag.in_items) continue;
    if (!PlaceholderText(tag.name, in)) return tag.name;
  }
  return std::nullopt;
}

std::string Names(const LocalePack& lp, const std::vector<int>& variants,
                  const std::vector<int>& which) {
  std::string out;
  const size_t shown = std::min<size_t>(which.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    out += (i ? ", " : "") + lp.variants[variants[which[i]]].id;
  }
  if (which.size() > shown) {
    out += " and " + std::to_string(which.size() - shown) + " more";
  }
  return out;
}

void CheckIntent(const LocalePack& lp, int intent, const ShopPolicy& shop,
                 std::vector<Finding>* out) {
  const int default_max = Request{}.max;
  const auto report = [&](Severity severity, const Variant& v,
                          const std::string& why) {
    out->push_back({severity, {v.where.file, v.where.line, v.id + ": " + why}});
  };
  // The variants that shadow others, in the order the engine ranks them.
  std::vector<int> filling_regular;   // always fill, not fallbacks
  std::vector<int> filling_fallback;  // always fill, fallbacks
  for (int v : lp.variants_of[intent]) {
    const Variant& variant = lp.variants[v];
    const std::vector<int>& earlier_same_kind =
        variant.fallback ? filling_fallback : filling_regular;
    if (!Satisfiable(variant.when)) {
      report(Severity::kError, variant,
             "never offered: its when (" + variant.when.text() +
                 ") can never be true");
    } else if (variant.fallback) {
      // Any regular variant that fills, wherever it ranks, or an earlier
      // fallback that fills, pre-empts this one.
      std::vector<int> shadowers;
      for (int s : lp.variants_of[intent]) {
        const Variant& other = lp.variants[s];
        if (!other.fallback && AlwaysFills(other, shop, lp.locale)) {
          shadowers.push_back(s);
        }
      }
      shadowers.insert(shadowers.end(), earlier_same_kind.begin(),
                       earlier_same_kind.end());
      std::vector<const Condition*> conditions;
      for (int s : shadowers) conditions.push_back(&lp.variants[s].when);
      const std::optional<Shadow> shadow = Analyze(variant.when, conditions, 1);
      if (shadow && shadow->fewest >= 1) {
        report(Severity::kError, variant,
               "fallback never offered: whenever its when holds, " +
                   Names(lp, shadowers, shadow->seen) +
                   " (which always fill) hold too and are offered instead");
      }
    } else {
      std::vector<const Condition*> conditions;
      for (int s : earlier_same_kind)
        conditions.push_back(&lp.variants[s].when);
      const std::optional<Shadow> shadow =
          Analyze(variant.when, conditions, default_max);
      if (shadow && shadow->fewest >= Request::kMaxSuggestions) {
        report(Severity::kError, variant,
               "never offered: whenever its when holds, at least " +
                   std::to_string(shadow->fewest) +
                   " variants ranked above it hold too and fill the most "
                   "suggestions a request can ask for (" +
                   std::to_string(Request::kMaxSuggestions) + ")");
      } else if (shadow && shadow->fewest >= default_max) {
        report(Severity::kWarning, variant,
               "offered only to requests asking for more than " +
                   std::to_string(shadow->fewest) +
                   " suggestions (the default is " +
                   std::to_string(default_max) +
                   "): whenever its when holds, " +
                   Names(lp, earlier_same_kind, shadow->seen) +
                   " rank above it and are offered first");
      }
    }
    // A proactive intent's requests always carry an order.
    if (const std::optional<std::string> name =
            lp.intents[intent].trigger
                ? std::nullopt
                : UnguardedOrderPlaceholder(variant, shop, lp.locale)) {
      report(Severity::kWarning, variant,
             "quotes {{" + *name + "}}, which its when (" +
                 (variant.when.text().empty() ? std::string("none")
                                              : variant.when.text()) +
                 ") does not guarantee: without an order the when holds but "
                 "{{" +
                 *name +
                 "}} has no value, so the reply is skipped in silence; add "
                 "has_order to its when, or quote it inside {{#" +
                 *name + "}}...{{/" + *name + "}}");
    }
    if (AlwaysFills(variant, shop, lp.locale)) {
      (variant.fallback ? filling_fallback : filling_regular).push_back(v);
    }
  }
}

}  // namespace

std::vector<Finding> CheckReachability(const Pack& pack) {
  std::vector<Finding> out;
  for (const LocalePack& lp : pack.locales) {
    for (size_t i = 0; i < lp.intents.size(); ++i) {
      const IntentDef& intent = lp.intents[i];
      if (intent.trigger && !Satisfiable(*intent.trigger)) {
        out.push_back({Severity::kError,
                       {intent.where.file, intent.where.line,
                        "intent '" + intent.id + "': its trigger (" +
                            intent.trigger->text() + ") can never be true"}});
      }
      CheckIntent(lp, static_cast<int>(i), pack.shop, &out);
    }
  }
  return out;
}

}  // namespace reply::lint

// Scenario files: the behaviour of the packs, written down by template
// authors and checked by CI and `replyctl test`.
//
//   tests/scenarios/shipping.yaml
//   scenarios:
//     - name: overdue order, buyer urges
//       history:                        # optional: the conversation before
//         - buyer: 怎么还不发货
//           at: "2026-11-23T09:00:00+08:00"
//         - agent: 亲，已经为您加急了
//           template: urge_shipment.within_promise
//       message: 怎么还不发货            # or `trigger: true` and no message
//       now: "2026-11-23T10:00:00+08:00"
//       order: {status: paid, paid_at: "2026-11-20T09:05:00+08:00", amount: 129}
//       expect:
//         intents: [urge_shipment]      # exactly these, in this order
//         first_template: urge_shipment.overdue_wait
//         templates: [...]              # optional: exactly these, in order
//         contains: ["6.45"]            # the first suggestion contains each
//         not_contains: ["应该是吧"]      # no suggestion contains any
//         handoff: false                # the first suggestion's flag
//         resolved_by: follow_up        # the first intent's resolved_by
//
// Run(scenario) returns the failures as readable lines ("expected first
// template urge_shipment.overdue_wait, got urge_shipment.within_promise").
//
// Thread safety: plain values and pure functions.
#ifndef REPLY_TOOLS_SCENARIO_SCENARIO_H_
#define REPLY_TOOLS_SCENARIO_SCENARIO_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace reply {

struct Scenario {
  std::string file;
  int line = 0;
  std::string name;
  nlohmann::json request;  // the engine request: message/trigger, order, now...

  std::optional<std::vector<std::string>> intents;
  std::optional<std::string> first_template;
  std::optional<std::vector<std::string>> templates;
  std::vector<std::string> contains;
  std::vector<std::string> not_contains;
  std::optional<bool> handoff;
  std::optional<std::string> resolved_by;

  std::string Where() const { return file + ":" + std::to_string(line); }
};

// Reads every scenario of a file. On error, the status lists every problem
// of the file, one per line as "file:line: reason".
Result<std::vector<Scenario>> LoadScenarios(const std::string& path);

// The scenarios of a file that read well, and every problem of the others
// in `problems` ("file:line: reason"): one broken scenario neither hides the
// next one's problem nor keeps the good ones from running.
std::vector<Scenario> LoadGoodScenarios(const std::string& path,
                                        std::vector<std::string>* problems);

struct ScenarioOutcome {
  std::vector<std::string> failures;   // empty: passed
  std::vector<std::string> templates;  // the templates offered, in order
  std::string locale;                  // the pack that answered ("zh", "vi")
};

// `shop`: the shop answering (Request::shop); empty: shop.yaml's.
ScenarioOutcome RunScenario(const Engine& engine, const Scenario& scenario,
                            const std::string& shop = "");

}  // namespace reply

#endif  // REPLY_TOOLS_SCENARIO_SCENARIO_H_

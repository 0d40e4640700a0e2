// replyctl test: every example and counter-example of every intent, and the
// scenario files (tests/scenarios/*.yaml of the pack directory unless files
// are named), against the packs. Prints each failure with what was expected
// and what came back, then "N passed, N failed"; --junit writes the same as
// JUnit XML. With the whole default scenario set (or --coverage), a reply
// variant that no scenario of its locale offers is a failure too, as in the
// test suite. Exit 1 on any failure.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "engine/pack/pack.h"
#include "tools/replyctl/commands.h"
#include "tools/replyctl/common.h"
#include "tools/replyctl/test_report.h"
#include "tools/scenario/scenario.h"

namespace reply::ctl {
namespace {

namespace fs = std::filesystem;

struct TestOptions {
  std::vector<std::string> files;
  std::string packs;
  std::string junit;
  bool coverage = false;
  bool verbose = false;
  std::string shop;
};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string IntentList(const Response& r) {
  std::string out = "[";
  for (size_t i = 0; i < r.intents.size(); ++i) {
    out += (i ? ", " : "") + r.intents[i].name;
  }
  return out + "]";
}

// The match of intent `id`: named, or asked and resolved to another.
const IntentMatch* FindIntent(const Response& r, const std::string& id) {
  for (const IntentMatch& m : r.intents) {
    if (m.name == id || m.asked == id) return &m;
  }
  return nullptr;
}

// Every example must be its intent (and get a reply), every counter-example
// must not.
void RunExamples(const Engine& engine, const std::string& pack_dir,
                 const std::string& shop, TestReport* report) {
  const std::shared_ptr<const Pack> pack = engine.pack();
  for (const LocalePack& lp : pack->locales) {
    for (const IntentDef& intent : lp.intents) {
      const std::string suite = PackPath(pack_dir, intent.where.file);
      for (size_t i = 0; i < intent.examples.size(); ++i) {
        Request request;
        request.message = intent.examples[i];
        request.locale = lp.locale;
        request.shop = shop;
        TestCase c{suite,
                   intent.id + " example " + Quote(request.message),
                   PackPath(pack_dir, intent.example_where[i].ToString()),
                   {}};
        Result<Response> r = engine.Suggest(request);
        if (!r.ok()) {
          c.failures.push_back("engine error: " + r.status().ToString());
        } else if (FindIntent(*r, intent.id) == nullptr) {
          c.failures.push_back("expected intent " + intent.id + ", got " +
                               IntentList(*r) + " (normalized " +
                               Quote(r->normalized) + ")");
        } else if (r->suggestions.empty()) {
          c.failures.push_back("matched " + intent.id +
                               " but got no suggestion");
        }
        report->Add(std::move(c));
      }
      for (size_t i = 0; i < intent.counter_examples.size(); ++i) {
        Request request;
        request.message = intent.counter_examples[i];
        request.locale = lp.locale;
        request.shop = shop;
        TestCase c{
            suite,
            intent.id + " counter-example " + Quote(request.message),
            PackPath(pack_dir, intent.counter_example_where[i].ToString()),
            {}};
        Result<Response> r = engine.Suggest(request);
        if (!r.ok()) {
          c.failures.push_back("engine error: " + r.status().ToString());
        } else if (const IntentMatch* m = FindIntent(*r, intent.id)) {
          c.failures.push_back("expected not " + intent.id + ", got " +
                               IntentList(*r) + " (" + intent.id +
                               " by the pattern at " +
                               PackPath(pack_dir, m->pattern) + ")");
        }
        report->Add(std::move(c));
      }
    }
  }
}

// Runs the scenarios; adds "locale:template" of every reply offered to
// *offered.
void RunScenarioFile(const Engine& engine, const std::string& file,
                     const std::string& shop, TestReport* report,
                     std::set<std::string>* offered) {
  // Every problem of the file at once, each at its file:line; the
  // scenarios that read well still run.
  std::vector<std::string> problems;
  const std::vector<Scenario> scenarios = LoadGoodScenarios(file, &problems);
  if (!problems.empty()) {
    report->Add({file, "(the file)", file, std::move(problems)});
  }
  for (const Scenario& s : scenarios) {
    ScenarioOutcome outcome = RunScenario(engine, s, shop);
    for (const std::string& t : outcome.templates) {
      offered->insert(outcome.locale + ":" + t);
    }
    std::string name = s.name;
    if (name.empty()) {
      name = s.request.contains("message")
                 ? Quote(s.request["message"].get<std::string>())
                 : "(trigger)";
    }
    report->Add({file, name, s.Where(), std::move(outcome.failures)});
  }
}

std::vector<std::string> DefaultScenarioFiles(const std::string& pack_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path dir = PackPath(pack_dir, "tests/scenarios");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int Run(const TestOptions& o) {
  const std::string pack_dir = PackDir(o.packs);
  std::unique_ptr<Engine> engine = OpenEngine(pack_dir);
  if (!engine) return kExitUsage;
  const bool whole_set = o.files.empty();
  const std::vector<std::string> files =
      whole_set ? DefaultScenarioFiles(pack_dir) : o.files;

  TestReport report;
  if (!o.shop.empty() && engine->pack()->FindShop(o.shop) == nullptr) {
    std::cerr << "replyctl: --shop " << o.shop << ": no "
              << PackPath(pack_dir, "shops/" + o.shop + ".yaml") << "\n";
    return kExitUsage;
  }
  RunExamples(*engine, pack_dir, o.shop, &report);
  std::set<std::string> offered;
  for (const std::string& file : files) {
    RunScenarioFile(*engine, file, o.shop, &report, &offered);
  }

  // Coverage: a variant no scenario of its locale offers.
  int uncovered = 0;
  const bool coverage_fails = (whole_set && !files.empty()) || o.coverage;
  for (const LocalePack& lp : engine->pack()->locales) {
    for (const Variant& v : lp.variants) {
      if (offered.count(lp.locale + ":" + v.id)) continue;
      ++uncovered;
      if (coverage_fails) {
        report.Add({"coverage",
                    v.id + " (" + lp.locale + ")",
                    PackPath(pack_dir, v.where.ToString()),
                    {"no scenario offers this variant: add one that does"}});
      }
    }
  }
  if (files.empty()) {
    std::cout << "note: no scenario files (looked in "
              << PackPath(pack_dir, "tests/scenarios") << ")\n";
  } else if (!coverage_fails && uncovered > 0) {
    std::cout << "note: " << uncovered
              << " variants are offered by none of these scenarios (the "
                 "whole set, or --coverage, requires every one)\n";
  }
  report.Print(std::cout, o.verbose);

  if (!o.junit.empty()) {
    std::ofstream out(o.junit, std::ios::binary);
    out << report.JUnitXml();
    if (!out) {
      std::cerr << o.junit << ": cannot write\n";
      return kExitUsage;
    }
  }
  return report.failed() > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddTestCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test",
      "Run every intent's examples and counter-examples and the scenario "
      "files; exit 1 on any failure");
  cmd->add_option("files", options->files,
                  "Scenario files (default: tests/scenarios/*.yaml of the "
                  "pack directory)");
  cmd->add_option("--packs", options->packs,
                  "Pack directory (default $REPLY_PACKS or .)");
  cmd->add_option("--junit", options->junit, "Also write JUnit XML here");
  cmd->add_option("--shop", options->shop,
                  "Answer as this shop (shops/<id>.yaml); default shop.yaml");
  cmd->add_flag("--coverage", options->coverage,
                "Fail on variants these scenario files do not offer (always "
                "on for the whole default set)");
  cmd->add_flag("-v,--verbose", options->verbose, "List the passing cases too");
  cmd->callback([options, exit_code] { *exit_code = Run(*options); });
}

}  // namespace reply::ctl

// Fuzzes the pack loader on mutated YAML. An input is up to kMaxFiles
// files separated by NUL bytes (which YAML text never holds): shop.yaml,
// then intents/zh/fuzz.yaml, then templates/zh/fuzz_<n>.yaml. They are
// written into a fresh pack directory under $TMPDIR and loaded as replyd
// and `replyctl lint` load one. The loader must return (never crash, never
// reach its last-resort catch, which turns an escaped exception into an
// "unexpected error"), and report every problem as valid UTF-8. A pack that
// loads then answers each of its examples and a proactive trigger, with and
// without an order, through the engine's pipeline.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/json_codec.h"
#include "engine/base/time.h"
#include "engine/base/utf8.h"
#include "engine/engine.h"
#include "engine/order/order.h"
#include "engine/pack/pack_loader.h"
#include "engine/pipeline/pipeline.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_fixtures.h"

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFiles = 8;
// Examples answered per loaded pack: enough to render every variant of a
// small pack, few enough to keep an input fast.
constexpr size_t kMaxExamples = 16;

// This process's pack directory, removed at exit.
const fs::path& PackDir() {
  static const fs::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
        "/reply-pack-fuzz-XXXXXX";
    FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "mkdtemp " + pattern);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(PackDir(), ec);
    });
    return fs::path(pattern);
  }();
  return dir;
}

void WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  FUZZ_CHECK(out.good(), "cannot write " + path.string());
}

// Replaces the pack directory's files with the input's.
void WritePack(std::string_view input) {
  const fs::path& dir = PackDir();
  std::error_code ec;
  fs::remove_all(dir / "intents", ec);
  fs::remove_all(dir / "templates", ec);
  fs::remove(dir / "shop.yaml", ec);
  fs::create_directories(dir / "intents" / "zh");
  fs::create_directories(dir / "templates" / "zh");
  for (size_t i = 0; i < kMaxFiles; ++i) {
    const size_t end = i + 1 == kMaxFiles ? input.size() : input.find('\0');
    const std::string_view file = input.substr(0, end);
    if (i == 0) {
      WriteFile(dir / "shop.yaml", file);
    } else if (i == 1) {
      WriteFile(dir / "intents" / "zh" / "fuzz.yaml", file);
    } else {
      WriteFile(
          dir / "templates" / "zh" / ("fuzz_" + std::to_string(i) + ".yaml"),
          file);
    }
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
}

const reply::Order& AnOrder() {
  static const reply::Order order = [] {
    auto json = nlohmann::json::parse(R"({
      "id": "E1", "status": "paid", "amount": 129,
      "created_at": "2026-11-20T09:00:00+08:00",
      "paid_at": "2026-11-20T10:00:00+08:00",
      "items": [{"name": "卫衣", "size": "M", "quantity": 1}],
      "shipping": {"carrier": "中通", "region": "新疆"}})");
    reply::Result<reply::Order> o = reply::ParseOrder(json);
    FUZZ_CHECK(o.ok(), o.status().ToString());
    return *o;
  }();
  return order;
}

void Answer(const reply::Pack& pack, reply::Request request) {
  static const reply::UnixSeconds kNow =
      *reply::ParseRfc3339("2026-11-23T10:00:00+08:00");
  for (bool with_order : {false, true}) {
    if (with_order) request.order = AnOrder();
    reply::Trace trace;
    reply::Result<reply::Response> response =
        reply::RunPipeline(pack, request, kNow, &trace);
    if (!response.ok()) continue;
    for (const reply::Suggestion& s : response->suggestions) {
      FUZZ_CHECK(reply::FindInvalidUtf8(s.text) == std::string::npos,
                 s.template_id + " renders text that is not UTF-8");
    }
    reply::ResponseToJson(*response);
  }
}

}  // namespace

// Building the tables from ICU takes seconds under ASan: done before the
// first input, so it never counts against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  reply::fuzz::TheNormalizer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const reply::Normalizer* const normalizer = reply::fuzz::TheNormalizer();
  WritePack(std::string_view(reinterpret_cast<const char*>(data), size));

  std::vector<reply::PackIssue> issues;
  reply::Result<std::shared_ptr<const reply::Pack>> pack =
      reply::LoadPack(PackDir().string(), *normalizer, &issues);
  for (const reply::PackIssue& issue : issues) {
    // The exact wording of LoadPack's last resort; the fuzzer learns
    // strings the code compares with, so a mere substring shows up in
    // quoted ids.
    FUZZ_CHECK(!(issue.message.starts_with("could not be loaded (") &&
                 issue.message.ends_with(
                     "an unexpected error; please report it with this file")),
               "the loader's last resort caught: " + issue.ToString());
    FUZZ_CHECK(
        reply::FindInvalidUtf8(issue.ToString()) == std::string::npos,
        "an issue that is not UTF-8: " + reply::SanitizeUtf8(issue.ToString()));
  }
  if (!pack.ok()) {
    FUZZ_CHECK(!issues.empty(), "a failed load without an issue");
    return 0;
  }

  size_t examples = 0;
  for (const reply::LocalePack& lp : (*pack)->locales) {
    for (const reply::IntentDef& intent : lp.intents) {
      for (const std::string& example : intent.examples) {
        if (examples++ == kMaxExamples) break;
        reply::Request request;
        request.message = example;
        request.locale = lp.locale;
        Answer(**pack, request);
      }
    }
    reply::Request trigger;
    trigger.trigger = true;
    trigger.locale = lp.locale;
    Answer(**pack, trigger);
  }
  return 0;
}

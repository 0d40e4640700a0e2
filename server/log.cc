#include "server/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace reply::server {
namespace {

std::atomic<LogLevel> min_level{LogLevel::kInfo};
std::mutex write_mu;

std::string UtcNowMillis() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      now.time_since_epoch())
                      .count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

bool SetLogLevel(std::string_view name) {
  const std::optional<LogLevel> level = FromName(kLogLevelNames, name);
  if (level) min_level = *level;
  return level.has_value();
}

bool LogEnabled(LogLevel level) { return level >= min_level.load(); }

void Log(LogLevel level, std::string_view event,
         nlohmann::ordered_json fields) {
  if (!LogEnabled(level)) return;
  nlohmann::ordered_json line = {{"ts", UtcNowMillis()},
                                 {"level", NameOf(kLogLevelNames, level)},
                                 {"event", event}};
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  // Replace, not throw, on bytes that are not UTF-8: a log line never fails.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(write_mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace reply::server

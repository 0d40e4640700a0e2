// Structured logging: one JSON object per line on stderr,
//   {"ts":"2026-11-23T02:00:00.123Z","level":"info","event":"reload","ok":true}
// so that log tools can filter by field and tests can read events.
//
//   Log(LogLevel::kInfo, "listening", {{"addr", "127.0.0.1"}, {"port", 8080}});
//   if (LogEnabled(LogLevel::kDebug)) Log(LogLevel::kDebug, "frame", {{"text",
//   text}});
//
// Privacy rule: a buyer's message, name or address is logged only at debug
// level. Callers check LogEnabled first so that nothing is built otherwise.
//
// Thread safety: every function may be called from any thread; lines are
// written whole.
#ifndef REPLY_SERVER_LOG_H_
#define REPLY_SERVER_LOG_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "engine/base/enum_table.h"

namespace reply::server {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
inline constexpr EnumName<LogLevel> kLogLevelNames[] = {
    {LogLevel::kDebug, "debug"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"},
};
static_assert(InEnumOrder(kLogLevelNames));

// "debug", "info", "warn", "error"; anything else: false.
bool SetLogLevel(std::string_view name);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view event,
         nlohmann::ordered_json fields = nlohmann::ordered_json::object());

}  // namespace reply::server

#endif  // REPLY_SERVER_LOG_H_

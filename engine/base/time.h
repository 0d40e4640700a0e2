// Wall-clock instants as RFC 3339 text and back, and the civil calendar in a
// fixed UTC offset (shops state their hours in local time, e.g. +08:00).
//
// Instants are Unix seconds; the engine never needs sub-second precision.
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_BASE_TIME_H_
#define REPLY_ENGINE_BASE_TIME_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/base/status.h"

namespace reply {

using UnixSeconds = int64_t;

// Where the engine reads "now" from when a request does not pin it. Tests and
// the `now` request field replace it; the default reads the system clock.
using Clock = std::function<UnixSeconds()>;
Clock SystemClock();

// "2026-11-23T10:00:00+08:00", "2026-11-23T02:00:00Z", fractional seconds
// allowed (and dropped). The error message says what is wrong, not where: the
// caller prefixes the field name.
Result<UnixSeconds> ParseRfc3339(std::string_view text);

// "2026-11-23T10:00:00+08:00" for an offset of 480 minutes.
std::string FormatRfc3339(UnixSeconds t, int utc_offset_minutes);

struct CivilTime {
  int year;
  int month;   // 1-12
  int day;     // 1-31
  int hour;    // 0-23
  int minute;  // 0-59
  int second;  // 0-59
};

CivilTime ToCivil(UnixSeconds t, int utc_offset_minutes);

// Parses "+08:00", "-05:30" or "Z" into minutes east of UTC.
Result<int> ParseUtcOffset(std::string_view text);

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_TIME_H_

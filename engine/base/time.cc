#include "engine/base/time.h"

#include <chrono>
#include <cstdio>

namespace reply {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (m <= 2));
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, int width, int* value) {
  if (*pos + width > text.size()) return false;
  int v = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += width;
  *value = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

Clock SystemClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

Result<int> ParseUtcOffset(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  size_t pos = 1;
  int hours = 0, minutes = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') ||
      !ReadDigits(text, &pos, 2, &hours) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minutes) || hours > 23 || minutes > 59) {
    return Status::BadRequest("expected a UTC offset like +08:00 or Z, got \"" +
                              std::string(text) + "\"");
  }
  const int total = hours * 60 + minutes;
  return text[0] == '-' ? -total : total;
}

Result<UnixSeconds> ParseRfc3339(std::string_view text) {
  const auto bad = [&] {
    return Status::BadRequest(
        "expected an RFC 3339 time like 2026-11-23T10:00:00+08:00, got \"" +
        std::string(text.substr(0, 64)) + "\"");
  };
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!ReadDigits(text, &pos, 4, &y) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &mo) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &d)) {
    return bad();
  }
  if (pos >= text.size() ||
      (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return bad();
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &h) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &mi) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &s)) {
    return bad();
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return bad();
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 ||
      mi > 59 || s > 60) {
    return bad();
  }
  Result<int> offset = ParseUtcOffset(text.substr(pos));
  if (!offset.ok()) return bad();
  const int64_t days = DaysFromCivil(y, mo, d);
  return days * 86400 + h * 3600 + mi * 60 + s - int64_t{*offset} * 60;
}

CivilTime ToCivil(UnixSeconds t, int utc_offset_minutes) {
  const int64_t local = t + int64_t{utc_offset_minutes} * 60;
  int64_t days = local / 86400;
  int64_t rem = local % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  CivilTime c;
  CivilFromDays(days, &c.year, &c.month, &c.day);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  return c;
}

std::string FormatRfc3339(UnixSeconds t, int utc_offset_minutes) {
  const CivilTime c = ToCivil(t, utc_offset_minutes);
  char buf[40];
  if (utc_offset_minutes == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year,
                  c.month, c.day, c.hour, c.minute, c.second);
  } else {
    const int abs =
        utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                  c.year, c.month, c.day, c.hour, c.minute, c.second,
                  utc_offset_minutes < 0 ? '-' : '+', abs / 60, abs % 60);
  }
  return buf;
}

}  // namespace reply

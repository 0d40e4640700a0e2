#include "server/retention.h"

#include "learn/feedback_purge.h"
#include "server/log.h"

namespace reply::server {

Retention::Retention(std::string db_path, int64_t days, int64_t busy_timeout_ms)
    : db_path_(std::move(db_path)),
      days_(days),
      busy_timeout_ms_(busy_timeout_ms),
      worker_(kEvery, [this] { Erase(); }) {}

void Retention::Erase() {
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  const int64_t before_ms = now_ms - days_ * 86'400'000;
  Result<int64_t> erased =
      learn::EraseTextsBefore(db_path_, before_ms, busy_timeout_ms_);
  if (!erased.ok()) {
    if (!failing_) {
      Log(LogLevel::kWarn, "retention_failed",
          {{"error", erased.status().message()},
           {"note", "tried again in an hour"}});
    }
    failing_ = true;
    return;
  }
  failing_ = false;
  Log(LogLevel::kInfo, "retention",
      {{"days", days_}, {"rows_erased", *erased}});
}

}  // namespace reply::server

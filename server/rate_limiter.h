// RateLimiter: a token bucket. A connection may send `burst` frames at once
// and `rate` frames per second on average.
//
//   RateLimiter limiter(50, 100);
//   if (!limiter.Allow(std::chrono::steady_clock::now())) Refuse();
//
// Thread safety: none; each connection owns one and uses it on its strand.
#ifndef REPLY_SERVER_RATE_LIMITER_H_
#define REPLY_SERVER_RATE_LIMITER_H_

#include <algorithm>
#include <chrono>

namespace reply::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double rate_per_second, double burst)
      : rate_(rate_per_second), burst_(burst), tokens_(burst) {}

  bool Allow(Clock::time_point now) {
    if (last_ != Clock::time_point{}) {
      const double seconds = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(burst_, tokens_ + seconds * rate_);
    }
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  const double rate_;
  const double burst_;
  double tokens_;
  Clock::time_point last_{};
};

}  // namespace reply::server

#endif  // REPLY_SERVER_RATE_LIMITER_H_

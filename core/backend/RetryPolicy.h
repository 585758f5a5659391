#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace collab::backend {

// When and how long to wait before trying a request again.
//
// Retried: HTTP 408, 429 and 5xx, and transport failures (refused or reset connections,
// timeouts, a reply cut off mid-body): all can pass by themselves. Not retried: other 4xx
// (a wrong URL, model or key will not get better) and a 2xx that is not a chat completion.
class RetryPolicy {
public:
  using Duration = std::chrono::milliseconds;

  RetryPolicy(int maxAttempts, double baseSeconds, double maxSeconds, double maxRetryAfterSeconds,
              std::uint64_t jitterSeed);

  static bool isRetryableStatus(long status);
  int maxAttempts() const { return maxAttempts_; }

  // The wait after the `attempt`th failure (1-based): exponential backoff with "equal
  // jitter", uniform in [d/2, d] for d = min(max, base * 2^(attempt-1)), so that many
  // clients failing together do not all come back at the same instant.
  Duration backoff(int attempt);
  // The wait before the next attempt when the server sent `Retry-After`: at least what it
  // asked for (and at least the backoff). Empty when it asked for more than the limit.
  std::optional<Duration> honour(Duration retryAfter, int attempt);
  Duration maxRetryAfter() const { return maxRetryAfter_; }

  // A Retry-After value: delay-seconds ("3") or an HTTP-date. Empty when it is neither.
  static std::optional<Duration> parseRetryAfter(const std::string& value,
                                                 std::chrono::system_clock::time_point now);

private:
  int maxAttempts_;
  Duration base_, max_, maxRetryAfter_;
  std::mt19937_64 random_;
};

} // namespace collab::backend

#include "backend/RetryPolicy.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace collab::backend {

namespace {

RetryPolicy::Duration milliseconds(double seconds) {
  return RetryPolicy::Duration(static_cast<long long>(seconds * 1000.0));
}

std::string trimmed(const std::string& text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

} // namespace

RetryPolicy::RetryPolicy(int maxAttempts, double baseSeconds, double maxSeconds, double maxRetryAfterSeconds,
                         std::uint64_t jitterSeed)
    : maxAttempts_(maxAttempts), base_(milliseconds(baseSeconds)), max_(milliseconds(maxSeconds)),
      maxRetryAfter_(milliseconds(maxRetryAfterSeconds)), random_(jitterSeed) {}

bool RetryPolicy::isRetryableStatus(long status) { return status == 408 || status == 429 || status >= 500; }

RetryPolicy::Duration RetryPolicy::backoff(int attempt) {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const long long full = std::min<long long>(max_.count(), base_.count() << doublings);
  std::uniform_int_distribution<long long> half(0, full / 2);
  return Duration(full - full / 2 + half(random_));
}

std::optional<RetryPolicy::Duration> RetryPolicy::honour(Duration retryAfter, int attempt) {
  if (retryAfter > maxRetryAfter_) return std::nullopt;
  return std::max(retryAfter, backoff(attempt));
}

std::optional<RetryPolicy::Duration> RetryPolicy::parseRetryAfter(const std::string& value,
                                                                  std::chrono::system_clock::time_point now) {
  const std::string text = trimmed(value);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (text.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stoll(text));
  }
  const time_t when = curl_getdate(text.c_str(), nullptr); // RFC 7231 IMF-fixdate and older forms
  if (when < 0) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(Duration(0), std::chrono::duration_cast<Duration>(wait));
}

} // namespace collab::backend

#include "backend/OpenAiHttpBackend.h"

#include "backend/BackendError.h"
#include "backend/ChatCompletionJson.h"
#include "backend/CurlAttempt.h"
#include "common/Cancellation.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace collab::backend {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kCancellationCheck{100};

void initialiseCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("HTTP backend: libcurl failed to initialise");
  });
}

// The request headers shared by every transfer of a batch.
class Headers {
public:
  explicit Headers(const std::string& apiKey) {
    append("Content-Type: application/json");
    append("Accept: application/json");
    append("Expect:"); // no 100-continue round trip before each body
    if (!apiKey.empty()) append("Authorization: Bearer " + apiKey);
  }
  ~Headers() { curl_slist_free_all(list_); }
  Headers(const Headers&) = delete;
  Headers& operator=(const Headers&) = delete;
  curl_slist* list() const { return list_; }

private:
  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_, line.c_str());
    if (!next) throw Error("HTTP backend: out of memory for headers");
    list_ = next;
  }
  curl_slist* list_ = nullptr;
};

// A multi handle and the attempts running on it; whatever is still running when it goes
// (a cancellation, an exception) is detached before the handles are freed.
class Transfers {
public:
  Transfers() : multi_(curl_multi_init()) {
    if (!multi_) throw Error("HTTP backend: libcurl could not create a multi handle");
  }
  ~Transfers() {
    for (auto& [easy, attempt] : running_) curl_multi_remove_handle(multi_, easy);
    running_.clear();
    curl_multi_cleanup(multi_);
  }
  Transfers(const Transfers&) = delete;
  Transfers& operator=(const Transfers&) = delete;

  std::size_t size() const { return running_.size(); }
  void start(std::unique_ptr<CurlAttempt> attempt) {
    CURL* easy = attempt->handle();
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) throw Error("HTTP backend: libcurl refused a transfer");
    running_[easy] = std::move(attempt);
  }
  // Drives the transfers, waiting at most `wait` for something to happen; returns those done.
  std::vector<std::unique_ptr<CurlAttempt>> step(std::chrono::milliseconds wait) {
    int still = 0;
    curl_multi_perform(multi_, &still);
    std::vector<std::unique_ptr<CurlAttempt>> done = takeDone();
    if (done.empty()) curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::max<long long>(wait.count(), 0)), nullptr);
    return done;
  }

private:
  std::vector<std::unique_ptr<CurlAttempt>> takeDone() {
    std::vector<std::unique_ptr<CurlAttempt>> done;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      auto it = running_.find(message->easy_handle);
      if (it == running_.end()) continue;
      curl_multi_remove_handle(multi_, it->first);
      it->second->finish(message->data.result);
      done.push_back(std::move(it->second));
      running_.erase(it);
    }
    return done;
  }

  CURLM* multi_;
  std::map<CURL*, std::unique_ptr<CurlAttempt>> running_;
};

struct Waiting {
  std::size_t request;
  int attempt;
  Clock::time_point notBefore;
};

std::string seconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

} // namespace

OpenAiHttpBackend::OpenAiHttpBackend(HttpBackendConfig config)
    : config_(std::move(config)),
      retry_(config_.maxAttempts, config_.backoffBaseSeconds, config_.backoffMaxSeconds, config_.maxRetryAfterSeconds,
             config_.jitterSeed) {
  config_.validate();
  apiKey_ = config_.apiKey();
  initialiseCurlOnce();
}

std::string OpenAiHttpBackend::describe() const { return "http:" + config_.model + "@" + config_.baseUrl; }

std::vector<ChatResult> OpenAiHttpBackend::complete(const std::vector<ChatRequest>& requests) {
  const std::string endpoint = config_.endpoint();
  std::vector<std::string> bodies;
  for (const auto& request : requests) bodies.push_back(chatCompletionBody(config_.model, request));
  std::vector<ChatResult> results(requests.size());
  std::vector<Waiting> waiting;
  for (std::size_t i = 0; i < requests.size(); ++i) waiting.push_back({i, 1, Clock::now()});

  const Headers headers(apiKey_);
  Transfers transfers;
  auto fail = [&](std::size_t request, int attempts, const std::string& why) {
    results[request].error = "POST " + endpoint + ": " + why;
    results[request].attempts = attempts;
  };
  // Schedules the next try of a failed attempt, or records the failure when none is left.
  auto retryOrFail = [&](const CurlAttempt& attempt, const std::string& why, std::chrono::milliseconds delay) {
    if (attempt.attempt() >= retry_.maxAttempts())
      return fail(attempt.request(), attempt.attempt(),
                  "no reply after " + std::to_string(attempt.attempt()) + " attempts (last: " + why + ")");
    waiting.push_back({attempt.request(), attempt.attempt() + 1, Clock::now() + delay});
  };
  auto settle = [&](const CurlAttempt& attempt) {
    if (attempt.code() != CURLE_OK) {
      if (!attempt.transportRetryable()) return fail(attempt.request(), attempt.attempt(), attempt.transportError());
      return retryOrFail(attempt, attempt.transportError(), retry_.backoff(attempt.attempt()));
    }
    const long status = attempt.status();
    if (status >= 200 && status < 300) {
      try {
        results[attempt.request()] = parseChatCompletion(attempt.body(), endpoint);
        results[attempt.request()].attempts = attempt.attempt();
      } catch (const BackendError& e) {
        results[attempt.request()].error = e.what();
        results[attempt.request()].attempts = attempt.attempt();
      }
      return;
    }
    const std::string why = "HTTP " + std::to_string(status) + ": " + serverErrorText(attempt.body());
    if (!RetryPolicy::isRetryableStatus(status))
      return fail(attempt.request(), attempt.attempt(), why + " (a client error: not retried)");
    std::chrono::milliseconds delay = retry_.backoff(attempt.attempt());
    if (attempt.retryAfter()) {
      const auto asked = RetryPolicy::parseRetryAfter(*attempt.retryAfter(), std::chrono::system_clock::now());
      const auto honoured = asked ? retry_.honour(*asked, attempt.attempt()) : std::nullopt;
      if (asked && !honoured)
        return fail(attempt.request(), attempt.attempt(),
                    why + " (the server asked to retry after " + seconds(*asked) + ", more than the limit of " +
                        seconds(retry_.maxRetryAfter()) + ")");
      if (honoured) delay = *honoured;
    }
    retryOrFail(attempt, why, delay);
  };

  while (!waiting.empty() || transfers.size() > 0) {
    throwIfCancelled();
    const auto now = Clock::now();
    // Start what is due, oldest request first, up to the concurrency limit.
    std::sort(waiting.begin(), waiting.end(), [](const Waiting& a, const Waiting& b) { return a.request < b.request; });
    for (auto it = waiting.begin(); it != waiting.end() && transfers.size() < static_cast<std::size_t>(config_.maxConcurrency);) {
      if (it->notBefore > now) {
        ++it;
        continue;
      }
      transfers.start(std::make_unique<CurlAttempt>(it->request, it->attempt, endpoint, bodies[it->request],
                                                    headers.list(), config_));
      it = waiting.erase(it);
    }
    // With a free slot, whatever still waits is due later: sleep no longer than that.
    auto wait = kCancellationCheck;
    if (transfers.size() < static_cast<std::size_t>(config_.maxConcurrency))
      for (const Waiting& w : waiting)
        wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(w.notBefore - now));
    for (const auto& attempt : transfers.step(wait)) settle(*attempt);
  }
  return results;
}

} // namespace collab::backend

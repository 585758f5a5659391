#pragma once

#include "backend/HttpBackendConfig.h"
#include "backend/LlmBackend.h"
#include "backend/RetryPolicy.h"

namespace collab::backend {

// Chat completions from an OpenAI-compatible HTTP endpoint, with libcurl's multi interface:
// a batch keeps up to `maxConcurrency` requests in flight on one thread; each request is
// retried on its own (exponential backoff with jitter, honouring Retry-After) while the
// others go on. Failures end up in each result's `error`, naming the endpoint and what was
// expected; a cancellation request (common/Cancellation.h) aborts the batch.
class OpenAiHttpBackend : public LlmBackend {
public:
  // Throws collab::Error for a bad config or an API key variable that is named but not set.
  explicit OpenAiHttpBackend(HttpBackendConfig config);

  std::vector<ChatResult> complete(const std::vector<ChatRequest>& requests) override;
  // "http:MODEL@BASE_URL"
  std::string describe() const override;
  const HttpBackendConfig& config() const { return config_; }

private:
  HttpBackendConfig config_;
  std::string apiKey_; // in memory only: never logged, recorded or written
  RetryPolicy retry_;
};

} // namespace collab::backend

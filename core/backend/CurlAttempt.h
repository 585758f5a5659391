#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <curl/curl.h>

namespace collab::backend {

struct HttpBackendConfig;

// One try of one POST, as a libcurl easy handle for a multi handle to drive: the body it
// sends, the reply it collects (status, body, Retry-After) and how the transfer ended.
class CurlAttempt {
public:
  CurlAttempt(std::size_t request, int attempt, const std::string& endpoint, const std::string& body,
              curl_slist* headers, const HttpBackendConfig& config);
  ~CurlAttempt();
  CurlAttempt(const CurlAttempt&) = delete;
  CurlAttempt& operator=(const CurlAttempt&) = delete;

  CURL* handle() const { return easy_; }
  std::size_t request() const { return request_; }
  int attempt() const { return attempt_; }

  // Filled in when the transfer is done.
  void finish(CURLcode code);
  CURLcode code() const { return code_; }
  long status() const { return status_; }
  const std::string& body() const { return response_; }
  const std::optional<std::string>& retryAfter() const { return retryAfter_; }
  // "Connection refused", "timed out after 2.0 s", "reply cut off mid-body"...
  std::string transportError() const;
  // Whether a transport failure may pass by itself (refused, reset, timed out, cut off).
  bool transportRetryable() const;

private:
  static size_t onBody(char* data, size_t size, size_t count, void* self);
  static size_t onHeader(char* data, size_t size, size_t count, void* self);

  CURL* easy_;
  std::size_t request_;
  int attempt_;
  std::string body_; // kept alive: libcurl sends from it
  std::string response_;
  std::optional<std::string> retryAfter_;
  char errorBuffer_[CURL_ERROR_SIZE] = {};
  CURLcode code_ = CURLE_OK;
  long status_ = 0;
  double timeoutSeconds_;
};

} // namespace collab::backend

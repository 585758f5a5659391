#include "backend/CurlAttempt.h"

#include "backend/HttpBackendConfig.h"
#include "common/Error.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace collab::backend {

namespace {

constexpr std::size_t kMaxResponseBytes = 64u << 20; // a reply larger than this is not a chat message

bool startsWithNoCase(const std::string& text, const char* prefix) {
  for (std::size_t i = 0; prefix[i]; ++i)
    if (i >= text.size() || std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

} // namespace

CurlAttempt::CurlAttempt(std::size_t request, int attempt, const std::string& endpoint, const std::string& body,
                         curl_slist* headers, const HttpBackendConfig& config)
    : easy_(curl_easy_init()), request_(request), attempt_(attempt), body_(body),
      timeoutSeconds_(config.requestTimeoutSeconds) {
  if (!easy_) throw Error("HTTP backend: libcurl could not create a transfer");
  curl_easy_setopt(easy_, CURLOPT_URL, endpoint.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body_.c_str());
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlAttempt::onBody);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &CurlAttempt::onHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, errorBuffer_);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connectTimeoutSeconds * 1000));
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(config.requestTimeoutSeconds * 1000));
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L); // timeouts without SIGALRM: we may be one thread of many
  curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
}

CurlAttempt::~CurlAttempt() { curl_easy_cleanup(easy_); }

size_t CurlAttempt::onBody(char* data, size_t size, size_t count, void* self) {
  auto* attempt = static_cast<CurlAttempt*>(self);
  if (attempt->response_.size() + size * count > kMaxResponseBytes) return 0; // aborts the transfer
  attempt->response_.append(data, size * count);
  return size * count;
}

size_t CurlAttempt::onHeader(char* data, size_t size, size_t count, void* self) {
  auto* attempt = static_cast<CurlAttempt*>(self);
  const std::string line(data, size * count);
  if (startsWithNoCase(line, "http/")) attempt->retryAfter_.reset(); // a new response (after 100 Continue)
  if (startsWithNoCase(line, "retry-after:")) attempt->retryAfter_ = line.substr(12);
  return size * count;
}

void CurlAttempt::finish(CURLcode code) {
  code_ = code;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status_);
}

std::string CurlAttempt::transportError() const {
  if (code_ == CURLE_OPERATION_TIMEDOUT) {
    char text[64];
    std::snprintf(text, sizeof text, "timed out after %.1f s", timeoutSeconds_);
    return text;
  }
  if (code_ == CURLE_PARTIAL_FILE) return "the reply was cut off mid-body (" + std::string(errorBuffer_) + ")";
  if (code_ == CURLE_GOT_NOTHING) return "the server closed the connection without replying";
  return errorBuffer_[0] ? std::string(errorBuffer_) : std::string(curl_easy_strerror(code_));
}

bool CurlAttempt::transportRetryable() const {
  switch (code_) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return true;
  default:
    return false;
  }
}

} // namespace collab::backend

#include "backend/HttpBackendConfig.h"

#include "common/Error.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace collab::backend {

std::string HttpBackendConfig::endpoint() const {
  std::string base = baseUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/chat/completions";
}

std::string HttpBackendConfig::toJson() const {
  return nlohmann::json{{"base_url", baseUrl},
                        {"model", model},
                        {"api_key_env", apiKeyEnv},
                        {"max_concurrency", maxConcurrency},
                        {"connect_timeout_s", connectTimeoutSeconds},
                        {"request_timeout_s", requestTimeoutSeconds},
                        {"max_attempts", maxAttempts}}
      .dump();
}

std::string HttpBackendConfig::apiKey() const {
  if (apiKeyEnv.empty()) return "";
  const char* value = std::getenv(apiKeyEnv.c_str());
  if (!value || !*value)
    throw Error("the API key variable " + apiKeyEnv + " is not set (it is read from the environment, never stored)");
  return value;
}

void HttpBackendConfig::validate() const {
  auto fail = [](const std::string& field, const std::string& expected) {
    throw Error("HTTP backend: `" + field + "`: expected " + expected);
  };
  if (baseUrl.rfind("http://", 0) != 0 && baseUrl.rfind("https://", 0) != 0)
    fail("base_url", "an http:// or https:// URL, found \"" + baseUrl + "\"");
  if (model.empty()) fail("model", "a model name");
  if (maxConcurrency < 1) fail("max_concurrency", "at least 1");
  if (maxAttempts < 1) fail("max_attempts", "at least 1");
  if (connectTimeoutSeconds <= 0 || requestTimeoutSeconds <= 0) fail("timeouts", "positive seconds");
  if (backoffBaseSeconds < 0 || backoffMaxSeconds < backoffBaseSeconds) fail("backoff", "0 <= base <= max");
}

} // namespace collab::backend

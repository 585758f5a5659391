#pragma once

#include <string>

namespace collab::backend {

// How to reach an OpenAI-compatible chat completions endpoint. The API key itself is never
// part of it: only the name of the environment variable that holds it, so that a config
// recorded in a project (or shown in a log) carries no secret.
struct HttpBackendConfig {
  std::string baseUrl;          // "http://127.0.0.1:8000/v1"; "/chat/completions" is appended
  std::string model;            // sent as `model`
  std::string apiKeyEnv;        // e.g. "OPENAI_API_KEY"; empty: no Authorization header
  int maxConcurrency = 8;       // requests in flight at once
  double connectTimeoutSeconds = 10.0;
  double requestTimeoutSeconds = 120.0; // a whole attempt, reply included
  int maxAttempts = 5;          // retries included
  double backoffBaseSeconds = 0.5;  // first retry waits about this long, then doubling
  double backoffMaxSeconds = 30.0;
  double maxRetryAfterSeconds = 120.0; // a server asking to wait longer is an error
  unsigned long long jitterSeed = 0;   // makes the jitter reproducible

  // "BASE_URL/chat/completions"
  std::string endpoint() const;
  // Everything above as JSON (the variable's name, never its value), for provenance.
  std::string toJson() const;
  // The key read from `apiKeyEnv`; empty when no variable is named. Throws collab::Error
  // when the named variable is not set, naming it.
  std::string apiKey() const;
  // Throws collab::Error naming the first bad field.
  void validate() const;
};

} // namespace collab::backend

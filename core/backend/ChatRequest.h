#pragma once

#include "conversation/Message.h"

#include <optional>
#include <string>
#include <vector>

namespace collab::backend {

// How a reply is sampled. Fields left unset are not sent, so the server's own defaults
// apply (a local model and a hosted one do not share them).
struct GenerationParams {
  double temperature = 1.0;
  std::optional<double> topP;
  std::optional<int> maxTokens;
  std::optional<long long> seed;
  std::vector<std::string> stop;
  bool jsonObject = false; // ask for a JSON object reply (OpenAI `response_format`)
};

// One chat completion to make: the messages so far and how to sample the reply.
struct ChatRequest {
  conversation::Messages messages;
  GenerationParams params;
};

// The reply to one request, or why there is none. A batch returns one result per
// request, in order, so one failure does not lose the others.
struct ChatResult {
  std::string text;
  std::string finishReason;    // "stop", "length"... as the server said
  int promptTokens = 0;        // as the server counted them, 0 when it did not say
  int completionTokens = 0;
  int attempts = 0;            // tries made, retries included
  std::string error;           // empty on success: says what went wrong, where

  bool ok() const { return error.empty(); }
  // The text, or a BackendError with `error`.
  const std::string& textOrThrow() const;
};

} // namespace collab::backend

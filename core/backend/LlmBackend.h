#pragma once

#include "backend/ChatRequest.h"

#include <string>
#include <vector>

namespace collab::backend {

// Where chat completions come from: an OpenAI-compatible HTTP endpoint (vLLM, llama.cpp
// server, Ollama, OpenAI) or a local model. Batched, because both kinds serve many
// requests at once far faster than one by one: an HTTP backend keeps several in flight,
// a local model decodes them as one batch.
class LlmBackend {
public:
  virtual ~LlmBackend() = default;

  // One result per request, in order. Failures are reported in each result's `error`;
  // the call itself throws only when it cannot run at all (or is cancelled).
  virtual std::vector<ChatResult> complete(const std::vector<ChatRequest>& requests) = 0;
  // What produced the replies, recorded with everything made from them
  // ("http:MODEL@URL", "local:CHECKPOINT"). Never holds a secret.
  virtual std::string describe() const = 0;

  // One request; throws BackendError when it fails.
  std::string completeOne(const ChatRequest& request);
};

} // namespace collab::backend

#pragma once

#include "backend/ChatRequest.h"

#include <string>

namespace collab::backend {

// The body of POST /chat/completions for `request` (OpenAI's chat completions API, which
// vLLM, llama.cpp server and Ollama accept too).
std::string chatCompletionBody(const std::string& model, const ChatRequest& request);

// The reply in a chat completion response body: choices[0].message.content, the finish
// reason and the usage counts. Throws BackendError naming `endpoint`, what was expected
// and what was found when the body is not such a response.
ChatResult parseChatCompletion(const std::string& body, const std::string& endpoint);

// The error message a server put in an error response ({"error": {"message": ...}} or
// {"error": "..."}), else the body itself, on one line and cut short.
std::string serverErrorText(const std::string& body);

} // namespace collab::backend

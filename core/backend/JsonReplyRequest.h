#pragma once

#include "backend/BackendError.h"
#include "backend/LlmBackend.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace collab::backend {

// An LLM that was asked for a JSON reply kept answering something else.
class InvalidReplyError : public BackendError {
public:
  using BackendError::BackendError;
};

// Says what is wrong with a parsed reply ("expected `response` to be a non-empty
// string"), or nothing when it is usable.
using ReplyCheck = std::function<std::string(const nlohmann::json& reply)>;

// Asks for a JSON object, read leniently (parseLenientJson) and checked, asking again up
// to `maxAttempts` times in all; then throws InvalidReplyError naming `who`, the backend,
// what was expected and the last reply. Never makes a reply up. Transport failures are the
// backend's to retry: its BackendError goes through.
nlohmann::json requestJsonReply(LlmBackend& backend, const ChatRequest& request, const ReplyCheck& check,
                                int maxAttempts, const std::string& who);

} // namespace collab::backend

#include "backend/LlmBackend.h"

#include "backend/BackendError.h"

namespace collab::backend {

const std::string& ChatResult::textOrThrow() const {
  if (!ok()) throw BackendError(error);
  return text;
}

std::string LlmBackend::completeOne(const ChatRequest& request) {
  const std::vector<ChatResult> results = complete({request});
  if (results.size() != 1) throw BackendError(describe() + ": expected one result for one request");
  return results.front().textOrThrow();
}

} // namespace collab::backend

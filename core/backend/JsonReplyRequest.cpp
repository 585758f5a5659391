#include "backend/JsonReplyRequest.h"

#include "backend/LenientJson.h"
#include "common/Text.h"

namespace collab::backend {

nlohmann::json requestJsonReply(LlmBackend& backend, const ChatRequest& request, const ReplyCheck& check,
                                int maxAttempts, const std::string& who) {
  std::string problem, last;
  for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
    last = backend.completeOne(request);
    const auto parsed = parseLenientJson(last, &problem);
    if (!parsed) continue;
    problem = check(*parsed);
    if (problem.empty()) return *parsed;
  }
  throw InvalidReplyError(who + " (" + backend.describe() + "): no valid reply in " + std::to_string(maxAttempts) +
                          " attempts: " + problem + "; last reply: \"" + oneLine(last, 200) + "\"");
}

} // namespace collab::backend

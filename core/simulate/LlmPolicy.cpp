#include "simulate/LlmPolicy.h"

namespace collab::simulate {

LlmPolicy::LlmPolicy(backend::LlmBackend& backend, std::string systemPrompt, backend::GenerationParams params)
    : backend_(backend), systemPrompt_(std::move(systemPrompt)), params_(std::move(params)) {}

backend::ChatRequest LlmPolicy::requestFor(const conversation::Messages& conversation) const {
  backend::ChatRequest request;
  if (!systemPrompt_.empty()) request.messages.push_back({conversation::Role::System, systemPrompt_});
  request.messages.insert(request.messages.end(), conversation.begin(), conversation.end());
  request.params = params_;
  return request;
}

std::string LlmPolicy::respond(const task::TaskInstance&, const conversation::Messages& conversation) {
  return backend_.completeOne(requestFor(conversation));
}

std::vector<std::string> LlmPolicy::respondAll(const task::TaskInstance&,
                                               const std::vector<conversation::Messages>& conversations) {
  std::vector<backend::ChatRequest> requests;
  for (const auto& conversation : conversations) requests.push_back(requestFor(conversation));
  return completeAll(requests);
}

std::vector<std::string> LlmPolicy::respondToTurns(const std::vector<PolicyTurn>& turns) {
  std::vector<backend::ChatRequest> requests;
  for (const PolicyTurn& turn : turns) requests.push_back(requestFor(*turn.conversation));
  return completeAll(requests);
}

std::vector<std::string> LlmPolicy::completeAll(const std::vector<backend::ChatRequest>& requests) {
  std::vector<std::string> replies;
  for (const auto& result : backend_.complete(requests)) replies.push_back(result.textOrThrow());
  return replies;
}

} // namespace collab::simulate

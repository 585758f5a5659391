#pragma once

#include "backend/LlmBackend.h"
#include "simulate/Policy.h"

namespace collab::simulate {

// The assistant played by any LLM backend (an HTTP endpoint now, the local model later):
// an optional system prompt, then the conversation as chat messages.
class LlmPolicy : public Policy {
public:
  LlmPolicy(backend::LlmBackend& backend, std::string systemPrompt = {}, backend::GenerationParams params = {});

  // Throws backend::BackendError when the backend gives no reply.
  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) override;
  // One batched backend call for all of them.
  std::vector<std::string> respondAll(const task::TaskInstance& task,
                                      const std::vector<conversation::Messages>& conversations) override;
  // The task is not part of the request: the turns of all tasks go in one batched call.
  std::vector<std::string> respondToTurns(const std::vector<PolicyTurn>& turns) override;
  std::string describe() const { return backend_.describe(); }

private:
  backend::ChatRequest requestFor(const conversation::Messages& conversation) const;
  std::vector<std::string> completeAll(const std::vector<backend::ChatRequest>& requests);

  backend::LlmBackend& backend_;
  std::string systemPrompt_;
  backend::GenerationParams params_;
};

} // namespace collab::simulate

#pragma once

#include "backend/LlmBackend.h"
#include "persona/Persona.h"
#include "simulate/UserSimulator.h"

namespace collab::simulate {

struct LlmSimulatorSettings {
  int maxAttempts = 3;      // asks again for a reply that is not the JSON asked for
  double temperature = 1.0; // the reference samples its simulated users at 1.0
  std::optional<int> maxTokens;
  std::optional<long long> seed; // sent to servers that honour it
};

// A simulated user played by an LLM: the persona's prompt template (the reference prompt
// when the persona is the reference one) filled with the task, the hidden goal and the
// conversation; the reply is a JSON object with `thought` and `response` (and the
// reference's `current_answer`), read leniently and asked for again when it is not one.
// The user ends the chat by writing [[TERMINATE CHAT]]. When no valid reply comes, it
// throws backend::InvalidReplyError: it never invents what the user said.
class LlmUserSimulator : public UserSimulator {
public:
  LlmUserSimulator(backend::LlmBackend& backend, persona::Persona persona, LlmSimulatorSettings settings = {});

  SimulatedReply reply(const task::TaskInstance& task, const conversation::Messages& conversation) override;
  // The prompt the backend is sent for this turn.
  std::string prompt(const task::TaskInstance& task, const conversation::Messages& conversation) const;

private:
  backend::LlmBackend& backend_;
  persona::Persona persona_;
  LlmSimulatorSettings settings_;
};

} // namespace collab::simulate

#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <string>

namespace collab::simulate {

// The assistant side of a simulated conversation: the trained model through an LLM
// backend, or a scripted behaviour for tests and SFT data.
class Policy {
public:
  virtual ~Policy() = default;
  // The next assistant message after `conversation` (which ends with a user message).
  virtual std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) = 0;
};

} // namespace collab::simulate

#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <string>
#include <vector>

namespace collab::simulate {

// The marker with which a simulated user ends the chat, as in the reference implementation.
inline constexpr const char* kTerminateChat = "[[TERMINATE CHAT]]";

struct SimulatedReply {
  std::string text;     // what the user says (ends with kTerminateChat when they leave)
  std::string thought;  // why, for the turn inspector
  bool terminated = false;
  std::vector<std::string> revealed; // goal attributes stated in this reply
};

// Plays the user of a task: replies to the conversation so far (which ends with an
// assistant message). LLM-backed and rule-based simulators implement it.
class UserSimulator {
public:
  virtual ~UserSimulator() = default;
  virtual SimulatedReply reply(const task::TaskInstance& task, const conversation::Messages& conversation) = 0;
};

} // namespace collab::simulate

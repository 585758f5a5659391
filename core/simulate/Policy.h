#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <string>
#include <vector>

namespace collab::simulate {

// The assistant side of a simulated conversation: the trained model through an LLM
// backend, or a scripted behaviour for tests and SFT data.
class Policy {
public:
  virtual ~Policy() = default;
  // The next assistant message after `conversation` (which ends with a user message).
  virtual std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) = 0;
  // The next message of each conversation, in order. A policy over a batched backend
  // (a local model decoding a batch, an HTTP endpoint with requests in flight together)
  // serves them in one call; by default they are answered one by one.
  virtual std::vector<std::string> respondAll(const task::TaskInstance& task,
                                              const std::vector<conversation::Messages>& conversations) {
    std::vector<std::string> replies;
    for (const auto& conversation : conversations) replies.push_back(respond(task, conversation));
    return replies;
  }
};

} // namespace collab::simulate

#pragma once

// "Try it": what a persona would say next in a recorded conversation, without writing
// anything to the project. Done in two steps so that the reading (which touches the
// project) and the simulating (which may take a while) can run on different threads.

#include "conversation/Message.h"
#include "conversation/Node.h"
#include "persona/Persona.h"
#include "persona/PersonaPrompt.h"
#include "simulate/UserSimulator.h"
#include "task/Task.h"

#include <cstdint>
#include <optional>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::simulate {

struct TrialInput {
  conversation::Messages conversation;  // up to and including the assistant turn replied to
  std::optional<task::TaskInstance> task; // set when the conversation is of the built-in suite
  persona::PromptContext context;        // task, goal and history, for the persona's prompt
  std::string problem;                   // why no trial is possible at all; empty otherwise
};

struct TrialResult {
  std::string prompt;                   // the persona's template rendered for this conversation
  std::optional<SimulatedReply> reply;  // the rule-based simulator's reply
  std::string noReplyReason;            // why there is no reply (the task is not a built-in one)
};

// Reads the conversation of `tree` up to `upTo` (an assistant turn, or a user turn, whose
// assistant turn before it is taken), or along its best path by MR when `upTo` is empty,
// and its task. Only reads the project.
TrialInput prepareTrial(store::Project& project, conversation::TreeId tree, std::optional<conversation::NodeId> upTo);

// Renders the persona's prompt and, for a built-in task, plays the rule-based simulator
// driven by the persona's traits (deterministic for a seed). Touches no project.
// Throws collab::Error when the persona's template is invalid.
TrialResult runTrial(const TrialInput& input, const persona::Persona& persona, std::uint64_t seed);

} // namespace collab::simulate

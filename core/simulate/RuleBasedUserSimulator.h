#pragma once

#include "persona/Traits.h"
#include "simulate/UserSimulator.h"
#include "task/TaskFamily.h"

#include <cstdint>

namespace collab::simulate {

// A simulated user without an LLM, for the built-in suite, driven by a persona's traits:
// - it answers a question about a goal attribute it has not stated yet (cooperative users
//   always, uncooperative ones sometimes); an over-sharer (high verbosity) adds one more;
// - it tolerates 1 + 4 * patience questions, then asks for the answer, then leaves;
// - a question about nothing in its goal gets "just go ahead";
// - it judges an answer against its goal (TaskFamily::meetsGoal): satisfied, it ends the chat;
//   otherwise it corrects one thing it has not said yet; it gives up after the
//   (1 + 2 * patience)th wrong answer.
// Deterministic for a given seed and conversation.
class RuleBasedUserSimulator : public UserSimulator {
public:
  RuleBasedUserSimulator(const task::TaskFamily& family, persona::Traits traits, std::uint64_t seed);

  SimulatedReply reply(const task::TaskInstance& task, const conversation::Messages& conversation) override;

  int questionTolerance() const;

private:
  SimulatedReply answerQuestion(const task::TaskInstance& task, const conversation::Messages& conversation);
  SimulatedReply judgeAnswer(const task::TaskInstance& task, const conversation::Messages& conversation);

  const task::TaskFamily& family_;
  persona::Traits traits_;
  std::uint64_t seed_;
};

} // namespace collab::simulate

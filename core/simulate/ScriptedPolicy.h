#pragma once

#include "simulate/Policy.h"
#include "task/TaskFamily.h"

namespace collab::simulate {

// Fixed assistant behaviours, the reference points of the method:
// - AnswerAtOnce: writes the artefact from what the user said, guessing the rest;
// - AskThenAnswer: asks about everything it does not know yet in one question (a second
//   one if something is still missing), then answers;
// - AskEverything: asks about each thing separately, plus questions that do not matter,
//   before answering.
class ScriptedPolicy : public Policy {
public:
  enum class Behaviour { AnswerAtOnce, AskThenAnswer, AskEverything };

  ScriptedPolicy(const task::TaskFamily& family, Behaviour behaviour, std::uint64_t styleSeed = 0)
      : family_(family), behaviour_(behaviour), styleSeed_(styleSeed) {}

  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) override;

private:
  std::string answer(const task::TaskInstance& task, const conversation::Messages& conversation) const;

  const task::TaskFamily& family_;
  Behaviour behaviour_;
  std::uint64_t styleSeed_;
};

} // namespace collab::simulate

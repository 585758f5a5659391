#include "simulate/ScriptedPolicy.h"

#include "simulate/ConversationFacts.h"

namespace collab::simulate {

namespace {

const std::vector<std::string> kSmallTalk = {"Do you have a deadline for this?", "Is there anything else I should consider?",
                                             "Have you done something like this before?"};

std::vector<const task::GoalAttribute*> unknownAttributes(const task::TaskInstance& task,
                                                          const conversation::Messages& conversation) {
  const auto known = revealedAttributes(task, conversation);
  std::vector<const task::GoalAttribute*> unknown;
  for (const auto& attribute : task.goal)
    if (!known.count(attribute.key)) unknown.push_back(&attribute);
  return unknown;
}

// "a, b and c": every missing thing in one question.
std::string joined(const std::vector<const task::GoalAttribute*>& attributes) {
  std::string text;
  for (std::size_t i = 0; i < attributes.size(); ++i)
    text += (i == 0 ? "" : i + 1 == attributes.size() ? " and " : ", ") + attributes[i]->description;
  return text;
}

} // namespace

std::string ScriptedPolicy::answer(const task::TaskInstance& task, const conversation::Messages& conversation) const {
  const auto known = revealedAttributes(task, conversation);
  return family_.writeArtefact(task, std::vector<std::string>(known.begin(), known.end()), styleSeed_);
}

std::string ScriptedPolicy::respond(const task::TaskInstance& task, const conversation::Messages& conversation) {
  const auto unknown = unknownAttributes(task, conversation);
  const int asked = questionsAsked(conversation);
  switch (behaviour_) {
  case Behaviour::AnswerAtOnce: return answer(task, conversation);
  case Behaviour::AskThenAnswer:
    if (unknown.empty() || asked >= 2) return answer(task, conversation);
    return "Happy to help. Could you tell me " + joined(unknown) + "?";
  case Behaviour::AskEverything:
    if (asked < static_cast<int>(kSmallTalk.size()) && asked % 2 == 1) return kSmallTalk[static_cast<std::size_t>(asked)];
    if (!unknown.empty() && asked < 8) return "Before I start, could you tell me " + unknown[0]->description + "?";
    return answer(task, conversation);
  }
  return answer(task, conversation);
}

} // namespace collab::simulate

#include "simulate/RuleBasedUserSimulator.h"

#include "simulate/ConversationFacts.h"
#include "task/SeededRandom.h"

#include <algorithm>
#include <cmath>

namespace collab::simulate {

namespace {

SimulatedReply leave(const std::string& words, const std::string& thought) {
  return {words + " " + kTerminateChat, thought, true, {}};
}

int answersGiven(const conversation::Messages& conversation) {
  return static_cast<int>(std::count_if(conversation.begin(), conversation.end(), [](const auto& m) {
    return m.role == conversation::Role::Assistant && !isQuestion(m.content);
  }));
}

} // namespace

RuleBasedUserSimulator::RuleBasedUserSimulator(const task::TaskFamily& family, persona::Traits traits,
                                               std::uint64_t seed)
    : family_(family), traits_(std::move(traits)), seed_(seed) {}

int RuleBasedUserSimulator::questionTolerance() const {
  return 1 + static_cast<int>(std::lround(traits_.patience * 4));
}

SimulatedReply RuleBasedUserSimulator::reply(const task::TaskInstance& task, const conversation::Messages& conversation) {
  if (conversation.empty() || conversation.back().role != conversation::Role::Assistant)
    return {"", "nothing to reply to", false, {}};
  return isQuestion(conversation.back().content) ? answerQuestion(task, conversation) : judgeAnswer(task, conversation);
}

SimulatedReply RuleBasedUserSimulator::answerQuestion(const task::TaskInstance& task,
                                                      const conversation::Messages& conversation) {
  const int asked = questionsAsked(conversation);
  if (asked > questionTolerance() + 1)
    return leave("I don't have time for more questions.", "asked " + std::to_string(asked) + " questions; patience gone");
  if (asked > questionTolerance())
    return {"Please just give me the answer.", "too many questions", false, {}};

  const std::set<std::string> known = revealedAttributes(task, conversation);
  std::vector<std::string> wanted;
  for (const auto& key : attributesAskedAbout(task, conversation.back().content))
    if (!known.count(key)) wanted.push_back(key);
  if (wanted.empty()) return {"I'm not sure that matters. Just go ahead.", "the question is about nothing I need", false, {}};

  task::SeededRandom rng = task::SeededRandom::forItem(seed_, conversation.size(), 0x5133);
  SimulatedReply reply;
  for (const auto& key : wanted)
    if (static_cast<double>(rng.below(1000)) / 1000.0 < 0.35 + 0.65 * traits_.cooperativeness) reply.revealed.push_back(key);
  if (traits_.verbosity > 0.7)
    for (const auto& attribute : task.goal)
      if (!known.count(attribute.key) &&
          std::find(wanted.begin(), wanted.end(), attribute.key) == wanted.end()) {
        reply.revealed.push_back(attribute.key); // the over-sharer volunteers one more
        break;
      }
  if (reply.revealed.empty()) return {"Hmm, whatever you think is best.", "not in the mood to explain", false, {}};
  for (const auto& key : reply.revealed) reply.text += (reply.text.empty() ? "" : " ") + task.attribute(key)->answer;
  if (traits_.tone == persona::Tone::Friendly) reply.text = "Sure! " + reply.text;
  reply.thought = "answering what was asked";
  return reply;
}

SimulatedReply RuleBasedUserSimulator::judgeAnswer(const task::TaskInstance& task,
                                                   const conversation::Messages& conversation) {
  const std::string artefact = family_.extractArtefact(conversation);
  const task::TaskScore score = family_.score(task, artefact);
  if (family_.meetsGoal(task, artefact, score)) return leave("Thanks, that's what I needed.", score.detail);
  // Wrong answers wear patience out faster than questions: a patient user corrects two,
  // an impatient one none.
  if (answersGiven(conversation) > static_cast<int>(std::lround(traits_.patience * 2)))
    return leave("This isn't what I wanted; I'll do it myself.", score.detail + "; out of patience");

  const std::set<std::string> known = revealedAttributes(task, conversation);
  for (const auto& attribute : task.goal)
    if (!known.count(attribute.key))
      return {"That's not quite it. " + attribute.answer, score.detail + "; correcting " + attribute.key, false,
              {attribute.key}};
  return {"That's still not right.", score.detail, false, {}};
}

} // namespace collab::simulate

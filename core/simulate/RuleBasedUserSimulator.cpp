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

// How likely a trait acts: 0 up to the middle of its range, rising to 1 at `end`.
double beyondMiddle(double value, double end) { return std::max(0.0, 2.0 * (end > 0.5 ? value - 0.5 : 0.5 - value)); }

bool roll(task::SeededRandom& rng, double probability) {
  return probability > 0 && static_cast<double>(rng.below(1000)) / 1000.0 < probability;
}

// Attributes the user stated wrongly before and has not put right yet.
std::vector<const task::GoalAttribute*> misstated(const task::TaskInstance& task, const conversation::Messages& conversation,
                                                  const std::set<std::string>& known) {
  std::vector<const task::GoalAttribute*> wrong;
  for (const auto& attribute : task.goal) {
    if (known.count(attribute.key)) continue;
    for (const auto& message : conversation)
      if (message.role == conversation::Role::User &&
          std::any_of(attribute.wrongAnswers.begin(), attribute.wrongAnswers.end(),
                      [&](const std::string& w) { return message.content.find(w) != std::string::npos; })) {
        wrong.push_back(&attribute);
        break;
      }
  }
  return wrong;
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

std::vector<std::string> RuleBasedUserSimulator::attributesToState(const task::TaskInstance& task,
                                                                    const std::vector<std::string>& willing,
                                                                    const std::vector<std::string>& asked,
                                                                    const std::set<std::string>& known,
                                                                    task::SeededRandom& traitRng) const {
  std::vector<std::string> stated = willing;
  if (stated.size() > 1 && roll(traitRng, beyondMiddle(traits_.clarity, 0.0))) stated.resize(1); // answers in part
  const bool volunteersAll = traits_.disclosure == persona::Disclosure::Upfront;
  const bool volunteersOne = traits_.disclosure == persona::Disclosure::Gradual && traits_.verbosity > 0.7;
  for (const auto& attribute : task.goal) {
    if (!(volunteersAll || volunteersOne)) break;
    if (known.count(attribute.key) || std::find(asked.begin(), asked.end(), attribute.key) != asked.end()) continue;
    stated.push_back(attribute.key);
    if (!volunteersAll) break; // the over-sharer volunteers one more
  }
  return stated;
}

std::string RuleBasedUserSimulator::statement(const task::GoalAttribute& attribute, task::SeededRandom& traitRng,
                                              bool& right) const {
  right = true;
  if (attribute.wrongAnswers.empty()) return attribute.answer;
  const bool undecided = roll(traitRng, beyondMiddle(traits_.consistency, 0.0));
  const bool mistaken = roll(traitRng, beyondMiddle(traits_.mistakeRate, 1.0));
  if (!undecided && !mistaken) return attribute.answer;
  right = false;
  return traitRng.pick(attribute.wrongAnswers);
}

SimulatedReply RuleBasedUserSimulator::answerQuestion(const task::TaskInstance& task,
                                                      const conversation::Messages& conversation) {
  const int asked = questionsAsked(conversation);
  if (asked > questionTolerance() + 1)
    return leave("I don't have time for more questions.", "asked " + std::to_string(asked) + " questions; patience gone");
  if (asked > questionTolerance())
    return {"Please just give me the answer.", "too many questions", false, {}};

  const std::set<std::string> known = revealedAttributes(task, conversation);
  SimulatedReply reply;
  // Someone who had not made up their mind takes back what they said, unasked.
  if (beyondMiddle(traits_.consistency, 0.0) > 0)
    for (const auto* attribute : misstated(task, conversation, known)) {
      reply.text += (reply.text.empty() ? "Actually, I've changed my mind: " : " ") + attribute->answer;
      reply.revealed.push_back(attribute->key);
    }
  std::vector<std::string> wanted;
  for (const auto& key : attributesAskedAbout(task, conversation.back().content))
    if (!known.count(key) && std::find(reply.revealed.begin(), reply.revealed.end(), key) == reply.revealed.end())
      wanted.push_back(key);
  if (wanted.empty() && reply.revealed.empty())
    return {"I'm not sure that matters. Just go ahead.", "the question is about nothing I need", false, {}};

  task::SeededRandom rng = task::SeededRandom::forItem(seed_, conversation.size(), 0x5133);
  std::vector<std::string> willing;
  for (const auto& key : wanted)
    if (static_cast<double>(rng.below(1000)) / 1000.0 < 0.35 + 0.65 * traits_.cooperativeness) willing.push_back(key);
  // Trait rolls come from their own stream, so that default traits draw what they always drew.
  task::SeededRandom traitRng = task::SeededRandom::forItem(seed_, conversation.size(), 0x7A175);
  const std::vector<std::string> stated = attributesToState(task, willing, wanted, known, traitRng);
  if (stated.empty() && reply.revealed.empty()) return {"Hmm, whatever you think is best.", "not in the mood to explain", false, {}};
  std::string wrongly;
  for (const auto& key : stated) {
    bool right = true;
    reply.text += (reply.text.empty() ? "" : " ") + statement(*task.attribute(key), traitRng, right);
    if (right) reply.revealed.push_back(key);
    else wrongly += (wrongly.empty() ? "" : ", ") + key;
  }
  if (traits_.tone == persona::Tone::Friendly) reply.text = "Sure! " + reply.text;
  reply.thought = wrongly.empty() ? "answering what was asked" : "answering what was asked (" + wrongly + " stated wrongly)";
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

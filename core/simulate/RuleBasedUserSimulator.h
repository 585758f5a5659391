#pragma once

#include "persona/Traits.h"
#include "simulate/UserSimulator.h"
#include "task/SeededRandom.h"
#include "task/TaskFamily.h"

#include <cstdint>
#include <set>

namespace collab::simulate {

// A simulated user without an LLM, for the built-in suite, driven by a persona's traits:
// - it answers a question about a goal attribute it has not stated yet (cooperative users
//   always, uncooperative ones sometimes); an over-sharer (high verbosity) adds one more;
// - it tolerates 1 + 4 * patience questions, then asks for the answer, then leaves;
// - a question about nothing in its goal gets "just go ahead";
// - it judges an answer against its goal (TaskFamily::meetsGoal): satisfied, it ends the chat;
//   otherwise it corrects one thing it has not said yet; it gives up after the
//   (1 + 2 * patience)th wrong answer;
// - disclosure: an "upfront" user volunteers everything not said yet with their first
//   answer, a "when-asked" one never volunteers anything, a "gradual" one as verbosity says;
// - clarity below the middle: a vague user, asked several things at once, answers only the
//   first (more often the vaguer they are);
// - consistency below the middle: a user who has not made up their mind states a value
//   they then take back, unasked, in their next message ("Actually, I've changed my mind");
// - mistakeRate above the middle: a user states a wrong value (a misremembered number, the
//   wrong team) and only corrects it when the answer comes out wrong.
// A trait acts only beyond the middle of its range, with a probability growing to 1 at its
// end: the defaults (0.5) keep the behaviour the suite was calibrated with.
// Deterministic for a given seed and conversation.
class RuleBasedUserSimulator : public UserSimulator {
public:
  RuleBasedUserSimulator(const task::TaskFamily& family, persona::Traits traits, std::uint64_t seed);

  SimulatedReply reply(const task::TaskInstance& task, const conversation::Messages& conversation) override;

  int questionTolerance() const;

private:
  SimulatedReply answerQuestion(const task::TaskInstance& task, const conversation::Messages& conversation);
  SimulatedReply judgeAnswer(const task::TaskInstance& task, const conversation::Messages& conversation);
  // The attributes to state when willing to answer `willing` of the `asked` ones, as
  // clarity and disclosure make them.
  std::vector<std::string> attributesToState(const task::TaskInstance& task, const std::vector<std::string>& willing,
                                             const std::vector<std::string>& asked, const std::set<std::string>& known,
                                             task::SeededRandom& traitRng) const;
  // How the user states one attribute: rightly, or (a mistake, an unmade mind) wrongly.
  std::string statement(const task::GoalAttribute& attribute, task::SeededRandom& traitRng, bool& right) const;

  const task::TaskFamily& family_;
  persona::Traits traits_;
  std::uint64_t seed_;
};

} // namespace collab::simulate

#include "reward/ConversationReward.h"

#include "simulate/ConversationFacts.h"

#include <algorithm>
#include <sstream>

namespace collab::reward {

int countTokens(const std::string& text) {
  std::istringstream words(text);
  int count = 0;
  for (std::string word; words >> word;) ++count;
  return count;
}

double ruleInteractivity(const task::TaskInstance& task, const conversation::Messages& history,
                         const conversation::Messages& forward, std::string* rationale) {
  conversation::Messages seen = history;
  int turns = 0, good = 0, blind = 0, idle = 0;
  for (std::size_t i = 0; i < forward.size(); ++i) {
    const auto& message = forward[i];
    if (message.role == conversation::Role::Assistant) {
      const auto known = simulate::revealedAttributes(task, seen);
      ++turns;
      if (simulate::isQuestion(message.content)) {
        // A question engages well when it draws out something of the goal not known yet;
        // a question the user does not answer (irrelevant, or one too many) does not.
        bool useful = false;
        for (const auto& key : simulate::attributesAskedAbout(task, message.content)) useful |= !known.count(key);
        if (useful && i + 1 < forward.size()) {
          conversation::Messages after = seen;
          after.push_back(message);
          after.push_back(forward[i + 1]);
          useful = simulate::revealedAttributes(task, after).size() > known.size();
        }
        useful ? ++good : ++idle;
      } else {
        known.size() == task.goal.size() ? ++good : ++blind;
      }
    }
    seen.push_back(message);
  }
  if (turns == 0) return 1.0 / 3;
  if (rationale)
    *rationale = std::to_string(good) + " of " + std::to_string(turns) + " assistant turns engaged well (" +
                 std::to_string(blind) + " answered before asking what was missing, " + std::to_string(idle) +
                 " asked what the user did not answer)";
  return (1.0 + 2.0 * good / turns) / 3.0;
}

Judgement RuleInteractivityJudge::judge(const task::TaskInstance& task, const conversation::Messages& history,
                                       const conversation::Messages& forward) {
  Judgement judgement;
  judgement.score = ruleInteractivity(task, history, forward, &judgement.rationale);
  return judgement;
}

namespace {

int tokensCounted(const conversation::Messages& whole, const conversation::Messages& forward, const RewardConfig& config) {
  int tokens = 0;
  if (config.tokenScope == "session") {
    for (const auto& message : whole)
      if (message.role == conversation::Role::Assistant) tokens += countTokens(message.content);
  } else {
    for (const auto& message : forward) tokens += countTokens(message.content);
  }
  return tokens;
}

} // namespace

RewardBreakdown conversationReward(const task::TaskFamily& family, const task::TaskInstance& task,
                                   const conversation::Messages& history, const conversation::Messages& forward,
                                   const RewardConfig& config, const RewardJudges& judges) {
  conversation::Messages whole = history;
  whole.insert(whole.end(), forward.begin(), forward.end());
  RewardBreakdown r;
  if (judges.accuracy && family.metric() == "accuracy") {
    const Judgement accuracy = judges.accuracy->judge(task, whole);
    r.task = accuracy.score;
    r.taskDetail = accuracy.rationale;
  } else {
    const task::TaskScore score = family.score(task, family.extractArtefact(whole));
    r.task = score.value;
    r.taskDetail = score.detail;
  }
  r.tokens = tokensCounted(whole, forward, config);
  const double penalty = config.tokenLambda * r.tokens;
  r.efficiency = -(config.clipTokenPenalty ? std::min(penalty, 1.0) : penalty);
  RuleInteractivityJudge ruleJudge;
  InteractivityJudge& judge = judges.interactivity ? *judges.interactivity : ruleJudge;
  const Judgement interactivity =
      config.judgeScope == "session" ? judge.judge(task, {}, whole) : judge.judge(task, history, forward);
  r.interactivity = interactivity.score;
  r.interactivityRationale = interactivity.rationale;
  r.total = config.taskWeight * r.task + config.interactivityWeight * r.interactivity + r.efficiency;
  return r;
}

} // namespace collab::reward

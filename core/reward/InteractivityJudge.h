#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <string>

namespace collab::reward {

// A judge's verdict: a score in [0, 1] and why.
struct Judgement {
  double score = 0.0;
  std::string rationale;
};

// R_int: how well the assistant engages in `forward` (the candidate and the turns after
// it), with `history` as context. With a whole-session scope the caller passes an empty
// history and the whole conversation as `forward`.
class InteractivityJudge {
public:
  virtual ~InteractivityJudge() = default;
  virtual Judgement judge(const task::TaskInstance& task, const conversation::Messages& history,
                          const conversation::Messages& forward) = 0;
  // "rule", or the LLM backend that judges: recorded with the scores.
  virtual std::string name() const = 0;
};

// The rule judge (ruleInteractivity in ConversationReward.h) behind the same interface.
class RuleInteractivityJudge : public InteractivityJudge {
public:
  Judgement judge(const task::TaskInstance& task, const conversation::Messages& history,
                  const conversation::Messages& forward) override;
  std::string name() const override { return "rule"; }
};

} // namespace collab::reward

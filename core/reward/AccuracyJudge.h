#pragma once

#include "reward/InteractivityJudge.h"

namespace collab::reward {

// R_task for tasks scored by accuracy (math): whether the conversation's final answer is
// the reference answer, 0 or 1, as the reference implementation asks its LLM judge. Used
// instead of the task family's own rule check when one is configured.
class AccuracyJudge {
public:
  virtual ~AccuracyJudge() = default;
  virtual Judgement judge(const task::TaskInstance& task, const conversation::Messages& conversation) = 0;
  virtual std::string name() const = 0;
};

} // namespace collab::reward

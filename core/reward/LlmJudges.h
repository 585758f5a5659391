#pragma once

#include "backend/LlmBackend.h"
#include "reward/AccuracyJudge.h"
#include "reward/InteractivityJudge.h"

namespace collab::reward {

// The scale an LLM interactivity judge answers on: the paper's code asks for 1, 2 or 3
// and divides by 3; the released package asks for a number in [0, 1].
enum class JudgeScale { OneToThree, UnitInterval };
JudgeScale parseJudgeScale(const std::string& text); // "1-3" or "0-1"; throws collab::Error

struct LlmJudgeSettings {
  int maxAttempts = 3;      // asks again for a reply that is not the JSON asked for
  double temperature = 0.0; // a judge should not be a dice roll
};

// Interactivity judged by an LLM with the reference's rubric, answering
// {"thought": ..., "interactivity": N}. A reply off the scale counts as invalid and is
// asked for again; after the last attempt backend::InvalidReplyError is thrown (the MR
// estimate then drops that sample, as the reference does).
class LlmInteractivityJudge : public InteractivityJudge {
public:
  LlmInteractivityJudge(backend::LlmBackend& backend, JudgeScale scale, LlmJudgeSettings settings = {});
  Judgement judge(const task::TaskInstance& task, const conversation::Messages& history,
                  const conversation::Messages& forward) override;
  std::string name() const override { return "llm:" + backend_.describe(); }
  std::string prompt(const conversation::Messages& history, const conversation::Messages& forward) const;

private:
  backend::LlmBackend& backend_;
  JudgeScale scale_;
  LlmJudgeSettings settings_;
};

// Math accuracy judged by an LLM: the question, the reference answer and the conversation
// in; {"thought": ..., "accuracy": 0 or 1} out. Same retry discipline.
class LlmAccuracyJudge : public AccuracyJudge {
public:
  explicit LlmAccuracyJudge(backend::LlmBackend& backend, LlmJudgeSettings settings = {});
  Judgement judge(const task::TaskInstance& task, const conversation::Messages& conversation) override;
  std::string name() const override { return "llm:" + backend_.describe(); }

private:
  backend::LlmBackend& backend_;
  LlmJudgeSettings settings_;
};

} // namespace collab::reward

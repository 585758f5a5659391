#pragma once

#include "RowFamily.h"

namespace collab::plugins::collabllm {

// Math problems (MATH-style rows whose completion is a worked solution): accuracy, 0 or 1.
// The reference asks an LLM judge; that judge is used when the run has one
// (reward::LlmAccuracyJudge). This family's own check compares final answers: the last
// \boxed{...}, else what follows "####", else the last number, of the reference solution
// and of the last assistant message; numbers are equal to 1e-6 (relative), other answers
// when equal without spaces, '$' and thousands separators.
class MathRowFamily : public RowFamily {
public:
  MathRowFamily(std::string name, std::vector<DatasetRow> rows) : RowFamily(std::move(name), "accuracy", std::move(rows)) {}
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  task::TaskScore score(const task::TaskInstance& task, const std::string& artefact) const override;
};

// The final answer written in a solution (see MathRowFamily), normalised; empty if none.
std::string finalAnswer(const std::string& solution);

} // namespace collab::plugins::collabllm

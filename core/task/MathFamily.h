#pragma once

#include "task/TaskFamily.h"

#include <optional>

namespace collab::task {

// Everyday calculations whose numbers only the user knows (a loan's principal, rate and
// term; a floor's size...). The question comes without them; the answer is exact to the
// cent or the unit, and scored by accuracy: 1 when the last number of the final answer
// equals the reference (to 0.5% or 0.01), else 0.
class MathFamily : public TaskFamily {
public:
  std::string name() const override { return "math"; }
  std::string metric() const override { return "accuracy"; }
  TaskInstance generate(std::uint64_t seed, std::uint64_t index) const override;
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  TaskScore score(const TaskInstance& task, const std::string& artefact) const override;
  std::string writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                            std::uint64_t styleSeed) const override;
};

// The last number written in a text ("1,234.50" → 1234.5), if any.
std::optional<double> lastNumber(const std::string& text);

} // namespace collab::task

#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <cstdint>
#include <optional>
#include <string>

namespace collab::task {

// A family of generated tasks (the built-in suite's documents, math, code; or a plugin's).
// Everything is a pure function of (seed, index): the same task comes back on every run
// and machine, and the train/test split is part of the task.
class TaskFamily {
public:
  virtual ~TaskFamily() = default;

  virtual std::string name() const = 0;
  virtual std::string metric() const = 0;
  virtual TaskInstance generate(std::uint64_t seed, std::uint64_t index) const = 0;
  // How many tasks there are: none for a generator (any index works), the row count for a
  // dataset (indices past it are errors).
  virtual std::optional<std::uint64_t> size() const { return std::nullopt; }

  // The final artefact of a conversation (the document written, the answer given...).
  virtual std::string extractArtefact(const conversation::Messages& conversation) const = 0;
  virtual TaskScore score(const TaskInstance& task, const std::string& artefact) const = 0;
  // Whether the user, who knows the goal, would accept the artefact, given its `score`
  // (computed once by the caller: for code it means a sandbox run). By default a perfect
  // score; families whose metric is graded (BLEU) check the goal itself instead.
  virtual bool meetsGoal(const TaskInstance&, const std::string&, const TaskScore& score) const {
    return score.value >= 0.999;
  }

  // A scripted assistant for tests, figures and SFT data: the artefact it writes given
  // what it knows of the goal (only the attributes in `known`; others are guessed).
  virtual std::string writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                                    std::uint64_t styleSeed) const = 0;
};

// "train" for about 80% of the indices, "test" for the rest, fixed by (seed, index).
std::string splitFor(std::uint64_t seed, std::uint64_t index);
std::string taskId(const std::string& family, std::uint64_t seed, std::uint64_t index);

} // namespace collab::task

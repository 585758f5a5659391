#pragma once

#include "task/TaskFamily.h"

namespace collab::task {

// Small Python functions whose edge-case behaviour only the user knows (what bad input
// should do, the separator, the valid range...). Scored by the pass rate of hidden tests:
// the candidate and the reference solution run on the same inputs in a sandbox
// (runPythonSandboxed) and must return equal values or raise the same exception type.
class CodeFamily : public TaskFamily {
public:
  std::string name() const override { return "code"; }
  std::string metric() const override { return "pass_rate"; }
  TaskInstance generate(std::uint64_t seed, std::uint64_t index) const override;
  // The last fenced code block of the last assistant message that has one.
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  TaskScore score(const TaskInstance& task, const std::string& artefact) const override;
  std::string writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                            std::uint64_t styleSeed) const override;
};

// The code inside a fenced block ("```python\n...```"): from the line after the first fence
// to the last fence; the text itself when it has no fence.
std::string codeInFence(const std::string& text);

} // namespace collab::task

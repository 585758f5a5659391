#pragma once

#include "task/TaskFamily.h"

#include <mutex>
#include <string>
#include <unordered_map>

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
  // Runs the hidden tests in the Python sandbox. The same program against the same tests
  // passes the same tests, and MR scores many futures ending in the same program: the
  // results of finished runs are kept (a bounded cache; timeouts are never kept).
  TaskScore score(const TaskInstance& task, const std::string& artefact) const override;

private:
  mutable std::mutex cacheMutex_;
  mutable std::unordered_map<std::string, TaskScore> cache_; // by the harness's input
  std::string writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                            std::uint64_t styleSeed) const override;
};

// The code inside a fenced block ("```python\n...```"): from the line after the first fence
// to the last fence; the text itself when it has no fence.
std::string codeInFence(const std::string& text);

} // namespace collab::task

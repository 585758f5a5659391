#pragma once

#include "RowFamily.h"

namespace collab::plugins::collabllm {

// Code (BigCodeBench-style rows): `single_turn_metadata` holds `test`, Python source
// defining unittest.TestCase classes that call the solution's functions. The final code is
// the last fenced block of the assistant; it runs with the tests in the sandbox
// (task/PythonSandbox.h), and the score is the pass rate: tests passed / tests run.
class CodeRowFamily : public RowFamily {
public:
  // Throws collab::Error naming the row without a `test` string.
  CodeRowFamily(std::string name, std::vector<DatasetRow> rows);
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  task::TaskScore score(const task::TaskInstance& task, const std::string& artefact) const override;
};

} // namespace collab::plugins::collabllm

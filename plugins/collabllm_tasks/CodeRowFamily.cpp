#include "CodeRowFamily.h"

#include "common/Error.h"
#include "task/CodeFamily.h"
#include "task/PythonSandbox.h"

#include <cstdio>

namespace collab::plugins::collabllm {

namespace {

// Runs the solution, then the tests in its namespace, and prints {"passed", "total"}.
constexpr const char* kHarness = R"py(import io, json, unittest

data = json.load(open("tests.json"))
namespace = {"__name__": "solution"}
try:
    exec(compile(data["candidate"], "<solution>", "exec"), namespace)
except BaseException as error:
    print(json.dumps({"passed": 0, "total": 0, "error": "%s: %s" % (type(error).__name__, error)}))
    raise SystemExit(0)
exec(compile(data["test"], "<tests>", "exec"), namespace)
suite = unittest.TestSuite()
for value in list(namespace.values()):
    if isinstance(value, type) and issubclass(value, unittest.TestCase) and value is not unittest.TestCase:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(value))
result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
print(json.dumps({"passed": result.testsRun - len(result.failures) - len(result.errors), "total": result.testsRun}))
)py";

} // namespace

CodeRowFamily::CodeRowFamily(std::string name, std::vector<DatasetRow> rows) : RowFamily(name, "pass_rate", rows) {
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].metadata.contains("test") || !rows[i].metadata["test"].is_string())
      throw Error(name + ": row " + std::to_string(i + 1) +
                  ": field `single_turn_metadata.test`: expected the unit tests as a string");
}

std::string CodeRowFamily::extractArtefact(const conversation::Messages& conversation) const {
  return task::CodeFamily().extractArtefact(conversation);
}

task::TaskScore CodeRowFamily::score(const task::TaskInstance& task, const std::string& artefact) const {
  const nlohmann::json tests = {{"candidate", task::codeInFence(artefact)}, {"test", row(task).metadata["test"]}};
  task::SandboxLimits limits;
  limits.wallSeconds = 30;
  const task::SandboxResult run = task::runPythonSandboxed(kHarness, {{"tests.json", tests.dump()}}, limits);
  if (run.timedOut) return {0.0, "the tests timed out"};
  const nlohmann::json result = nlohmann::json::parse(run.out, nullptr, false);
  if (run.exitCode != 0 || result.is_discarded()) return {0.0, "the tests could not run: " + run.err.substr(0, 300)};
  const int passed = result["passed"], total = result["total"];
  if (result.contains("error")) return {0.0, "the code does not run: " + result["error"].get<std::string>()};
  char detail[64];
  std::snprintf(detail, sizeof detail, "%d of %d tests passed", passed, total);
  return {total > 0 ? static_cast<double>(passed) / total : 0.0, detail};
}

} // namespace collab::plugins::collabllm

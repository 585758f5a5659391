#include "task/CodeFamily.h"

#include "task/CodeTables.h"
#include "task/Fill.h"
#include "task/PythonSandbox.h"
#include "task/SeededRandom.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace collab::task {

namespace {

using code::Function;

// Runs candidate and reference on every hidden input and prints {"passed", "total"}.
constexpr const char* kHarness = R"py(import json

data = json.load(open("tests.json"))

def load(source):
    namespace = {}
    exec(compile(source, "<solution>", "exec"), namespace)
    return namespace[data["function"]]

def outcome(function, args):
    try:
        return ["returned", repr(function(*args))]
    except Exception as error:
        return ["raised", type(error).__name__]

reference = load(data["reference"])
try:
    candidate = load(data["candidate"])
except Exception as error:
    print(json.dumps({"passed": 0, "total": len(data["inputs"]), "error": "%s: %s" % (type(error).__name__, error)}))
    raise SystemExit(0)
passed = sum(outcome(candidate, args) == outcome(reference, args) for args in data["inputs"])
print(json.dumps({"passed": passed, "total": len(data["inputs"])}))
)py";

std::string substitute(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string marker = "<<" + key + ">>";
    for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
      text.replace(at, marker.size(), value);
  }
  return text;
}

const Function* functionFor(const TaskInstance& task) {
  for (const Function& f : code::functions())
    if (std::find(f.requests.begin(), f.requests.end(), task.firstUserMessage) != f.requests.end()) return &f;
  return nullptr;
}

std::string fenced(const std::string& source) { return "```python\n" + source + "```"; }

} // namespace

TaskInstance CodeFamily::generate(std::uint64_t seed, std::uint64_t index) const {
  SeededRandom rng = SeededRandom::forItem(seed, index, 0xC0DE);
  const Function& function = rng.pick(code::functions());
  TaskInstance task;
  task.id = taskId(name(), seed, index);
  task.family = name();
  task.split = splitFor(seed, index);
  task.metric = metric();
  task.firstUserMessage = rng.pick(function.requests);
  std::map<std::string, std::string> values;
  for (const auto& choice : function.choices) {
    const std::string value = rng.pick(choice.values);
    values[choice.key] = value;
    std::vector<std::string> wrong;
    for (const auto& other : choice.values)
      if (other != value) wrong.push_back(fill(choice.answer, {{"value", other}}));
    task.goal.push_back({choice.key, value, choice.description, choice.cues, fill(choice.answer, {{"value", value}}), wrong});
  }
  task.reference = fenced(substitute(function.solution, values));
  return task;
}

std::string CodeFamily::extractArtefact(const conversation::Messages& conversation) const {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it) {
    if (it->role != conversation::Role::Assistant) continue;
    const std::size_t open = it->content.rfind("```");
    if (open == std::string::npos) continue;
    const std::size_t start = it->content.rfind("```", open == 0 ? 0 : open - 1);
    if (start == std::string::npos || start == open) continue;
    return it->content.substr(start, open + 3 - start);
  }
  return "";
}

TaskScore CodeFamily::score(const TaskInstance& task, const std::string& artefact) const {
  const Function* function = functionFor(task);
  if (!function) return {0.0, "not a task of this family"};
  const nlohmann::json tests = {{"function", function->name},
                                {"reference", codeInFence(task.reference)},
                                {"candidate", codeInFence(artefact)},
                                {"inputs", nlohmann::json::parse(function->inputs)}};
  const std::string input = tests.dump();
  {
    const std::lock_guard lock(cacheMutex_);
    if (const auto hit = cache_.find(input); hit != cache_.end()) return hit->second;
  }
  const SandboxResult run = runPythonSandboxed(kHarness, {{"tests.json", input}});
  if (run.timedOut) return {0.0, "the tests timed out"}; // the machine may have been busy: not kept
  const nlohmann::json result = nlohmann::json::parse(run.out, nullptr, false);
  if (run.exitCode != 0 || result.is_discarded())
    return {0.0, "the test harness failed: " + run.err.substr(0, 300)};
  const int passed = result["passed"], total = result["total"];
  char detail[96];
  std::snprintf(detail, sizeof detail, "%d of %d hidden tests passed", passed, total);
  TaskScore score{total > 0 ? static_cast<double>(passed) / total : 0.0,
                  result.contains("error") ? std::string(detail) + " (" + result["error"].get<std::string>() + ")" : detail};
  const std::lock_guard lock(cacheMutex_);
  if (cache_.size() >= 4096) cache_.clear(); // bounded: a long run starts over
  cache_.emplace(input, score);
  return score;
}

std::string codeInFence(const std::string& text) {
  const std::size_t start = text.find("```");
  if (start == std::string::npos) return text;
  const std::size_t body = text.find('\n', start);
  const std::size_t end = text.rfind("```");
  return body != std::string::npos && end > body ? text.substr(body + 1, end - body - 1) : text;
}

// Known choices are honoured; for the others the writer assumes the usual default (the
// first value), as an assistant that does not ask would.
std::string CodeFamily::writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                                      std::uint64_t) const {
  const Function* function = functionFor(task);
  if (!function) return "";
  std::map<std::string, std::string> values;
  for (const auto& choice : function->choices) {
    const bool isKnown = std::find(known.begin(), known.end(), choice.key) != known.end();
    values[choice.key] = isKnown ? task.attribute(choice.key)->value : choice.values.front();
  }
  return "Here is the function:\n\n" + fenced(substitute(function->solution, values));
}

} // namespace collab::task

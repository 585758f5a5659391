#include "task/TaskRegistry.h"

#include "common/Error.h"
#include "task/CodeFamily.h"
#include "task/DocumentFamily.h"
#include "task/MathFamily.h"

namespace collab::task {

TaskRegistry::TaskRegistry() {
  add(std::make_unique<DocumentFamily>());
  add(std::make_unique<MathFamily>());
  add(std::make_unique<CodeFamily>());
}

void TaskRegistry::add(std::unique_ptr<TaskFamily> family) {
  for (auto& existing : families_)
    if (existing->name() == family->name()) {
      existing = std::move(family);
      return;
    }
  families_.push_back(std::move(family));
}

const TaskFamily& TaskRegistry::family(const std::string& name) const {
  for (const auto& family : families_)
    if (family->name() == name) return *family;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown task family \"" + name + "\" (known: " + known + ")");
}

std::vector<std::string> TaskRegistry::names() const {
  std::vector<std::string> result;
  for (const auto& family : families_) result.push_back(family->name());
  return result;
}

std::vector<TaskInstance> TaskRegistry::tasks(const std::string& name, std::uint64_t seed, std::size_t count,
                                              const std::string& split) const {
  const TaskFamily& source = family(name);
  std::vector<TaskInstance> result;
  for (std::uint64_t index = 0; result.size() < count; ++index)
    if (split.empty() || splitFor(seed, index) == split) result.push_back(source.generate(seed, index));
  return result;
}

} // namespace collab::task

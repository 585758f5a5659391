#include "task/TaskRegistry.h"

#include "common/Error.h"
#include "task/CodeFamily.h"
#include "task/DocumentFamily.h"
#include "task/MathFamily.h"

#include <optional>

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

void TaskRegistry::add(std::unique_ptr<TaskFamily> family, std::shared_ptr<void> library) {
  libraries_.push_back(std::move(library));
  add(std::move(family));
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

TaskInstance TaskRegistry::byId(const std::string& id) const {
  const std::size_t indexSlash = id.rfind('/');
  const std::size_t seedSlash = indexSlash == std::string::npos || indexSlash == 0 ? std::string::npos : id.rfind('/', indexSlash - 1);
  auto number = [&](std::size_t from, std::size_t to) -> std::optional<std::uint64_t> {
    const std::string text = id.substr(from, to - from);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19) return std::nullopt;
    return std::stoull(text);
  };
  const auto seed = seedSlash == std::string::npos ? std::nullopt : number(seedSlash + 1, indexSlash);
  const auto index = seed ? number(indexSlash + 1, id.size()) : std::nullopt;
  if (!index) throw Error("task id \"" + id + "\": expected FAMILY/SEED/INDEX");
  return family(id.substr(0, seedSlash)).generate(*seed, *index);
}

std::vector<TaskInstance> TaskRegistry::tasks(const std::string& name, std::uint64_t seed, std::size_t count,
                                              const std::string& split) const {
  const TaskFamily& source = family(name);
  std::vector<TaskInstance> result;
  const std::uint64_t available = source.size().value_or(UINT64_MAX);
  for (std::uint64_t index = 0; result.size() < count && index < available; ++index) {
    TaskInstance task = source.generate(seed, index);
    if (split.empty() || task.split == split) result.push_back(std::move(task));
  }
  return result;
}

} // namespace collab::task

#include "RowFamily.h"

#include "common/Error.h"

namespace collab::plugins::collabllm {

RowFamily::RowFamily(std::string name, std::string metric, std::vector<DatasetRow> rows)
    : name_(std::move(name)), metric_(std::move(metric)), rows_(std::move(rows)) {}

task::TaskInstance RowFamily::generate(std::uint64_t seed, std::uint64_t index) const {
  if (index >= rows_.size())
    throw Error(name_ + ": task " + std::to_string(index) + " asked for, the dataset has " + std::to_string(rows_.size()));
  const DatasetRow& source = rows_[index];
  task::TaskInstance task;
  task.id = task::taskId(name_, seed, index);
  task.family = name_;
  task.split = source.split.empty() ? task::splitFor(seed, index) : source.split;
  task.firstUserMessage = source.prompt;
  task.reference = source.completion;
  task.metric = metric_;
  return task;
}

std::string RowFamily::writeArtefact(const task::TaskInstance& task, const std::vector<std::string>&, std::uint64_t) const {
  return task.reference;
}

const DatasetRow& RowFamily::row(const task::TaskInstance& task) const {
  const std::size_t slash = task.id.rfind('/');
  const std::uint64_t index = std::stoull(task.id.substr(slash + 1));
  if (task.family != name_ || index >= rows_.size()) throw Error(name_ + ": " + task.id + " is not one of its tasks");
  return rows_[index];
}

} // namespace collab::plugins::collabllm

#pragma once

#include "DatasetRows.h"
#include "task/TaskFamily.h"

namespace collab::plugins::collabllm {

// A task family over CollabLLM rows: task `index` is row `index` (the seed only enters the
// task id and, for rows without one, the split). The task has no goal attributes: the
// whole request is what the user wants, `reference` is the row's completion. A scripted
// assistant that knows everything writes the reference.
class RowFamily : public task::TaskFamily {
public:
  RowFamily(std::string name, std::string metric, std::vector<DatasetRow> rows);

  std::string name() const override { return name_; }
  std::string metric() const override { return metric_; }
  std::optional<std::uint64_t> size() const override { return rows_.size(); }
  task::TaskInstance generate(std::uint64_t seed, std::uint64_t index) const override;
  std::string writeArtefact(const task::TaskInstance& task, const std::vector<std::string>& known,
                            std::uint64_t styleSeed) const override;

protected:
  const DatasetRow& row(const task::TaskInstance& task) const;

private:
  std::string name_, metric_;
  std::vector<DatasetRow> rows_;
};

} // namespace collab::plugins::collabllm

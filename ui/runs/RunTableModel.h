#pragma once

#include "store/RunRepository.h"

#include <QAbstractTableModel>

#include <vector>

namespace collab::store {
class Project;
}

namespace collab::ui {

class MetricsStore;

// The project's runs, one per row: name, status, method, start, duration, steps and best
// metrics (lowest loss, highest reward accuracy and margin), read from the project and
// the live metrics. A failed run's reason is its status tooltip.
class RunTableModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { Name, Status, Method, Started, Duration, Steps, BestLoss, BestAccuracy, BestMargin, ColumnCount };

  explicit RunTableModel(const MetricsStore* store, QObject* parent = nullptr);

  void setProject(store::Project* project);
  // Reads the runs again (statuses change while they run).
  void reload();
  const store::RunRecord* runAt(int row) const;
  int rowOf(std::int64_t run) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  QVariant display(const store::RunRecord& run, int column) const;
  QVariant best(const store::RunRecord& run, const QString& key, bool lowest) const;

  const MetricsStore* store_;
  store::Project* project_ = nullptr;
  std::vector<store::RunRecord> runs_;
};

} // namespace collab::ui

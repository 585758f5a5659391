#pragma once

#include "runs/MetricSeries.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::ui {

// The metrics the dashboard plots, by run and key, from wherever they come: a child
// `collab train` (its JSON-lines progress), or the project's run_metrics (a finished run,
// or one followed by polling after the GUI restarted). One "points added" signal per
// batch; the dashboard coalesces repaints itself.
class MetricsStore : public QObject {
  Q_OBJECT

public:
  using RunId = std::int64_t;
  struct Run {
    QString name;
    std::map<QString, MetricSeries> metrics;
  };

  explicit MetricsStore(QObject* parent = nullptr);

  void addRun(RunId run, const QString& name);
  bool hasRun(RunId run) const { return runs_.count(run) != 0; }
  void removeRun(RunId run);
  void clear();
  // One step's metrics (a `step` event of `collab train`).
  void appendStep(RunId run, double step, double wallTime, const std::map<QString, double>& values);
  void appendPoint(RunId run, const QString& key, double step, double wallTime, double value);
  // Reads the run's stored metrics after the last step held here (all of them the first
  // time): loading a finished run and following a running one are the same call.
  // Returns the number of points read.
  std::size_t readFromProject(store::Project& project, RunId run);

  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }

  const std::map<RunId, Run>& runs() const { return runs_; }
  const MetricSeries* series(RunId run, const QString& key) const;
  // Every key of every run, in the dashboard's order (loss first, then the rewards...).
  QStringList keys() const;

signals:
  void runsChanged();
  void pointsAdded(qint64 run, const QStringList& keys);
  void smoothingChanged();

private:
  MetricSeries& seriesFor(RunId run, const QString& key);

  std::map<RunId, Run> runs_;
  double smoothing_ = 0.6;
};

// Sort rank of a metric key: TRL's usual order, so the same plots come first every time.
int metricRank(const QString& key);

} // namespace collab::ui

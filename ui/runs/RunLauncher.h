#pragma once

#include "runs/TrainProcess.h"

#include <QJsonArray>
#include <QObject>
#include <QString>

#include <cstdint>
#include <set>
#include <vector>

class QTimer;

namespace collab::store {
class Project;
}

namespace collab::ui {

class MetricsStore;

// Starts, stops and resumes training runs as `collab train` children, and keeps the
// metrics store up to date with every run of the project: the runs it started from their
// progress, the others (a GUI restarted mid-run, a run started from a terminal) by
// polling the project's run_metrics while their status is "running".
class RunLauncher : public QObject {
  Q_OBJECT

public:
  static constexpr int kPollIntervalMs = 1000;

  RunLauncher(MetricsStore* store, QObject* parent = nullptr);

  // The `collab` executable: $COLLAB_CLI, the "runs/collab" setting, beside this
  // program (installed) or in the build tree (app/cli), then the PATH.
  static QString findCollabProgram();
  void setCollabProgram(const QString& program) { program_ = program; }
  QString collabProgram() const { return program_; }

  void setProject(store::Project* project);
  store::Project* project() const { return project_; }
  // Where runs start (their relative paths are read from there): the project's folder.
  QString workingDirectory() const;

  // `collab train --config F --check`: empty when the config is valid, else the message.
  QString check(const QString& config) const;
  // Why a run cannot be launched on `target` (empty when it can): several processes run
  // on this computer only.
  static QString refusal(const LaunchTarget& target);
  // The first of a config's `stages` that runs in one process only (PPO), or empty: a
  // data-parallel launch or resume of that config is refused (collab train would refuse
  // it only when the stage starts, after the earlier stages trained).
  static QString singleProcessStage(const QJsonArray& stages);
  // Where a resume of `run` runs: this computer, with as many processes as the run was
  // trained with (its recorded world_size; 1 for a run recorded without it).
  LaunchTarget recordedTarget(std::int64_t run) const;
  // Starts a run of `config` (as target.processes data-parallel ranks); null with `error`
  // set when it cannot.
  TrainProcess* launch(const QString& config, const LaunchTarget& target = {}, QString* error = nullptr);
  // The process running `run`, if this GUI started it.
  TrainProcess* processFor(std::int64_t run) const;
  bool stop(std::int64_t run);
  // Resumes `run` (`collab train --resume RUN`) on `target` (recordedTarget(run): as it
  // ran): the same run goes on from its last checkpoint, then the stages after it run.
  // Null with `error` set when it cannot.
  TrainProcess* resume(std::int64_t run, const LaunchTarget& target = {}, QString* error = nullptr);
  // The config a run was started with (for "duplicate and edit"), without the stage key.
  QString runConfigJson(std::int64_t run) const;
  // Reads every run of the project into the store and follows those still running.
  void reload();
  const std::vector<TrainProcess*>& processes() const { return processes_; }

signals:
  void runsChanged();
  void logLine(qint64 run, const QString& line);

private:
  TrainProcess* newProcess();
  QString projectPath() const;
  void poll();
  void processFinished(TrainProcess* process);

  MetricsStore* store_;
  store::Project* project_ = nullptr;
  QString program_;
  std::vector<TrainProcess*> processes_;
  std::set<std::int64_t> followed_; // running runs started elsewhere
  QTimer* poll_;
};

} // namespace collab::ui

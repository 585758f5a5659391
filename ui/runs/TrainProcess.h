#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <set>

class QTimer;

namespace collab::ui {

class MetricsStore;

// Where a run's process runs: here, or on another machine through `ssh HOST` (the same
// paths there: a shared file system, as on a cluster).
struct LaunchTarget {
  QString sshHost; // empty: this machine
  bool remote() const { return !sshHost.isEmpty(); }
};

// One `collab train --config F --project P` (or `--resume RUN --project P`) child process. Its JSON-lines progress feeds
// the metrics store as it comes; everything it prints is kept as the run's log. Stopping
// asks politely first (SIGTERM, or Ctrl+C through ssh: the trainer saves a checkpoint and
// exits 130) and kills after a timeout.
class TrainProcess : public QObject {
  Q_OBJECT

public:
  TrainProcess(QString collabProgram, MetricsStore* store, QObject* parent = nullptr);
  ~TrainProcess() override;

  // The arguments of `collab` for a run (and `--check` for a dry run).
  static QStringList trainArguments(const QString& config, const QString& project, bool check = false);
  // The arguments of `collab` that resume `run` of `project` from its last checkpoint.
  static QStringList resumeArguments(std::int64_t run, const QString& project);
  // The command line as a shell reads it: what to paste into a Slurm script or torchrun.
  static QString shellCommand(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                              const LaunchTarget& target);

  void start(const QString& config, const QString& project, const QString& workingDirectory, const LaunchTarget& target = {});
  // Resumes `run` of `project`: the same run goes on from its last checkpoint.
  void resume(std::int64_t run, const QString& project, const QString& workingDirectory, const LaunchTarget& target = {});
  QString commandLine() const { return commandLine_; }
  QString config() const { return config_; }
  void stop(int killAfterMs = 15000);
  void kill();
  bool running() const { return process_->state() != QProcess::NotRunning; }
  qint64 processId() const { return process_->processId(); }
  // The project runs (one per stage) this process has started so far.
  const std::set<std::int64_t>& runs() const { return runs_; }
  std::int64_t currentRun() const { return currentRun_; }
  const QStringList& log() const { return log_; }
  // Why it ended, when it did not end well (empty otherwise or while running).
  QString failure() const { return failure_; }
  int exitCode() const { return exitCode_; }

signals:
  void stageStarted(qint64 run, const QString& stage);
  void stageEnded(qint64 run, const QString& status, const QString& reason);
  void logLine(const QString& line);
  void finished();

private:
  void startWith(const QStringList& arguments, const QString& workingDirectory, const LaunchTarget& target);
  void readOutput();
  void readErrors();
  void handleLine(const QString& line);
  void onFinished(int exitCode, QProcess::ExitStatus status);

  QString program_;
  MetricsStore* store_;
  QProcess* process_;
  QTimer* killTimer_;
  LaunchTarget target_;
  QString commandLine_, config_;
  QByteArray pendingOut_, pendingErr_;
  QStringList log_;
  std::set<std::int64_t> runs_;
  std::int64_t currentRun_ = 0;
  QString failure_;
  int exitCode_ = -1;
  bool stopping_ = false;
};

} // namespace collab::ui

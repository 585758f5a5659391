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
class WorkerRanks;

// Where a run's process runs: here, or on another machine through `ssh HOST` (the same
// paths there: a shared file system, as on a cluster); and how many data-parallel
// processes train it (torchrun's --nproc_per_node; several on this computer only).
struct LaunchTarget {
  QString sshHost;   // empty: this machine
  int processes = 1; // ranks of a data-parallel run
  bool remote() const { return !sshHost.isEmpty(); }
  bool dataParallel() const { return processes > 1; }
};

// One `collab train --config F --project P` (or `--resume RUN --project P`) child process. Its JSON-lines progress feeds
// the metrics store as it comes; everything it prints is kept as the run's log. Stopping
// asks politely first (SIGTERM, or Ctrl+C through ssh: the trainer saves a checkpoint and
// exits 130) and kills after a timeout.
// With several processes (LaunchTarget::processes) the child is rank 0 of a data-parallel
// run on this computer and the other ranks are started beside it (WorkerRanks): rank 0's
// progress drives the run as before, the others' errors join the log as "[rank N] ...",
// the first rank to fail stops the rest and is named in failure(), and stop() stops all.
class TrainProcess : public QObject {
  Q_OBJECT

public:
  static constexpr int kStoppedExitCode = 130; // collab's exit_code::kStopped: stopped on request

  TrainProcess(QString collabProgram, MetricsStore* store, QObject* parent = nullptr);
  ~TrainProcess() override;

  // The arguments of `collab` for a run (and `--check` for a dry run).
  static QStringList trainArguments(const QString& config, const QString& project, bool check = false);
  // The arguments of `collab` that resume `run` of `project` from its last checkpoint.
  static QStringList resumeArguments(std::int64_t run, const QString& project);
  // The command line as a shell reads it: what to paste into a Slurm script or a terminal
  // (several processes: the same run under torchrun).
  static QString shellCommand(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                              const LaunchTarget& target);

  void start(const QString& config, const QString& project, const QString& workingDirectory, const LaunchTarget& target = {});
  // Resumes `run` of `project`: the same run goes on from its last checkpoint.
  void resume(std::int64_t run, const QString& project, const QString& workingDirectory, const LaunchTarget& target = {});
  QString commandLine() const { return commandLine_; }
  QString config() const { return config_; }
  void stop(int killAfterMs = 15000);
  void kill();
  // Until every rank has ended.
  bool running() const;
  qint64 processId() const { return process_->processId(); }
  // The process of rank `rank` of a data-parallel run (0: processId()); 0 when none.
  qint64 rankProcessId(int rank) const;
  // The project runs (one per stage) this process has started so far.
  const std::set<std::int64_t>& runs() const { return runs_; }
  std::int64_t currentRun() const { return currentRun_; }
  const QStringList& log() const { return log_; }
  // Why it ended, when it did not end well (empty otherwise or while running); with
  // several processes it names the rank that failed first ("rank 1: ...").
  QString failure() const { return failure_; }
  // That rank (-1: none failed).
  int failedRank() const { return failedRank_; }
  int exitCode() const { return exitCode_; }

signals:
  void stageStarted(qint64 run, const QString& stage);
  void stageEnded(qint64 run, const QString& status, const QString& reason);
  void logLine(const QString& line);
  void finished();

private:
  void startWith(const QStringList& arguments, const QString& workingDirectory, const LaunchTarget& target);
  void startOtherRanks(const QStringList& arguments, const QString& workingDirectory, int processes);
  void readOutput();
  void readErrors();
  void appendLog(const QString& line);
  void handleLine(const QString& line);
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void rankFailed(int rank, const QString& reason);
  void endWhenAllRanksHave();

  QString program_;
  MetricsStore* store_;
  QProcess* process_; // rank 0: the one whose progress is read
  WorkerRanks* workers_; // the other ranks of a data-parallel run (none otherwise)
  QTimer* killTimer_;
  LaunchTarget target_;
  QString commandLine_, config_;
  QByteArray pendingOut_, pendingErr_;
  QStringList log_;
  std::set<std::int64_t> runs_;
  std::int64_t currentRun_ = 0;
  QString failure_;
  int failedRank_ = -1;
  int exitCode_ = -1;
  bool stopping_ = false;
  bool rank0Ended_ = false;
  bool ended_ = false; // finished() was emitted
};

} // namespace collab::ui

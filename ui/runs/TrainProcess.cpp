#include "runs/TrainProcess.h"

#include "runs/LocalRanks.h"
#include "runs/MetricsStore.h"
#include "runs/WorkerRanks.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

#include <map>

namespace collab::ui {

namespace {
constexpr int kLogLines = 20000; // the log keeps the last lines only
// After one rank fails the others get this long to stop (a rank blocked in a collective
// with the dead one may not see the stop request).
constexpr int kKillAfterRankFailureMs = 10000;
// After rank 0 ended well the other ranks are ending too; this long at most.
constexpr int kKillAfterRank0EndedMs = 60000;

QString shellQuoted(const QString& word) {
  static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
  if (plain.match(word).hasMatch()) return word;
  QString quoted = word;
  quoted.replace('\'', QLatin1String("'\\''"));
  return '\'' + quoted + '\'';
}

QString joined(const QString& program, const QStringList& arguments) {
  QStringList words{shellQuoted(program)};
  for (const QString& a : arguments) words << shellQuoted(a);
  return words.join(' ');
}
} // namespace

TrainProcess::TrainProcess(QString collabProgram, MetricsStore* store, QObject* parent)
    : QObject(parent), program_(std::move(collabProgram)), store_(store), process_(new QProcess(this)),
      workers_(new WorkerRanks(this)), killTimer_(new QTimer(this)) {
  killTimer_->setSingleShot(true);
  connect(killTimer_, &QTimer::timeout, this, &TrainProcess::kill);
  connect(process_, &QProcess::readyReadStandardOutput, this, &TrainProcess::readOutput);
  connect(process_, &QProcess::readyReadStandardError, this, &TrainProcess::readErrors);
  connect(process_, &QProcess::finished, this, &TrainProcess::onFinished);
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    rankFailed(0, tr("%1 could not be started: %2").arg(program_, process_->errorString()));
    rank0Ended_ = true;
    endWhenAllRanksHave();
  });
  connect(workers_, &WorkerRanks::errorLine, this,
          [this](int rank, const QString& line) { appendLog(QStringLiteral("[rank %1] %2").arg(rank).arg(line)); });
  connect(workers_, &WorkerRanks::rankFailed, this, &TrainProcess::rankFailed);
  connect(workers_, &WorkerRanks::ended, this, &TrainProcess::endWhenAllRanksHave);
}

TrainProcess::~TrainProcess() {
  // The window closing does not orphan a run silently: it is stopped with a checkpoint.
  if (running()) {
    process_->terminate();
    workers_->terminate();
    if (!process_->waitForFinished(3000)) process_->kill();
    process_->waitForFinished(1000);
    workers_->finish(3000);
  }
}

bool TrainProcess::running() const {
  return process_->state() != QProcess::NotRunning || workers_->running();
}

qint64 TrainProcess::rankProcessId(int rank) const {
  return rank == 0 ? process_->processId() : workers_->processId(rank);
}

QStringList TrainProcess::trainArguments(const QString& config, const QString& project, bool check) {
  QStringList arguments{QStringLiteral("train"), QStringLiteral("--config"), config};
  if (!project.isEmpty()) arguments << QStringLiteral("--project") << project;
  if (check) arguments << QStringLiteral("--check");
  return arguments;
}

QString TrainProcess::shellCommand(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                                   const LaunchTarget& target) {
  // torchrun sets the variables the workbench sets for each rank (on 127.0.0.1:29500).
  const QString command = target.dataParallel()
                              ? QStringLiteral("torchrun --nproc_per_node=%1 --no_python %2").arg(target.processes).arg(joined(program, arguments))
                              : joined(program, arguments);
  const QString local = QStringLiteral("cd %1 && %2").arg(shellQuoted(workingDirectory), command);
  if (!target.remote()) return local;
  return QStringLiteral("ssh -tt %1 %2").arg(shellQuoted(target.sshHost), shellQuoted(local));
}

QStringList TrainProcess::resumeArguments(std::int64_t run, const QString& project) {
  return {QStringLiteral("train"), QStringLiteral("--resume"), QString::number(run), QStringLiteral("--project"), project};
}

void TrainProcess::start(const QString& config, const QString& project, const QString& workingDirectory,
                         const LaunchTarget& target) {
  config_ = config;
  startWith(trainArguments(config, project), workingDirectory, target);
}

void TrainProcess::resume(std::int64_t run, const QString& project, const QString& workingDirectory,
                          const LaunchTarget& target) {
  startWith(resumeArguments(run, project), workingDirectory, target);
}

void TrainProcess::startWith(const QStringList& arguments, const QString& workingDirectory, const LaunchTarget& target) {
  target_ = target;
  commandLine_ = shellCommand(program_, arguments, workingDirectory, target);
  log_ << QStringLiteral("$ ") + commandLine_;
  if (target.remote() && target.dataParallel()) { // RunLauncher refuses it; never half-done
    failedRank_ = 0;
    failure_ = tr("several processes run on this computer only");
    rank0Ended_ = true;
    QTimer::singleShot(0, this, &TrainProcess::endWhenAllRanksHave); // after the caller connected
    return;
  }
  if (target.remote()) {
    // -tt: the remote run gets a terminal, so Ctrl+C written to it stops it gracefully,
    // and it ends with the connection instead of running on unseen.
    const QString remote = QStringLiteral("cd %1 && %2").arg(shellQuoted(workingDirectory), joined(program_, arguments));
    process_->start(QStringLiteral("ssh"), {QStringLiteral("-tt"), target.sshHost, remote});
    return;
  }
  process_->setWorkingDirectory(workingDirectory);
  if (target.dataParallel()) startOtherRanks(arguments, workingDirectory, target.processes);
  process_->start(program_, arguments);
}

// Rank 0 is process_ (its environment set here); ranks 1..N-1 are the workers'.
void TrainProcess::startOtherRanks(const QStringList& arguments, const QString& workingDirectory, int processes) {
  const LocalRanks ranks(processes, LocalRanks::freePort());
  for (int rank = 0; rank < processes; ++rank) log_ << tr("rank %1: %2").arg(rank).arg(ranks.shellPrefix(rank));
  process_->setProcessEnvironment(ranks.environment(0));
  workers_->start(program_, arguments, workingDirectory, ranks);
}

void TrainProcess::stop(int killAfterMs) {
  if (!running()) return;
  stopping_ = true;
  if (process_->state() != QProcess::NotRunning) {
    if (target_.remote()) process_->write("\x03"); // Ctrl+C on the remote terminal: SIGINT there
    else process_->terminate();                     // SIGTERM: checkpoint, then exit 130
  }
  workers_->terminate(); // every rank is asked: they stop after the same step
  killTimer_->start(killAfterMs);
}

void TrainProcess::kill() {
  if (process_->state() != QProcess::NotRunning) process_->kill();
  workers_->kill();
}

void TrainProcess::readOutput() {
  pendingOut_ += process_->readAllStandardOutput();
  for (qsizetype end; (end = pendingOut_.indexOf('\n')) >= 0;) {
    handleLine(QString::fromUtf8(pendingOut_.left(end)).trimmed()); // trimmed: ssh -tt ends lines with \r\n
    pendingOut_.remove(0, end + 1);
  }
}

void TrainProcess::readErrors() {
  pendingErr_ += process_->readAllStandardError();
  for (qsizetype end; (end = pendingErr_.indexOf('\n')) >= 0;) {
    const QString line = QString::fromUtf8(pendingErr_.left(end)).trimmed();
    pendingErr_.remove(0, end + 1);
    appendLog(line);
  }
}

void TrainProcess::appendLog(const QString& line) {
  log_ << line;
  if (log_.size() > kLogLines) log_.erase(log_.begin(), log_.begin() + (log_.size() - kLogLines));
  emit logLine(line);
}

void TrainProcess::handleLine(const QString& line) {
  if (line.isEmpty()) return;
  const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
  const QString kind = event.value(QLatin1String("event")).toString();
  if (kind != QLatin1String("step")) appendLog(line); // steps would drown the log; the plots show them
  const qint64 run = event.value(QLatin1String("run")).toInteger();
  if (kind == QLatin1String("stage_start")) {
    currentRun_ = run;
    runs_.insert(run);
    const QString stage = event.value(QLatin1String("stage")).toString();
    if (store_) store_->addRun(run, QStringLiteral("%1 (#%2)").arg(stage).arg(run));
    emit stageStarted(run, stage);
  } else if (kind == QLatin1String("step") && store_) {
    std::map<QString, double> values;
    static const QStringList skipped = {QStringLiteral("event"), QStringLiteral("stage"), QStringLiteral("run"),
                                        QStringLiteral("step"), QStringLiteral("wall_time")};
    for (auto it = event.begin(); it != event.end(); ++it)
      if (it.value().isDouble() && !skipped.contains(it.key())) values[it.key()] = it.value().toDouble();
    const double wall = event.contains(QLatin1String("wall_time"))
                            ? event.value(QLatin1String("wall_time")).toDouble()
                            : static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    store_->appendStep(run, event.value(QLatin1String("step")).toDouble(), wall, values);
  } else if (kind == QLatin1String("stage_end")) {
    emit stageEnded(run, event.value(QLatin1String("status")).toString(), event.value(QLatin1String("reason")).toString());
  }
}

void TrainProcess::onFinished(int exitCode, QProcess::ExitStatus status) {
  readOutput();
  readErrors();
  exitCode_ = status == QProcess::NormalExit ? exitCode : -1;
  if (status == QProcess::CrashExit)
    rankFailed(0, stopping_ ? tr("killed after it did not stop in time") : tr("the training process was killed or crashed"));
  else if (exitCode != 0 && exitCode != kStoppedExitCode)
    rankFailed(0, log_.isEmpty() ? tr("exit code %1").arg(exitCode) : tr("exit code %1: %2").arg(exitCode).arg(log_.last()));
  rank0Ended_ = true;
  if (workers_->running() && !killTimer_->isActive()) killTimer_->start(kKillAfterRank0EndedMs);
  endWhenAllRanksHave();
}

// The first failure is the cause (the ranks that lose their peer fail after it): it is
// kept, and the other ranks are stopped rather than left to wait out their timeout.
void TrainProcess::rankFailed(int rank, const QString& reason) {
  if (failedRank_ >= 0) return;
  failedRank_ = rank;
  failure_ = target_.dataParallel() ? tr("rank %1: %2").arg(rank).arg(reason) : reason;
  if (running()) stop(kKillAfterRankFailureMs);
}

void TrainProcess::endWhenAllRanksHave() {
  if (ended_ || !rank0Ended_ || workers_->running()) return;
  ended_ = true;
  killTimer_->stop();
  appendLog(failure_.isEmpty() ? tr("[exit code %1]").arg(exitCode_) : tr("[%1]").arg(failure_));
  emit finished();
}

} // namespace collab::ui

#include "runs/WorkerRanks.h"

#include "runs/LocalRanks.h"
#include "runs/TrainProcess.h"

namespace collab::ui {

WorkerRanks::WorkerRanks(QObject* parent) : QObject(parent) {}

WorkerRanks::~WorkerRanks() {
  // The owner ends its ranks first (finish()); whatever still runs here is not orphaned.
  for (const auto& rank : ranks_) {
    rank->process->disconnect(this);
    if (rank->process->state() != QProcess::NotRunning) {
      rank->process->kill();
      rank->process->waitForFinished(1000);
    }
  }
}

void WorkerRanks::start(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                        const LocalRanks& ranks) {
  for (int r = 1; r < ranks.worldSize(); ++r) {
    auto rank = std::make_unique<Rank>();
    rank->rank = r;
    rank->process = new QProcess(this);
    Rank* self = rank.get();
    connect(self->process, &QProcess::readyReadStandardError, this, [this, self] { readErrors(*self); });
    connect(self->process, &QProcess::finished, this, [this, self](int exitCode, QProcess::ExitStatus status) {
      readErrors(*self);
      if (status == QProcess::CrashExit) rankEnded(*self, tr("the process was killed or crashed"));
      else if (exitCode != 0 && exitCode != TrainProcess::kStoppedExitCode)
        rankEnded(*self, self->lastLine.isEmpty() ? tr("exit code %1").arg(exitCode) : tr("exit code %1: %2").arg(exitCode).arg(self->lastLine));
      else rankEnded(*self, {});
    });
    connect(self->process, &QProcess::errorOccurred, this, [this, self](QProcess::ProcessError error) {
      if (error == QProcess::FailedToStart) rankEnded(*self, tr("could not be started: %1").arg(self->process->errorString()));
    });
    self->process->setWorkingDirectory(workingDirectory);
    self->process->setProcessEnvironment(ranks.environment(r));
    self->process->setStandardOutputFile(QProcess::nullDevice()); // ranks above 0 print no progress
    ranks_.push_back(std::move(rank));
    self->process->start(program, arguments);
  }
}

void WorkerRanks::readErrors(Rank& rank) {
  rank.pending += rank.process->readAllStandardError();
  for (qsizetype end; (end = rank.pending.indexOf('\n')) >= 0;) {
    const QString line = QString::fromUtf8(rank.pending.left(end)).trimmed();
    rank.pending.remove(0, end + 1);
    if (line.isEmpty()) continue;
    rank.lastLine = line;
    emit errorLine(rank.rank, line);
  }
}

void WorkerRanks::rankEnded(Rank& rank, const QString& failure) {
  if (!failure.isEmpty()) emit rankFailed(rank.rank, failure);
  if (!running()) emit ended();
}

void WorkerRanks::terminate() {
  for (const auto& rank : ranks_)
    if (rank->process->state() != QProcess::NotRunning) rank->process->terminate();
}

void WorkerRanks::kill() {
  for (const auto& rank : ranks_)
    if (rank->process->state() != QProcess::NotRunning) rank->process->kill();
}

void WorkerRanks::finish(int timeoutMs) {
  for (const auto& rank : ranks_)
    if (!rank->process->waitForFinished(timeoutMs)) {
      rank->process->kill();
      rank->process->waitForFinished(1000);
    }
}

bool WorkerRanks::running() const {
  for (const auto& rank : ranks_)
    if (rank->process->state() != QProcess::NotRunning) return true;
  return false;
}

qint64 WorkerRanks::processId(int rank) const {
  for (const auto& r : ranks_)
    if (r->rank == rank) return r->process->processId();
  return 0;
}

} // namespace collab::ui

#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace collab::ui {

class LocalRanks;

// Ranks 1..N-1 of a data-parallel run on this computer: `collab train` children that
// train their share of each batch and print only errors (rank 0, whose progress drives
// the run, is TrainProcess's own child). Their stderr is passed on line by line, and the
// first of them to end badly (an error exit, a crash, a failed start) is reported.
class WorkerRanks : public QObject {
  Q_OBJECT

public:
  explicit WorkerRanks(QObject* parent = nullptr);
  ~WorkerRanks() override;

  void start(const QString& program, const QStringList& arguments, const QString& workingDirectory, const LocalRanks& ranks);
  // SIGTERM: a rank asked to stop stops with the others after the same step.
  void terminate();
  void kill();
  // Waits up to `timeoutMs` for every rank to end, then kills those still running.
  void finish(int timeoutMs);
  bool running() const;
  // The process of rank `rank` (1..N-1), 0 when it is not running.
  qint64 processId(int rank) const;

signals:
  void errorLine(int rank, const QString& line);
  void rankFailed(int rank, const QString& reason);
  void ended(); // the last rank has ended

private:
  struct Rank {
    int rank = 0;
    QProcess* process = nullptr;
    QByteArray pending; // stderr not yet ended by a newline
    QString lastLine;   // the rank's last error line: why it failed
  };
  void readErrors(Rank& rank);
  void rankEnded(Rank& rank, const QString& failure);

  std::vector<std::unique_ptr<Rank>> ranks_;
};

} // namespace collab::ui

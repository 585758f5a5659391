#include "runs/TrainProcess.h"

#include "runs/MetricsStore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

#include <map>

namespace collab::ui {

namespace {
constexpr int kStoppedExitCode = 130; // collab's exit_code::kStopped
constexpr int kLogLines = 20000;       // the log keeps the last lines only

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
      killTimer_(new QTimer(this)) {
  killTimer_->setSingleShot(true);
  connect(killTimer_, &QTimer::timeout, this, &TrainProcess::kill);
  connect(process_, &QProcess::readyReadStandardOutput, this, &TrainProcess::readOutput);
  connect(process_, &QProcess::readyReadStandardError, this, &TrainProcess::readErrors);
  connect(process_, &QProcess::finished, this, &TrainProcess::onFinished);
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    failure_ = tr("%1 could not be started: %2").arg(program_, process_->errorString());
    log_ << failure_;
    emit logLine(failure_);
    emit finished();
  });
}

TrainProcess::~TrainProcess() {
  // The window closing does not orphan a run silently: it is stopped with a checkpoint.
  if (running()) {
    process_->terminate();
    if (!process_->waitForFinished(3000)) process_->kill();
    process_->waitForFinished(1000);
  }
}

QStringList TrainProcess::trainArguments(const QString& config, const QString& project, bool check) {
  QStringList arguments{QStringLiteral("train"), QStringLiteral("--config"), config};
  if (!project.isEmpty()) arguments << QStringLiteral("--project") << project;
  if (check) arguments << QStringLiteral("--check");
  return arguments;
}

QString TrainProcess::shellCommand(const QString& program, const QStringList& arguments, const QString& workingDirectory,
                                   const LaunchTarget& target) {
  const QString local = QStringLiteral("cd %1 && %2").arg(shellQuoted(workingDirectory), joined(program, arguments));
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
  if (target.remote()) {
    // -tt: the remote run gets a terminal, so Ctrl+C written to it stops it gracefully,
    // and it ends with the connection instead of running on unseen.
    const QString remote = QStringLiteral("cd %1 && %2").arg(shellQuoted(workingDirectory), joined(program_, arguments));
    process_->start(QStringLiteral("ssh"), {QStringLiteral("-tt"), target.sshHost, remote});
    return;
  }
  process_->setWorkingDirectory(workingDirectory);
  process_->start(program_, arguments);
}

void TrainProcess::stop(int killAfterMs) {
  if (!running()) return;
  stopping_ = true;
  if (target_.remote()) process_->write("\x03"); // Ctrl+C on the remote terminal: SIGINT there
  else process_->terminate();                     // SIGTERM: checkpoint, then exit 130
  killTimer_->start(killAfterMs);
}

void TrainProcess::kill() {
  if (running()) process_->kill();
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
    log_ << line;
    emit logLine(line);
  }
}

void TrainProcess::handleLine(const QString& line) {
  if (line.isEmpty()) return;
  const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
  const QString kind = event.value(QLatin1String("event")).toString();
  if (kind != QLatin1String("step")) { // steps would drown the log; the plots show them
    log_ << line;
    if (log_.size() > kLogLines) log_.erase(log_.begin(), log_.begin() + (log_.size() - kLogLines));
    emit logLine(line);
  }
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
  killTimer_->stop();
  readOutput();
  readErrors();
  exitCode_ = status == QProcess::NormalExit ? exitCode : -1;
  if (status == QProcess::CrashExit)
    failure_ = stopping_ ? tr("killed after it did not stop in time") : tr("the training process was killed or crashed");
  else if (exitCode != 0 && exitCode != kStoppedExitCode)
    failure_ = log_.isEmpty() ? tr("exit code %1").arg(exitCode) : tr("exit code %1: %2").arg(exitCode).arg(log_.last());
  const QString end = failure_.isEmpty() ? tr("[exit code %1]").arg(exitCode) : tr("[%1]").arg(failure_);
  log_ << end;
  emit logLine(end);
  emit finished();
}

} // namespace collab::ui

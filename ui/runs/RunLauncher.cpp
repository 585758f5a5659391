#include "runs/RunLauncher.h"

#include "runs/MetricsStore.h"
#include "store/Project.h"
#include "train/RecordedRunFields.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>

namespace collab::ui {

namespace {
constexpr int kCheckTimeoutMs = 30000;

QString runName(const store::RunRecord& run) {
  return QStringLiteral("%1 (#%2)").arg(QString::fromStdString(run.name)).arg(run.id);
}
} // namespace

RunLauncher::RunLauncher(MetricsStore* store, QObject* parent)
    : QObject(parent), store_(store), program_(findCollabProgram()), poll_(new QTimer(this)) {
  poll_->setInterval(kPollIntervalMs);
  connect(poll_, &QTimer::timeout, this, &RunLauncher::poll);
}

QString RunLauncher::findCollabProgram() {
  if (const QString env = qEnvironmentVariable("COLLAB_CLI"); !env.isEmpty()) return env;
  if (const QString set = QSettings().value(QStringLiteral("runs/collab")).toString(); !set.isEmpty()) return set;
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath(QStringLiteral("collab")), here.filePath(QStringLiteral("../cli/collab")),
                                   here.filePath(QStringLiteral("../app/cli/collab"))})
    if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
  const QString onPath = QStandardPaths::findExecutable(QStringLiteral("collab"));
  return onPath.isEmpty() ? QStringLiteral("collab") : onPath;
}

void RunLauncher::setProject(store::Project* project) {
  project_ = project;
  followed_.clear();
  store_->clear();
  reload();
}

QString RunLauncher::workingDirectory() const {
  if (!project_) return QDir::currentPath();
  return QFileInfo(QString::fromStdString(project_->path().string())).absolutePath();
}

QString RunLauncher::check(const QString& config) const {
  QProcess process;
  process.setWorkingDirectory(workingDirectory());
  process.start(program_, TrainProcess::trainArguments(config, {}, true));
  if (!process.waitForFinished(kCheckTimeoutMs)) {
    process.kill();
    process.waitForFinished(1000);
    return tr("%1 did not answer: %2").arg(program_, process.errorString());
  }
  if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0) return {};
  const QString message = QString::fromUtf8(process.readAllStandardError()).trimmed();
  return message.isEmpty() ? tr("collab train --check failed (exit code %1)").arg(process.exitCode()) : message;
}

TrainProcess* RunLauncher::newProcess() {
  auto* process = new TrainProcess(program_, store_, this);
  connect(process, &TrainProcess::stageStarted, this, [this](qint64 run) {
    if (const auto record = project_ ? project_->runs().find(run) : std::nullopt) store_->addRun(run, runName(*record));
    emit runsChanged();
  });
  connect(process, &TrainProcess::stageEnded, this, &RunLauncher::runsChanged);
  connect(process, &TrainProcess::logLine, this, [this, process](const QString& line) { emit logLine(process->currentRun(), line); });
  connect(process, &TrainProcess::finished, this, [this, process] { processFinished(process); });
  processes_.push_back(process);
  return process;
}

QString RunLauncher::projectPath() const {
  return QFileInfo(QString::fromStdString(project_->path().string())).absoluteFilePath();
}

QString RunLauncher::refusal(const LaunchTarget& target) {
  // Ranks on another computer need a launcher there (its own free port, its GPUs):
  // torchrun, as the command line shows.
  if (target.remote() && target.dataParallel())
    return tr("Several processes run on this computer only: for %1, paste the command line into a terminal there "
              "(it starts the ranks with torchrun), or run one process.")
        .arg(target.sshHost);
  return {};
}

QString RunLauncher::singleProcessStage(const QJsonArray& stages) {
  for (const QJsonValue& value : stages) {
    const QJsonObject stage = value.toObject();
    if (stage.value(QStringLiteral("method")).toString() == QLatin1String("ppo"))
      return stage.value(QStringLiteral("name")).toString();
  }
  return {};
}

LaunchTarget RunLauncher::recordedTarget(std::int64_t run) const {
  LaunchTarget target;
  const auto record = project_ ? project_->runs().find(run) : std::nullopt;
  if (!record) return target;
  const QJsonObject config = QJsonDocument::fromJson(QByteArray::fromStdString(record->configJson)).object();
  target.processes = std::max(1, config.value(QLatin1String(train::kRecordedWorldSize)).toInt(1));
  return target;
}

TrainProcess* RunLauncher::launch(const QString& config, const LaunchTarget& target, QString* error) {
  if (!project_) {
    if (error) *error = tr("Open a project first: runs are recorded in it.");
    return nullptr;
  }
  if (const QString why = refusal(target); !why.isEmpty()) {
    if (error) *error = why;
    return nullptr;
  }
  TrainProcess* process = newProcess();
  process->start(config, projectPath(), workingDirectory(), target);
  return process;
}

TrainProcess* RunLauncher::resume(std::int64_t run, const LaunchTarget& target, QString* error) {
  if (!project_ || !project_->runs().find(run)) {
    if (error) *error = tr("No such run.");
    return nullptr;
  }
  if (const QString why = refusal(target); !why.isEmpty()) {
    if (error) *error = why;
    return nullptr;
  }
  const QJsonObject config = QJsonDocument::fromJson(QByteArray::fromStdString(project_->runs().find(run)->configJson)).object();
  if (const QString stage = singleProcessStage(config.value(QStringLiteral("stages")).toArray());
      target.dataParallel() && !stage.isEmpty()) {
    if (error)
      *error = tr("Stage %1 is PPO, which runs in one process only, and run #%2 ran in %3: resume it in one process "
                  "from a terminal (collab train --resume %2 --project ...).")
                   .arg(stage)
                   .arg(run)
                   .arg(target.processes);
    return nullptr;
  }
  if (TrainProcess* running = processFor(run); running && running->running()) {
    if (error) *error = tr("The run is still running.");
    return nullptr;
  }
  TrainProcess* process = newProcess();
  process->resume(run, projectPath(), workingDirectory(), target);
  return process;
}

// A child that died without saying how its runs ended (killed, crashed) leaves them
// "running" in the project: they are marked failed with the reason, so the table says why.
// When another rank than the recording rank 0 failed first, rank 0 ended because of it
// (stopped, or failed waiting for that rank): the run failed for the other rank's reason.
void RunLauncher::processFinished(TrainProcess* process) {
  if (project_) {
    const bool otherRankFailed = process->failedRank() > 0;
    for (std::int64_t run : process->runs()) {
      const auto record = project_->runs().find(run);
      if (record && (record->status == "running" || (otherRankFailed && record->status != "finished")))
        project_->runs().setStatus(run, "failed",
                                   (process->failure().isEmpty() ? tr("the process ended before the run did") : process->failure()).toStdString());
    }
    for (std::int64_t run : process->runs()) store_->readFromProject(*project_, run); // what the stream missed
  }
  emit runsChanged();
}

TrainProcess* RunLauncher::processFor(std::int64_t run) const {
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it)
    if ((*it)->runs().count(run)) return *it;
  return nullptr;
}

bool RunLauncher::stop(std::int64_t run) {
  TrainProcess* process = processFor(run);
  if (!process || !process->running()) return false;
  process->stop();
  return true;
}

QString RunLauncher::runConfigJson(std::int64_t run) const {
  if (!project_) return {};
  const auto record = project_->runs().find(run);
  if (!record) return {};
  QJsonObject config = QJsonDocument::fromJson(QByteArray::fromStdString(record->configJson)).object();
  config.remove(QLatin1String(train::kRecordedStage));
  config.remove(QLatin1String(train::kRecordedWorldSize));
  return QString::fromUtf8(QJsonDocument(config).toJson());
}

void RunLauncher::reload() {
  if (!project_) {
    poll_->stop();
    return;
  }
  for (const store::RunRecord& run : project_->runs().list()) {
    store_->addRun(run.id, runName(run));
    store_->readFromProject(*project_, run.id);
    if (run.status == "running" && !processFor(run.id)) followed_.insert(run.id);
  }
  poll_->start(); // runs started from elsewhere appear while the project is open
  emit runsChanged();
}

void RunLauncher::poll() {
  if (!project_) return;
  bool ended = false;
  for (auto it = followed_.begin(); it != followed_.end();) {
    if (processFor(*it)) { // ours after all (polled before its progress said so)
      it = followed_.erase(it);
      continue;
    }
    // The status first: a run writes its last metrics before its final status, so a read
    // after seeing that status misses nothing.
    const auto record = project_->runs().find(*it);
    store_->readFromProject(*project_, *it);
    if (record && record->status == "running") {
      ++it;
      continue;
    }
    it = followed_.erase(it);
    ended = true;
  }
  // A new stage of a run started elsewhere is a new run: pick it up too.
  for (const store::RunRecord& run : project_->runs().list())
    if (!store_->hasRun(run.id)) {
      store_->addRun(run.id, runName(run));
      if (run.status == "running" && !processFor(run.id)) followed_.insert(run.id);
      ended = true;
    }
  if (ended) emit runsChanged();
}

} // namespace collab::ui

// Training runs from the GUI with the real `collab` (no fake): a short config launched
// from the run dialog, its plots growing while it runs and equal to the project's stored
// metrics afterwards; stop and resume; kill -9 of the child; a run started elsewhere
// followed from the project file (a GUI restarted mid-run). Data parallel: two processes
// on this computer train one run (rank 0's progress plotted), a rank killed mid-run fails
// the run naming it, stop ends every rank, and a resume goes on with two processes again. A Hugging Face model folder that is not there
// is named by `collab train --check` in the dialog.

#include "runs/Dashboard.h"
#include "runs/PathField.h"
#include "runs/EvalView.h"
#include "runs/MetricPlot.h"
#include "runs/MetricsStore.h"
#include "runs/RunDialog.h"
#include "runs/RunLauncher.h"
#include "runs/RunTableModel.h"
#include "runs/RunsWindow.h"
#include "runs/TrainProcess.h"
#include "store/Project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QScopeGuard>
#include <QJsonDocument>
#include <QJsonObject>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <memory>

using namespace collab::ui;

namespace {
constexpr int kRunTimeoutMs = 240'000;

// SFT only, small: 24 conversations, `epochs` passes in batches of 4 (6 steps an epoch).
QJsonObject smallConfig(const QString& output, int epochs) {
  return {{"name", "small"},
          {"seed", 3},
          {"output", output},
          {"families", QJsonArray{"documents", "math", "code"}},
          {"tasks_per_family", 8},
          {"max_exchanges", 4},
          {"stages", QJsonArray{QJsonObject{{"name", "sft"}, {"method", "sft"}, {"from", "init"}, {"epochs", epochs},
                                            {"batch_size", 4}, {"learning_rate", 3e-3}}}}};
}
} // namespace

class RunLaunchTest : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_; // one per test: its own project and outputs
  std::unique_ptr<collab::store::Project> project_;
  std::unique_ptr<RunsWindow> window_;

  QString at(const QString& name) const { return dir_->filePath(name); }

  TrainProcess* launchFromDialog(const QJsonObject& config, int processes = 1) {
    RunDialog* dialog = window_->newRunDialog();
    dialog->setConfig(config);
    dialog->findChild<QSpinBox*>(QStringLiteral("processes"))->setValue(processes);
    dialog->accept();
    if (dialog->result() != QDialog::Accepted) qWarning("dialog refused: %s", qPrintable(dialog->error()));
    return window_->launcher()->processes().empty() ? nullptr : window_->launcher()->processes().back();
  }

  std::size_t lossPoints(qint64 run) const {
    const MetricSeries* s = window_->store()->series(run, QStringLiteral("loss"));
    return s ? s->size() : 0;
  }

private slots:
  // The presets are resources of the static ui library: registered by hand here.
  void initTestCase() { Q_INIT_RESOURCE(resources); }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    project_ = std::make_unique<collab::store::Project>(collab::store::Project::create(at("p.collab").toStdString()));
    window_ = std::make_unique<RunsWindow>();
    window_->launcher()->setCollabProgram(COLLAB_CLI_BIN);
    window_->setProject(project_.get());
    window_->resize(1400, 800);
    window_->show();
  }

  void cleanup() {
    window_.reset(); // stops what still runs
    project_.reset();
    dir_.reset();
  }

  void dialogRefusesABadConfig() {
    RunDialog* dialog = window_->newRunDialog();
    QJsonObject config = smallConfig(at("bad-out"), 1);
    QJsonArray stages = config["stages"].toArray();
    QJsonObject stage = stages[0].toObject();
    stage["name"] = "bad/name";
    stages[0] = stage;
    config["stages"] = stages;
    dialog->setConfig(config);
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Rejected)); // stays open
    QVERIFY2(dialog->error().contains("stages[0].name: expected a non-empty name without '/'"), qPrintable(dialog->error()));
    QVERIFY(window_->launcher()->processes().empty());
    QVERIFY(dialog->commandLine().contains(" train --config "));
    dialog->close();
  }

  void launchedRunPlotsLiveAndMatchesTheProject() {
    TrainProcess* process = launchFromDialog(smallConfig(at("out"), 60));
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) > 0, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    const std::size_t early = lossPoints(run);
    QTRY_VERIFY_WITH_TIMEOUT(lossPoints(run) > early, kRunTimeoutMs); // growing while it runs
    window_->dashboard()->refreshNow();
    QVERIFY(window_->dashboard()->plot(QStringLiteral("loss"))->pointsDrawn() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    QCOMPARE(process->exitCode(), 0);

    const auto stored = project_->runs().metrics(run, "loss");
    const MetricSeries* live = window_->store()->series(run, QStringLiteral("loss"));
    QCOMPARE(live->size(), stored.size());
    QCOMPARE(stored.size(), std::size_t(60 * 6));
    for (std::size_t i = 0; i < stored.size(); ++i) {
      QCOMPARE(live->steps()[i], static_cast<double>(stored[i].step));
      QCOMPARE(live->values()[i], stored[i].value);
      QCOMPARE(live->wallTimes()[i], stored[i].wallTime);
    }
    window_->dashboard()->refreshNow();
    QCOMPARE(window_->dashboard()->plot(QStringLiteral("loss"))->pointsHeld(), stored.size());
    QCOMPARE(project_->runs().find(run)->status, std::string("finished"));
    const int row = window_->runModel()->rowOf(run);
    QCOMPARE(window_->runModel()->index(row, RunTableModel::Status).data().toString(), QStringLiteral("finished"));
    QVERIFY(!window_->runModel()->index(row, RunTableModel::BestLoss).data().toString().isEmpty());

    // Its checkpoint evaluated by `collab eval`, shown as a table.
    window_->selectRun(run);
    window_->evalView()->setTasksPerFamily(2);
    QVERIFY(window_->compareSelected());
    QTRY_VERIFY_WITH_TIMEOUT(!window_->evalView()->running(), kRunTimeoutMs);
    QVERIFY2(window_->evalView()->status().startsWith("Evaluated"), qPrintable(window_->evalView()->status()));
    QCOMPARE(window_->evalView()->table()->rowCount(), 1);
    QCOMPARE(window_->evalView()->table()->item(0, 0)->text(), QStringLiteral("sft"));
  }

  // A remote launch target: the run goes through `ssh -tt HOST 'cd DIR && collab train ...'`
  // and its progress streams back. No ssh server here, so a stand-in `ssh` on PATH checks
  // the arguments and runs the command with sh, as sshd runs it in the login shell; what is
  // tested is our command (its quoting, the working directory) and the streaming.
  void remoteTargetRunsThroughSsh() {
    QFile shim(at("bin/ssh"));
    QVERIFY(QDir().mkpath(at("bin")));
    QVERIFY(shim.open(QIODevice::WriteOnly));
    shim.write("#!/bin/sh\n"
               "[ \"$1\" = -tt ] || { echo \"expected -tt, got $1\" >&2; exit 255; }\n"
               "echo \"$2\" > \"$(dirname \"$0\")/host\"\n"
               "shift 2\n"
               "exec sh -c \"$*\"\n");
    shim.close();
    QVERIFY(shim.setPermissions(shim.permissions() | QFileDevice::ExeOwner));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", at("bin").toUtf8() + ":" + path);
    const auto restorePath = qScopeGuard([&] { qputenv("PATH", path); });

    QFile config(at("remote config.json")); // a space: the remote command must quote it
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QJsonDocument(smallConfig(at("remote-out"), 2)).toJson());
    config.close();
    QString error;
    TrainProcess* process = window_->launcher()->launch(config.fileName(), LaunchTarget{QStringLiteral("gpu-box")}, &error);
    QVERIFY2(process, qPrintable(error));
    QVERIFY2(process->commandLine().startsWith("ssh -tt gpu-box 'cd "), qPrintable(process->commandLine()));
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    QVERIFY2(process->exitCode() == 0, qPrintable(process->log().join('\n')));
    QFile host(at("bin/host"));
    QVERIFY(host.open(QIODevice::ReadOnly));
    QCOMPARE(host.readAll().trimmed(), QByteArray("gpu-box"));
    const qint64 run = process->currentRun();
    QVERIFY(run > 0);
    QCOMPARE(lossPoints(run), std::size_t(2 * 6)); // streamed back, step by step
    QCOMPARE(project_->runs().metrics(run, "loss").size(), std::size_t(2 * 6));
    QVERIFY(QFile::exists(at("remote-out/sft/config.json")));
  }

  void stopThenResume() {
    TrainProcess* process = launchFromDialog(smallConfig(at("out"), 400));
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) >= 5, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    window_->runModel()->reload();
    window_->selectRun(run);
    QVERIFY(window_->stopSelected());
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    QCOMPARE(process->exitCode(), 130); // graceful: checkpoint, then exit 130
    QCOMPARE(project_->runs().find(run)->status, std::string("stopped"));
    QCOMPARE(project_->runs().checkpoints(run).size(), std::size_t(1));
    QVERIFY(QFile::exists(at("out/sft/config.json")));

    const auto stopped = project_->runs().metrics(run, "loss");

    // `collab train --resume RUN`: the same run goes on from the stop's checkpoint, its
    // steps continuing those before the stop (one curve on the dashboard).
    window_->runModel()->reload();
    window_->selectRun(run);
    QString error;
    TrainProcess* resumed = window_->resumeSelected(&error);
    QVERIFY2(resumed, qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(resumed->currentRun() == run && lossPoints(run) >= stopped.size() + 3, kRunTimeoutMs);
    QVERIFY(resumed->log().join('\n').contains(QStringLiteral("\"event\":\"resume\"")));
    resumed->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!resumed->running(), kRunTimeoutMs);
    QCOMPARE(resumed->exitCode(), 130);
    QCOMPARE(project_->runs().list().size(), std::size_t(1));
    QCOMPARE(project_->runs().find(run)->status, std::string("stopped"));
    const auto points = project_->runs().metrics(run, "loss");
    QVERIFY(points.size() > stopped.size());
    for (std::size_t i = 0; i < points.size(); ++i) QCOMPARE(points[i].step, static_cast<std::int64_t>(i + 1));
    for (std::size_t i = 0; i < stopped.size(); ++i) QCOMPARE(points[i].value, stopped[i].value);
  }

  void guiSurvivesKillNine() {
    TrainProcess* process = launchFromDialog(smallConfig(at("out"), 400));
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) >= 3, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    QCOMPARE(::kill(static_cast<pid_t>(process->processId()), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), 10'000);
    QVERIFY(window_->isVisible());
    const auto record = project_->runs().find(run);
    QCOMPARE(record->status, std::string("failed"));
    QVERIFY2(QString::fromStdString(record->failureReason).contains("killed"), record->failureReason.c_str());
    const int row = window_->runModel()->rowOf(run);
    QVERIFY(window_->runModel()->index(row, RunTableModel::Status).data().toString().startsWith("failed: "));
    // And it can still launch.
    QVERIFY(launchFromDialog(smallConfig(at("out2"), 1)));
    QTRY_VERIFY_WITH_TIMEOUT(!window_->launcher()->processes().back()->running(), kRunTimeoutMs);
    QCOMPARE(window_->launcher()->processes().back()->exitCode(), 0);
  }

  // The GPU preset's placeholder folder replaced by one that does not exist (typed
  // relative: read from the project's folder): the dialog stays open with
  // `collab train --check`'s message, which names the folder.
  void dialogNamesAMissingModelFolder() {
    RunDialog* dialog = window_->newRunDialog();
    dialog->loadPreset(QStringLiteral("llama-3-8b-lora-gpu"));
    QVERIFY(dialog->huggingFacePolicy());
    dialog->findChild<PathField*>(QStringLiteral("hfModelFolder"))->setPath(QStringLiteral("no-such-model"));
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    QVERIFY2(dialog->error().contains(QStringLiteral("policy.model: \"%1\" is not a directory").arg(at("no-such-model"))),
             qPrintable(dialog->error()));
    QVERIFY(window_->launcher()->processes().empty());
    dialog->close();
  }

  // Several processes: the command line is torchrun's; a remote host is refused (its
  // ranks need a launcher there), as is a PPO stage (one process only).
  void dialogRefusesWhatSeveralProcessesCannotRun() {
    RunDialog* dialog = window_->newRunDialog();
    dialog->setConfig(smallConfig(at("dp-out"), 1));
    dialog->findChild<QSpinBox*>(QStringLiteral("processes"))->setValue(2);
    QVERIFY2(dialog->commandLine().contains(" && torchrun --nproc_per_node=2 --no_python "), qPrintable(dialog->commandLine()));
    QVERIFY(dialog->commandLine().contains(" train --config "));
    auto* target = dialog->findChild<QComboBox*>(QStringLiteral("launchTarget"));
    target->setCurrentIndex(1);
    dialog->findChild<QLineEdit*>(QStringLiteral("sshHost"))->setText(QStringLiteral("gpu-box"));
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    QVERIFY2(dialog->error().startsWith("Several processes run on this computer only: for gpu-box"), qPrintable(dialog->error()));
    target->setCurrentIndex(0);

    QJsonObject config = smallConfig(at("dp-out"), 1);
    QJsonArray stages = config["stages"].toArray();
    stages.append(QJsonObject{{"name", "rl"}, {"method", "ppo"}, {"from", "sft"}});
    config["stages"] = stages;
    dialog->setConfig(config);
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    QVERIFY2(dialog->error().startsWith("Stage rl is PPO, which runs in one process only"), qPrintable(dialog->error()));
    QVERIFY(window_->launcher()->processes().empty());
    dialog->close();
  }

  // Two ranks on this computer train one run: rank 0's progress is the run's (the plots
  // equal the stored metrics, each step once), and the log says how each rank started.
  void twoProcessesTrainOneRun() {
    TrainProcess* process = launchFromDialog(smallConfig(at("dp-out"), 3), 2);
    QVERIFY(process);
    QVERIFY(process->rankProcessId(1) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    const QString log = process->log().join('\n');
    QVERIFY2(process->exitCode() == 0 && process->failure().isEmpty(), qPrintable(log));
    QVERIFY2(log.contains("rank 1: RANK=1 LOCAL_RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="), qPrintable(log));
    QVERIFY(process->commandLine().contains("torchrun --nproc_per_node=2"));
    const qint64 run = process->currentRun();
    QVERIFY(run > 0);
    QCOMPARE(project_->runs().list().size(), std::size_t(1)); // rank 1 recorded nothing
    QCOMPARE(project_->runs().find(run)->status, std::string("finished"));
    const auto stored = project_->runs().metrics(run, "loss");
    QCOMPARE(stored.size(), std::size_t(3 * 6));
    QCOMPARE(lossPoints(run), stored.size());
    const int row = window_->runModel()->rowOf(run);
    QCOMPARE(window_->runModel()->index(row, RunTableModel::Status).data().toString(), QStringLiteral("finished"));
  }

  // Rank 1 killed mid-run: the other rank is stopped rather than left waiting, and the
  // run fails naming rank 1 (not rank 0, which only lost its peer).
  void aFailedRankFailsTheRunNamingIt() {
    TrainProcess* process = launchFromDialog(smallConfig(at("dp-out"), 400), 2);
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) >= 2, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    const auto rank1 = static_cast<pid_t>(process->rankProcessId(1));
    QVERIFY(rank1 > 0);
    QCOMPARE(::kill(rank1, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), 60'000);
    QCOMPARE(process->failedRank(), 1);
    QVERIFY2(process->failure().startsWith("rank 1: the process was killed or crashed"), qPrintable(process->failure()));
    const auto record = project_->runs().find(run);
    QCOMPARE(record->status, std::string("failed"));
    QVERIFY2(QString::fromStdString(record->failureReason).startsWith("rank 1: "), record->failureReason.c_str());
    const int row = window_->runModel()->rowOf(run);
    QVERIFY(window_->runModel()->index(row, RunTableModel::Status).data().toString().startsWith("failed: rank 1: "));
  }

  // Stop asks every rank: they stop after the same step, with rank 0's checkpoint.
  void stopEndsEveryRank() {
    TrainProcess* process = launchFromDialog(smallConfig(at("dp-out"), 400), 2);
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) >= 2, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    const auto rank1 = static_cast<pid_t>(process->rankProcessId(1));
    window_->runModel()->reload();
    window_->selectRun(run);
    QVERIFY(window_->stopSelected());
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    QVERIFY2(process->failure().isEmpty(), qPrintable(process->log().join('\n')));
    QCOMPARE(process->exitCode(), 130);
    QVERIFY(::kill(rank1, 0) != 0 && errno == ESRCH); // rank 1 is gone too
    QCOMPARE(project_->runs().find(run)->status, std::string("stopped"));
    QCOMPARE(project_->runs().checkpoints(run).size(), std::size_t(1));
  }

  // A two-process run stopped from the Runs window goes on, resumed from it, as two
  // processes again (its recorded world_size): the resumed command is torchrun's with
  // --resume, rank 1 starts beside rank 0, and the run finishes with each step's metrics
  // once, from rank 0.
  void twoProcessRunResumesAsTwoProcesses() {
    TrainProcess* process = launchFromDialog(smallConfig(at("dp-out"), 30), 2);
    QVERIFY(process);
    QTRY_VERIFY_WITH_TIMEOUT(process->currentRun() > 0 && lossPoints(process->currentRun()) >= 2, kRunTimeoutMs);
    const qint64 run = process->currentRun();
    window_->runModel()->reload();
    window_->selectRun(run);
    QVERIFY(window_->stopSelected());
    QTRY_VERIFY_WITH_TIMEOUT(!process->running(), kRunTimeoutMs);
    QCOMPARE(process->exitCode(), 130);
    QCOMPARE(project_->runs().find(run)->status, std::string("stopped"));
    const QJsonObject recorded = QJsonDocument::fromJson(QByteArray::fromStdString(project_->runs().find(run)->configJson)).object();
    QCOMPARE(recorded.value("world_size").toInt(), 2);
    const std::size_t stopped = project_->runs().metrics(run, "loss").size();
    QVERIFY2(stopped < std::size_t(30 * 6), "the run ended before the stop: nothing to resume");

    window_->runModel()->reload();
    window_->selectRun(run);
    QString error;
    TrainProcess* resumed = window_->resumeSelected(&error);
    QVERIFY2(resumed, qPrintable(error));
    QVERIFY2(resumed->commandLine().contains(QStringLiteral("torchrun --nproc_per_node=2 --no_python ")) &&
                 resumed->commandLine().contains(QStringLiteral(" train --resume %1 --project ").arg(run)),
             qPrintable(resumed->commandLine()));
    QVERIFY(resumed->rankProcessId(1) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!resumed->running(), kRunTimeoutMs);
    const QString log = resumed->log().join('\n');
    QVERIFY2(resumed->exitCode() == 0 && resumed->failure().isEmpty(), qPrintable(log));
    QVERIFY2(log.contains("rank 1: RANK=1 LOCAL_RANK=1 WORLD_SIZE=2 "), qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("\"event\":\"resume\"")));
    QCOMPARE(project_->runs().list().size(), std::size_t(1)); // the same run went on; rank 1 recorded nothing
    QCOMPARE(project_->runs().find(run)->status, std::string("finished"));
    const auto points = project_->runs().metrics(run, "loss");
    QCOMPARE(points.size(), std::size_t(30 * 6));
    for (std::size_t i = 0; i < points.size(); ++i) QCOMPARE(points[i].step, static_cast<std::int64_t>(i + 1));
    QCOMPARE(lossPoints(run), points.size());
  }

  // The target of a resume is what the project recorded: a run without world_size (one
  // recorded before it was) resumes as one process; several processes are refused for a
  // config with a PPO stage, as the run dialog refuses them.
  void resumeTargetIsTheRecordedOne() {
    QJsonObject config = smallConfig(at("rec-out"), 1);
    config["stage"] = "sft";
    const auto old = project_->runs().create("small/sft", "sft", QJsonDocument(config).toJson().toStdString());
    QCOMPARE(window_->launcher()->recordedTarget(old).processes, 1);
    QVERIFY(!window_->launcher()->recordedTarget(old).remote());

    QJsonArray stages = config["stages"].toArray();
    stages.append(QJsonObject{{"name", "rl"}, {"method", "ppo"}, {"from", "sft"}});
    config["stages"] = stages;
    config["world_size"] = 2;
    const auto withPpo = project_->runs().create("small/sft", "sft", QJsonDocument(config).toJson().toStdString());
    project_->runs().setStatus(withPpo, "stopped");
    QCOMPARE(window_->launcher()->recordedTarget(withPpo).processes, 2);
    window_->runModel()->reload();
    window_->selectRun(withPpo);
    QString error;
    QVERIFY(!window_->resumeSelected(&error));
    QVERIFY2(error.startsWith("Stage rl is PPO, which runs in one process only"), qPrintable(error));
    QVERIFY(window_->launcher()->processes().empty());
  }

  void followsARunStartedElsewhere() {
    // A run started from a terminal (or before the GUI restarted): followed by polling.
    QFile config(at("elsewhere.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QJsonDocument(smallConfig(at("out3"), 60)).toJson());
    config.close();
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(COLLAB_CLI_BIN, {"train", "--config", at("elsewhere.json"), "--project", at("p.collab")});
    QVERIFY(child.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!project_->runs().list().empty(), kRunTimeoutMs);
    const qint64 run = project_->runs().list().back().id;
    QTRY_VERIFY_WITH_TIMEOUT(lossPoints(run) > 0, kRunTimeoutMs);
    QVERIFY(!window_->launcher()->processFor(run)); // not ours
    QVERIFY(child.waitForFinished(kRunTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(lossPoints(run), project_->runs().metrics(run, "loss").size(), 5000);
  }
};

QTEST_MAIN(RunLaunchTest)
#include "tst_run_launch.moc"

// `collab train --resume` end to end: a run killed with SIGKILL in its SFT stage and
// again in its DPO stage, resumed each time, reproduces every loss of the uninterrupted
// run in the same project runs; so does a run of online DPO and PPO killed mid-round in
// each stage (they resume from round boundaries), with the same metrics in the project;
// SIGTERM mid-round ends the round, writes its checkpoint and exits 130; a full disk (RLIMIT_FSIZE) while writing a checkpoint
// ends the run "failed", naming the file and the OS error, and the previous checkpoint
// still resumes; a NaN (loss or gradient) ends the run "failed" with the reason.

#include "TestHelpers.h"
#include "TinyTrainConfig.h"
#include "store/Project.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>

#include <sys/resource.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kTimeoutMs = 120000;

// Small enough for seconds on two busy cores: 16 SFT sequences in batches of 4 (8 steps),
// 4 DPO pairs one at a time (8 steps), a resumable checkpoint every 3 steps.
json tinyConfig(const std::string& output) {
  return collab::test::tinyTrainConfig("tiny", output, 8,
                                      {{{"name", "sft"}, {"method", "sft"}, {"epochs", 2}, {"batch_size", 4}, {"learning_rate", 3e-3}, {"checkpoint_every", 3}},
                                       {{"name", "dpo"}, {"method", "dpo"}, {"from", "sft"}, {"mr_window", 1}, {"mr_samples", 1}, {"candidates", 3},
                                        {"min_gap", 0.0}, {"pair_tasks_per_family", 6}, {"epochs", 2}, {"batch_size", 1}, {"rpo_alpha", 1.0},
                                        {"checkpoint_every", 3}}});
}

// Online DPO from fresh weights, then PPO from its result: 4 and 3 rounds of a few short
// conversations (about 14 and 54 steps), a resumable checkpoint after each round that
// reaches a multiple of 3 steps.
json onlineConfig(const std::string& output) {
  return collab::test::tinyTrainConfig("tiny-online", output, 4,
                                      {{{"name", "dpo-online"}, {"method", "online-dpo"}, {"from", "init"}, {"rounds", 4}, {"pair_tasks_per_family", 6},
                                        {"mr_window", 1}, {"mr_samples", 1}, {"candidates", 4}, {"min_gap", 0.0}, {"epochs", 2}, {"batch_size", 2},
                                        {"learning_rate", 3e-3}, {"checkpoint_every", 3}},
                                       {{"name", "ppo"}, {"method", "ppo"}, {"rounds", 3}, {"pair_tasks_per_family", 3}, {"mr_window", 1},
                                        {"mr_samples", 1}, {"candidates", 2}, {"epochs", 2}, {"batch_size", 4}, {"learning_rate", 1e-3},
                                        {"checkpoint_every", 3}}});
}

// Metrics that time the run (they differ between any two runs).
bool timesTheRun(const std::string& key) {
  return key == "memory/rss_mib" || key == "sampling/seconds" || key.ends_with("per_second");
}

using Series = std::vector<std::pair<std::int64_t, double>>; // (step, value)

// What the project holds of a run: every metric but the timings, by key.
std::map<std::string, Series> storedMetrics(collab::store::Project& project, std::int64_t run) {
  std::map<std::string, Series> out;
  for (const std::string& key : project.runs().metricKeys(run))
    if (!timesTheRun(key))
      for (const auto& point : project.runs().metrics(run, key)) out[key].emplace_back(point.step, point.value);
  return out;
}

using StepKey = std::pair<std::string, std::int64_t>; // (stage, step)

// What one `collab train` process printed, and how it ended.
struct Outcome {
  std::vector<json> events;
  int exitCode = -1; // -1: killed
  QByteArray errors;

  std::vector<json> of(const std::string& kind) const {
    std::vector<json> out;
    for (const auto& e : events)
      if (e["event"] == kind) out.push_back(e);
    return out;
  }
  // The optimiser steps' losses (an online round's own metrics come as a step without one).
  std::map<StepKey, double> losses() const {
    std::map<StepKey, double> out;
    for (const auto& e : of("step"))
      if (e.contains("loss")) out[{e["stage"], e["step"]}] = e["loss"].get<double>();
    return out;
  }
  std::vector<json> of(const std::string& kind, const std::string& stage) const {
    std::vector<json> out;
    for (const auto& e : of(kind))
      if (e["stage"] == stage) out.push_back(e);
    return out;
  }
  // The first optimiser step of `stage` inside a round that starts after the stage's
  // first resumable checkpoint and has steps after it (-1: none): killed after it, the
  // stage is mid-round with a checkpoint to go back to.
  std::int64_t midRoundStep(const std::string& stage) const {
    const auto points = of("resume_point", stage);
    if (points.empty()) return -1;
    const std::int64_t checkpoint = points.front()["step"];
    std::map<int, std::vector<std::int64_t>> rounds;
    for (const auto& e : of("step", stage))
      if (e.contains("loss")) rounds[static_cast<int>(e["round"].get<double>())].push_back(e["step"]);
    for (const auto& [round, steps] : rounds)
      if (steps.front() > checkpoint && steps.size() >= 2) return steps.front();
    return -1;
  }
};

// True for the event after which the process is to be killed (SIGKILL).
using KillAfter = std::function<bool(const json& event)>;

} // namespace

class TrainResumeTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::map<StepKey, double> uninterrupted_;
  std::int64_t sftSteps_ = 0, dpoSteps_ = 0;
  Outcome onlineFull_; // the online config, uninterrupted (online-full.collab)
  pid_t pid_ = 0; // of the running `collab train`

  QString at(const std::string& name) const { return dir_.filePath(QString::fromStdString(name)); }

  Outcome train(const QStringList& arguments, const KillAfter& killAfter = {},
                const std::function<void(QProcess&)>& prepare = {}) {
    QProcess process;
    process.setWorkingDirectory(dir_.path());
    if (prepare) prepare(process);
    process.start(COLLAB_CLI_BIN, QStringList{"train"} + arguments);
    process.waitForStarted(kTimeoutMs);
    pid_ = static_cast<pid_t>(process.processId());
    Outcome outcome;
    bool killed = false;
    while (!killed && process.state() != QProcess::NotRunning) {
      if (!process.canReadLine() && !process.waitForReadyRead(kTimeoutMs)) break;
      while (!killed && process.canReadLine()) {
        const QByteArray line = process.readLine().trimmed();
        if (line.isEmpty()) continue;
        outcome.events.push_back(json::parse(line.toStdString()));
        if (killAfter && killAfter(outcome.events.back())) {
          ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
          killed = true;
        }
      }
    }
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(kTimeoutMs)) qFatal("collab train did not finish");
    for (const QByteArray& line : process.readAllStandardOutput().split('\n'))
      if (!killed && !line.trimmed().isEmpty()) outcome.events.push_back(json::parse(line.toStdString()));
    outcome.errors = process.readAllStandardError();
    if (process.exitStatus() == QProcess::NormalExit) outcome.exitCode = process.exitCode();
    return outcome;
  }

  // Writes the config and a fresh project: the arguments of a run of it.
  QStringList configured(const std::string& name, const json& config, const std::string& project) {
    collab::test::writeFile(dir_, name.c_str(), config.dump());
    QProcess init;
    init.start(COLLAB_CLI_BIN, {"init", at(project)});
    if (!init.waitForFinished(kTimeoutMs) || init.exitCode() != 0) qFatal("collab init %s failed", project.c_str());
    return {"--config", at(name), "--project", at(project)};
  }

  collab::store::Project project(const std::string& name) { return collab::store::Project::open(at(name).toStdString()); }

  // Every loss any of `outcomes` printed is the uninterrupted run's, bit for bit, and
  // together they cover all its steps.
  void compareLosses(const std::vector<Outcome>& outcomes, const std::map<StepKey, double>& uninterrupted) {
    std::map<StepKey, double> seen;
    for (const Outcome& outcome : outcomes)
      for (const auto& [key, loss] : outcome.losses()) {
        QVERIFY2(uninterrupted.count(key), key.first.c_str());
        if (loss != uninterrupted.at(key))
          QFAIL(qPrintable(QString("%1 step %2: loss %3, uninterrupted %4").arg(key.first.c_str()).arg(key.second)
                               .arg(loss, 0, 'g', 17).arg(uninterrupted.at(key), 0, 'g', 17)));
        seen[key] = loss;
      }
    QCOMPARE(seen.size(), uninterrupted.size());
  }

  // The runs of `name`, finished, hold the uninterrupted online run's metrics: each
  // step's once, with its value (the rounds' MR metrics too).
  void compareProjectWithOnlineFull(const std::string& name) {
    auto full = project("online-full.collab");
    auto p = project(name);
    const auto expected = full.runs().list();
    const auto runs = p.runs().list();
    QCOMPARE(runs.size(), expected.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
      QCOMPARE(runs[i].name, expected[i].name);
      QCOMPARE(runs[i].status, std::string("finished"));
      QCOMPARE(p.runs().checkpoints(runs[i].id).size(), std::size_t(1));
      QCOMPARE(json::parse(runs[i].configJson)["world_size"].get<int>(), 1);
      const auto stored = storedMetrics(p, runs[i].id);
      const auto uninterrupted = storedMetrics(full, expected[i].id);
      QCOMPARE(stored.size(), uninterrupted.size());
      for (const auto& [key, series] : uninterrupted) {
        QVERIFY2(stored.count(key), key.c_str());
        if (stored.at(key) != series) QFAIL(qPrintable(QString("%1 of run %2 differs").arg(key.c_str()).arg(runs[i].name.c_str())));
      }
    }
  }

private Q_SLOTS:
  void initTestCase() {
    const Outcome full = train(configured("tiny.json", tinyConfig("out-full"), "full.collab"));
    QCOMPARE(full.exitCode, 0);
    uninterrupted_ = full.losses();
    for (const auto& [key, loss] : uninterrupted_) ++(key.first == "sft" ? sftSteps_ : dpoSteps_);
    QVERIFY2(sftSteps_ >= 6 && dpoSteps_ >= 6, "the tiny config is too tiny to kill anything in");
    QCOMPARE(full.of("resume_point").size(), std::size_t(sftSteps_ / 3 + (sftSteps_ % 3 != 0) + dpoSteps_ / 3 + (dpoSteps_ % 3 != 0)));
    for (const auto& e : full.of("resume_point")) qInfo("checkpoint %s/%lld written in %.3f s", e["stage"].get<std::string>().c_str(),
                                                        static_cast<long long>(e["step"]), e["seconds"].get<double>());
  }

  void killedTwiceThenResumedReproducesEveryLoss() {
    const QStringList first = configured("kill.json", tinyConfig("out-kill"), "kill.collab");
    const std::int64_t sftKill = 4, dpoKill = 5; // between checkpoints (every 3)
    std::vector<Outcome> outcomes;
    outcomes.push_back(train(first, [&](const json& e) { return e["event"] == "step" && e["stage"] == "sft" && e["step"] == sftKill; }));
    QCOMPARE(outcomes.back().exitCode, -1);
    const std::int64_t sftRun = outcomes.back().of("stage_start").at(0)["run"];
    QCOMPARE(project("kill.collab").runs().find(sftRun)->status, std::string("running")); // as a kill leaves it

    const QStringList resumeSft = {"--resume", QString::number(sftRun), "--project", at("kill.collab")};
    outcomes.push_back(train(resumeSft, [&](const json& e) { return e["event"] == "step" && e["stage"] == "dpo" && e["step"] == dpoKill; }));
    QCOMPARE(outcomes.back().exitCode, -1);
    const auto resumed = outcomes.back().of("resume");
    QCOMPARE(resumed.size(), std::size_t(1));
    QCOMPARE(resumed[0]["step"].get<std::int64_t>(), std::int64_t(3)); // the last checkpoint before the kill
    QCOMPARE(outcomes.back().of("step").front()["step"].get<std::int64_t>(), std::int64_t(4)); // no step before it again
    const auto starts = outcomes.back().of("stage_start");
    QCOMPARE(starts.at(0)["run"].get<std::int64_t>(), sftRun); // the same run goes on
    const std::int64_t dpoRun = starts.at(1)["run"];

    outcomes.push_back(train({"--resume", QString::number(dpoRun), "--project", at("kill.collab")}));
    QCOMPARE(outcomes.back().exitCode, 0);
    QCOMPARE(outcomes.back().of("resume").at(0)["step"].get<std::int64_t>(), std::int64_t(3));
    QVERIFY(outcomes.back().of("pairs").empty()); // the pairs were read back, not built again

    // Every step any process printed has the uninterrupted run's loss, bit for bit (same
    // machine, same thread count), and together they cover every step.
    compareLosses(outcomes, uninterrupted_);
    if (QTest::currentTestFailed()) return;

    // In the project: the two runs, finished, with one loss per step and one final checkpoint.
    auto p = project("kill.collab");
    const auto runs = p.runs().list();
    QCOMPARE(runs.size(), std::size_t(2));
    for (const auto& run : runs) {
      QCOMPARE(run.status, std::string("finished"));
      QCOMPARE(p.runs().checkpoints(run.id).size(), std::size_t(1));
      const auto points = p.runs().metrics(run.id, "loss");
      QCOMPARE(static_cast<std::int64_t>(points.size()), run.id == sftRun ? sftSteps_ : dpoSteps_);
      for (const auto& point : points) QCOMPARE(point.value, uninterrupted_.at({run.id == sftRun ? "sft" : "dpo", point.step}));
    }
    QVERIFY(fs::exists(at("out-kill/dpo/model.safetensors").toStdString()));
  }

  // Online DPO and PPO resume from their rounds' boundaries: killed mid-round in each
  // stage, the run goes on from the last round checkpoint, draws the same rounds again
  // and reproduces every loss and every stored metric.
  void onlineStagesKilledMidRoundThenResumedReproduceEverything() {
    onlineFull_ = train(configured("online-full.json", onlineConfig("out-online-full"), "online-full.collab"));
    QCOMPARE(onlineFull_.exitCode, 0);
    const std::int64_t dpoKill = onlineFull_.midRoundStep("dpo-online"), ppoKill = onlineFull_.midRoundStep("ppo");
    QVERIFY2(dpoKill > 0 && ppoKill > 0, "no round starts after a resumable checkpoint and has two steps: too tiny a config, or no round checkpoints");

    const QStringList first = configured("online-kill.json", onlineConfig("out-online-kill"), "online-kill.collab");
    std::vector<Outcome> outcomes;
    const auto killAt = [](const std::string& stage, std::int64_t step) {
      return [stage, step](const json& e) { return e["event"] == "step" && e["stage"] == stage && e["step"] == step && e.contains("loss"); };
    };
    outcomes.push_back(train(first, killAt("dpo-online", dpoKill)));
    QCOMPARE(outcomes.back().exitCode, -1);
    const std::int64_t dpoRun = outcomes.back().of("stage_start").at(0)["run"];
    const std::int64_t dpoCheckpoint = outcomes.back().of("resume_point").back()["step"];

    outcomes.push_back(train({"--resume", QString::number(dpoRun), "--project", at("online-kill.collab")}, killAt("ppo", ppoKill)));
    QCOMPARE(outcomes.back().exitCode, -1);
    QCOMPARE(outcomes.back().of("resume").at(0)["step"].get<std::int64_t>(), dpoCheckpoint);
    QVERIFY(outcomes.back().losses().begin()->first == StepKey("dpo-online", dpoCheckpoint + 1)); // nothing before it again
    const std::int64_t ppoRun = outcomes.back().of("stage_start").at(1)["run"];
    const std::int64_t ppoCheckpoint = outcomes.back().of("resume_point", "ppo").back()["step"];

    outcomes.push_back(train({"--resume", QString::number(ppoRun), "--project", at("online-kill.collab")}));
    QCOMPARE(outcomes.back().exitCode, 0);
    QCOMPARE(outcomes.back().of("resume").at(0)["step"].get<std::int64_t>(), ppoCheckpoint);
    QVERIFY(outcomes.back().losses().begin()->first == StepKey("ppo", ppoCheckpoint + 1));

    compareLosses(outcomes, onlineFull_.losses());
    compareProjectWithOnlineFull("online-kill.collab");
    QVERIFY(fs::exists(at("out-online-kill/ppo/model.safetensors").toStdString()));
  }

  // SIGTERM mid-round: the round's updates end, its boundary is checkpointed (here only
  // by the stop: checkpoint_every is out of reach), the run is "stopped" and the process
  // exits 130; resumed, it goes on from that boundary to the uninterrupted losses.
  void onlineStageStoppedMidRoundCheckpointsItsRoundAndResumes() {
    json config = onlineConfig("out-online-stop");
    config["stages"][0]["checkpoint_every"] = 1000;
    const std::int64_t stopAt = onlineFull_.midRoundStep("dpo-online");
    QVERIFY(stopAt > 0);
    bool sent = false;
    const Outcome stopped = train(configured("online-stop.json", config, "online-stop.collab"), [&](const json& e) {
      if (!sent && e["event"] == "step" && e["stage"] == "dpo-online" && e["step"] == stopAt && e.contains("loss")) {
        ::kill(pid_, SIGTERM);
        sent = true;
      }
      return false;
    });
    QVERIFY(sent);
    QCOMPARE(stopped.exitCode, 130);
    QCOMPARE(stopped.of("stage_end").at(0)["status"], "stopped");
    const auto points = stopped.of("resume_point");
    QCOMPARE(points.size(), std::size_t(1));
    // The round the stop came in trained to its end: its last step is the checkpoint's.
    std::map<std::int64_t, double> roundOf; // of the uninterrupted run's steps
    for (const auto& e : onlineFull_.of("step", "dpo-online"))
      if (e.contains("loss")) roundOf[e["step"]] = e["round"];
    std::int64_t roundEnd = 0;
    for (const auto& [step, round] : roundOf)
      if (round == roundOf.at(stopAt)) roundEnd = step;
    QVERIFY(roundEnd > stopAt);
    QCOMPARE(points[0]["step"].get<std::int64_t>(), roundEnd);
    QVERIFY(stopped.losses().rbegin()->first == StepKey("dpo-online", roundEnd));
    QCOMPARE(stopped.of("checkpoint").at(0)["step"].get<std::int64_t>(), roundEnd);
    const std::int64_t run = stopped.of("stage_start").at(0)["run"];
    QCOMPARE(project("online-stop.collab").runs().find(run)->status, std::string("stopped"));

    const Outcome resumed = train({"--resume", QString::number(run), "--project", at("online-stop.collab")});
    QCOMPARE(resumed.exitCode, 0);
    QCOMPARE(resumed.of("resume").at(0)["step"].get<std::int64_t>(), roundEnd);
    QVERIFY(resumed.losses().begin()->first == StepKey("dpo-online", roundEnd + 1));
    compareLosses({stopped, resumed}, onlineFull_.losses());
    compareProjectWithOnlineFull("online-stop.collab");
  }

  void fullDiskFailsTheRunAndKeepsThePreviousCheckpoint() {
    json config = tinyConfig("out-disk");
    config["stages"][0]["epochs"] = 6; // SFT goes on long enough for the limit to hit a checkpoint of it
    const QStringList arguments = configured("disk.json", config, "disk.collab");
    // Once the first checkpoint is written, writes past the size of its largest file (the
    // optimiser state) fail with EFBIG (SIGXFSZ ignored), as a full disk fails them with
    // ENOSPC; the project's files stay well below that (checked), so its writes go on.
    rlim_t limit = 0;
    std::uintmax_t projectBytes = 0;
    const auto ignoreSigxfsz = [](QProcess& process) { process.setChildProcessModifier([] { std::signal(SIGXFSZ, SIG_IGN); }); };
    const Outcome outcome = train(arguments, [&](const json& e) {
      if (e["event"] == "resume_point" && limit == 0) {
        limit = fs::file_size(fs::path(e["path"].get<std::string>()) / "optimizer_state.pt") - 1;
        const rlimit value{limit, limit};
        if (::prlimit(pid_, RLIMIT_FSIZE, &value, nullptr) != 0) qFatal("prlimit: %s", std::strerror(errno));
        for (const char* file : {"disk.collab", "disk.collab-wal"})
          if (fs::exists(at(file).toStdString())) projectBytes = std::max(projectBytes, fs::file_size(at(file).toStdString()));
      }
      return false;
    }, ignoreSigxfsz);
    QVERIFY(limit > 0);
    QVERIFY2(projectBytes < limit / 2, "the project's files are too close to the limit: its writes could fail first");
    QCOMPARE(outcome.exitCode, 1);
    const auto ends = outcome.of("stage_end");
    QCOMPARE(ends.size(), std::size_t(1));
    QCOMPARE(ends[0]["status"], "failed");
    const std::string reason = ends[0]["reason"];
    const std::string folder = at("out-disk/sft.checkpoints").toStdString();
    QVERIFY2(reason.starts_with("cannot write checkpoint " + folder + "/checkpoint-"), reason.c_str());
    QVERIFY2(reason.find("/optimizer_state.pt: cannot write: " + std::string(std::strerror(EFBIG))) != std::string::npos, reason.c_str());
    auto p = project("disk.collab");
    const auto run = p.runs().list().at(0);
    QCOMPARE(run.status, std::string("failed"));
    QCOMPARE(run.failureReason, reason);

    // The checkpoint before the failed one, whole and alone: it resumes (by path, without
    // the project) and the stage goes on to the uninterrupted run's losses.
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(folder)) entries.push_back(entry.path().filename().string());
    QCOMPARE(entries.size(), std::size_t(1));
    const std::int64_t kept = std::stoll(entries[0].substr(std::strlen("checkpoint-")));
    const std::int64_t failed = std::stoll(reason.substr(reason.find("/checkpoint-") + std::strlen("/checkpoint-")));
    QCOMPARE(kept, failed - 3);
    const Outcome resumed = train({"--resume", at("out-disk/sft")}, [](const json& e) { return e["event"] == "stage_end"; });
    QCOMPARE(resumed.of("resume").at(0)["step"].get<std::int64_t>(), kept);
    QCOMPARE(resumed.of("step").at(0)["step"].get<std::int64_t>(), kept + 1);
    QCOMPARE(resumed.of("stage_end").at(0)["status"], "finished");
  }

  // A learning rate of 1e30 blows the weights up after the first step; the next step's
  // gradient (or loss) is not finite, which fails the run before the update is applied.
  void nanFailsTheRunWithTheReason() {
    json config = tinyConfig("out-nan");
    config["stages"][0]["learning_rate"] = 1e30;
    const Outcome outcome = train(configured("nan.json", config, "nan.collab"));
    QCOMPARE(outcome.exitCode, 1);
    auto p = project("nan.collab");
    const auto runs = p.runs().list();
    QCOMPARE(runs.size(), std::size_t(1)); // the DPO stage never started
    QCOMPARE(runs[0].status, std::string("failed"));
    const std::string& reason = runs[0].failureReason;
    QVERIFY2((reason.starts_with("loss is ") || reason.starts_with("gradient norm is ")) && reason.ends_with(": training stopped"),
             reason.c_str());
    QVERIFY2(outcome.errors.contains(QByteArray::fromStdString(reason)), outcome.errors.constData());
    QCOMPARE(outcome.of("stage_end").at(0)["reason"].get<std::string>(), reason);
  }
};

QTEST_GUILESS_MAIN(TrainResumeTest)
#include "tst_train_resume.moc"

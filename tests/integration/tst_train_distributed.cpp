// `collab train` as two ranks of a data-parallel run over c10d's Gloo on loopback, started
// as torchrun starts them (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT): SFT
// then offline DPO (with gradient accumulation) end with the weights one process trains
// on the same global batches, compared tensor by tensor in the saved safetensors; only
// rank 0 prints progress and records the runs, though every rank reads the project's
// data (a Hugging Face policy on project_data). A rank whose peers never come, a rank that
// dies mid-run and a malformed MASTER_PORT each end with an error naming the rank (or
// the variable), within the timeout, not a hang. Online DPO killed mid-round resumes as
// two ranks from rank 0's round checkpoint with the uninterrupted losses.

#include "FreePort.h"
#include "SyntheticTrees.h"
#include "TestHelpers.h"
#include "TinyTrainConfig.h"
#include "TinyChatModel.h"
#include "model/TensorFiles.h"
#include "store/Project.h"
#include "store/Transaction.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>

using nlohmann::json;

namespace {

constexpr int kTimeoutMs = 240000;

// The tiny config of tst_train_resume, the DPO stage in micro-batches of 3 pairs, two per
// optimiser step: the ranks share out 4 sequences (2 + 2) and 3 pairs (1 + 2) at a time.
// AdamW's ε is 1e-3: with 1e-8, weights whose gradients are as small as float rounding
// take full-size steps in directions the summation order picks, and one process and two
// ranks (which add the same gradient in another order) end up ~5e-5 apart in a few
// weights (~2e-6 in norm). A larger ε keeps the comparison about the gradients.
json tinyConfig(const std::string& output) {
  return collab::test::tinyTrainConfig("tiny", output, 8,
                                      {{{"name", "sft"}, {"method", "sft"}, {"epochs", 2}, {"batch_size", 4}, {"learning_rate", 3e-3}, {"adam_epsilon", 1e-3}},
                                       {{"name", "dpo"}, {"method", "dpo"}, {"from", "sft"}, {"mr_window", 1}, {"mr_samples", 1}, {"candidates", 3},
                                        {"min_gap", 0.0}, {"pair_tasks_per_family", 6}, {"epochs", 2}, {"batch_size", 3},
                                        {"gradient_accumulation_steps", 2}, {"rpo_alpha", 1.0}, {"adam_epsilon", 1e-3}}});
}

// Online DPO alone, from fresh weights: 4 rounds of a few conversations, their pairs two
// at a time (one per rank), a resumable checkpoint after each round that reaches a
// multiple of 3 steps.
json onlineConfig(const std::string& output) {
  return collab::test::tinyTrainConfig("tiny-online", output, 4,
                                      {{{"name", "dpo-online"}, {"method", "online-dpo"}, {"from", "init"}, {"rounds", 4}, {"pair_tasks_per_family", 6},
                                        {"mr_window", 1}, {"mr_samples", 1}, {"candidates", 4}, {"min_gap", 0.0}, {"epochs", 2}, {"batch_size", 2},
                                        {"learning_rate", 3e-3}, {"checkpoint_every", 3}}});
}

using collab::test::freePort;

// What one rank printed, and how it ended.
struct Outcome {
  int exitCode = -1; // -1: crashed or killed
  QByteArray out, errors;
  double seconds = 0.0;

  std::map<std::pair<std::string, std::int64_t>, double> losses() const {
    std::map<std::pair<std::string, std::int64_t>, double> out_;
    for (const QByteArray& line : out.split('\n')) {
      if (line.trimmed().isEmpty()) continue;
      const json event = json::parse(line.toStdString());
      if (event["event"] == "step" && event.contains("loss")) out_[{event["stage"], event["step"]}] = event["loss"].get<double>();
    }
    return out_;
  }
  std::vector<json> of(const std::string& kind) const {
    std::vector<json> events;
    for (const QByteArray& line : out.split('\n'))
      if (!line.trimmed().isEmpty())
        if (json event = json::parse(line.toStdString()); event["event"] == kind) events.push_back(std::move(event));
    return events;
  }
};

// The largest gap between two checkpoints' tensors, relative to each tensor's largest
// value (elementwise) and to its norm.
std::pair<double, double> relativeGap(const std::string& a, const std::string& b) {
  collab::model::CheckpointTensors left(a), right(b);
  if (left.names() != right.names()) qFatal("%s and %s hold different tensors", a.c_str(), b.c_str());
  double element = 0.0, norm = 0.0;
  for (const auto& name : left.names()) {
    const at::Tensor x = left.read(name).to(at::kDouble), y = right.read(name).to(at::kDouble);
    element = std::max(element, (x - y).abs().max().item<double>() / std::max(x.abs().max().item<double>(), 1e-12));
    norm = std::max(norm, (x - y).norm().item<double>() / std::max(x.norm().item<double>(), 1e-12));
  }
  return {element, norm};
}

} // namespace

class TrainDistributedTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString at(const std::string& name) const { return dir_.filePath(QString::fromStdString(name)); }

  // `collab train ARGS` as rank `rank` of `world` (world 0: no distributed variables at all).
  std::unique_ptr<QProcess> start(const QStringList& arguments, int rank, int world, int port,
                                  const std::map<QString, QString>& extra = {}) {
    auto process = std::make_unique<QProcess>();
    process->setWorkingDirectory(dir_.path());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "COLLAB_DIST_TIMEOUT"})
      environment.remove(name);
    if (world > 0) {
      environment.insert("RANK", QString::number(rank));
      environment.insert("LOCAL_RANK", QString::number(rank));
      environment.insert("WORLD_SIZE", QString::number(world));
      environment.insert("MASTER_ADDR", "127.0.0.1");
      environment.insert("MASTER_PORT", QString::number(port));
      environment.insert("COLLAB_DIST_TIMEOUT", "60");
    }
    for (const auto& [name, value] : extra) environment.insert(name, value);
    process->setProcessEnvironment(environment);
    process->start(COLLAB_CLI_BIN, QStringList{"train"} + arguments);
    if (!process->waitForStarted(kTimeoutMs)) qFatal("collab train did not start");
    return process;
  }

  static Outcome finish(QProcess& process, std::chrono::steady_clock::time_point started, int timeoutMs = kTimeoutMs) {
    Outcome o;
    if (!process.waitForFinished(timeoutMs)) {
      process.kill();
      process.waitForFinished();
      qWarning("collab train still ran after %d ms: killed", timeoutMs);
      return o;
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    o.out = process.readAllStandardOutput();
    o.errors = process.readAllStandardError();
    if (process.exitStatus() == QProcess::NormalExit) o.exitCode = process.exitCode();
    return o;
  }

  QStringList configured(const std::string& name, const json& config, const std::string& project) {
    collab::test::writeFile(dir_, name.c_str(), config.dump());
    QProcess init;
    init.start(COLLAB_CLI_BIN, {"init", at(project)});
    if (!init.waitForFinished(kTimeoutMs) || init.exitCode() != 0) qFatal("collab init failed");
    return {"--config", at(name), "--project", at(project)};
  }

  // Rank `rank` of 2 started alone: its peer never comes.
  Outcome alone(int rank) {
    const auto started = std::chrono::steady_clock::now();
    auto process = start({"--config", at("alone.json")}, rank, 2, freePort(), {{"COLLAB_DIST_TIMEOUT", "3"}});
    return finish(*process, started, 60000);
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void twoRanksTrainWhatOneProcessTrains() {
    auto started = std::chrono::steady_clock::now();
    auto single = start(configured("one.json", tinyConfig("out-one"), "one.collab"), 0, 0, 0);
    const Outcome one = finish(*single, started);
    QVERIFY2(one.exitCode == 0, one.errors.constData());

    const QStringList arguments = configured("two.json", tinyConfig("out-two"), "two.collab");
    const int port = freePort();
    started = std::chrono::steady_clock::now();
    auto rank0 = start(arguments, 0, 2, port);
    auto rank1 = start(arguments, 1, 2, port);
    const Outcome first = finish(*rank0, started), second = finish(*rank1, started);
    QVERIFY2(first.exitCode == 0, first.errors.constData());
    QVERIFY2(second.exitCode == 0, second.errors.constData());
    qInfo("one process %.1f s, two ranks %.1f s", one.seconds, first.seconds);
    QVERIFY2(second.out.trimmed().isEmpty(), second.out.constData()); // rank 1 prints nothing

    // Rank 0 reports the global batch's loss: the one-process loss, to float rounding.
    const auto expected = one.losses(), got = first.losses();
    QCOMPARE(got.size(), expected.size());
    QVERIFY(expected.size() >= 8);
    for (const auto& [key, loss] : expected)
      QVERIFY2(std::abs(got.at(key) - loss) <= 1e-5 * std::abs(loss),
               qPrintable(QString("%1 step %2: %3 vs %4").arg(key.first.c_str()).arg(key.second).arg(got.at(key)).arg(loss)));
    for (const char* stage : {"sft", "dpo"}) {
      const auto [element, norm] = relativeGap(at(std::string("out-one/") + stage).toStdString(), at(std::string("out-two/") + stage).toStdString());
      qInfo("%s: two ranks' weights within %.2e (largest element gap) and %.2e (norm of the gap) of one process's, relative", stage, element, norm);
      QVERIFY2(element < 1e-5, qPrintable(QString::number(element)));
    }
    // Only rank 0 recorded: one run per stage, each step once.
    auto project = collab::store::Project::open(at("two.collab").toStdString());
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(2));
    std::size_t points = 0;
    for (const auto& run : runs) {
      QCOMPARE(run.status, std::string("finished"));
      points += project.runs().metrics(run.id, "loss").size();
    }
    QCOMPARE(points, expected.size());
  }

  // A Hugging Face policy trained on the project's own data (project_data): every rank
  // reads the project's best paths and MR pairs, rank 0 alone records the runs.
  void twoRanksTrainAnHfModelOnTheProjectsData() {
    const std::filesystem::path model = collab::test::copyTinyLlama(at("tiny-llama").toStdString());
    const json config = {{"name", "hf"}, {"seed", 5}, {"output", "out-hf"},
                         {"policy", {{"model", model.string()}, {"lora", {{"r", 4}}}, {"max_length", 256}}},
                         {"stages",
                          {{{"name", "sft"}, {"method", "sft"}, {"project_data", true}, {"epochs", 2}, {"batch_size", 2},
                            {"learning_rate", 1e-3}},
                           {{"name", "dpo"}, {"method", "dpo"}, {"from", "sft"}, {"project_data", true}, {"min_gap", 0.02},
                            {"epochs", 1}, {"batch_size", 2}, {"learning_rate", 1e-3}}}}};
    const QStringList arguments = configured("hf.json", config, "hf.collab");
    {
      auto project = collab::store::Project::open(at("hf.collab").toStdString());
      collab::store::Transaction transaction(project.database());
      for (int i = 0; i < 4; ++i) collab::test::addSyntheticTree(project, 20, 70 + static_cast<std::uint64_t>(i));
      transaction.commit();
    }
    const int port = freePort();
    const auto started = std::chrono::steady_clock::now();
    auto rank0 = start(arguments, 0, 2, port);
    auto rank1 = start(arguments, 1, 2, port);
    const Outcome first = finish(*rank0, started), second = finish(*rank1, started);
    QVERIFY2(first.exitCode == 0, first.errors.constData());
    QVERIFY2(second.exitCode == 0, second.errors.constData());
    QVERIFY2(second.out.trimmed().isEmpty(), second.out.constData());
    std::size_t fromProject = 0;
    for (const QByteArray& line : first.out.split('\n')) {
      if (line.trimmed().isEmpty()) continue;
      const json event = json::parse(line.toStdString());
      if (event["event"] == "data") fromProject += event.value("from_project", std::size_t(0));
    }
    QVERIFY2(fromProject >= 4, first.out.constData()); // 4 best paths, and MR pairs
    QVERIFY(!first.losses().empty());
    auto project = collab::store::Project::open(at("hf.collab").toStdString());
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(2));
    for (const auto& run : runs) QCOMPARE(run.status, std::string("finished"));
    QVERIFY(std::filesystem::exists(at("out-hf/dpo/adapter_model.safetensors").toStdString()));
  }

  // Two ranks of online DPO killed (SIGKILL, both) in a round after a round checkpoint,
  // then resumed as two ranks: rank 0 alone wrote the checkpoint, both read it, and the
  // steps after it have the uninterrupted two ranks' losses bit for bit. The run records
  // its world size for the GUI's resume.
  void twoRanksResumeAnOnlineDpoStage() {
    auto started = std::chrono::steady_clock::now();
    QStringList arguments = configured("online-full.json", onlineConfig("out-online-full"), "online-full.collab");
    int port = freePort();
    auto rank0 = start(arguments, 0, 2, port), rank1 = start(arguments, 1, 2, port);
    const Outcome full = finish(*rank0, started), fullPeer = finish(*rank1, started);
    QVERIFY2(full.exitCode == 0 && fullPeer.exitCode == 0, (full.errors + fullPeer.errors).constData());
    const auto points = full.of("resume_point");
    QVERIFY(!points.empty());
    const std::int64_t checkpoint = points.front()["step"];
    const auto losses = full.losses();
    QVERIFY2(losses.count({"dpo-online", checkpoint + 2}), "no two steps after the first round checkpoint to kill between");

    // Killed once rank 0 printed the step after the checkpoint's (mid-round: the rounds'
    // steps are even in number, two epochs over their pairs).
    arguments = configured("online-kill.json", onlineConfig("out-online-kill"), "online-kill.collab");
    port = freePort();
    rank0 = start(arguments, 0, 2, port), rank1 = start(arguments, 1, 2, port);
    QByteArray printed;
    const std::string target = "\"step\":" + std::to_string(checkpoint + 1) + ",";
    for (bool reached = false; !reached;) {
      if (!rank0->canReadLine() && !rank0->waitForReadyRead(kTimeoutMs)) QFAIL("rank 0 ended before the step to kill at");
      while (!reached && rank0->canReadLine()) {
        const QByteArray line = rank0->readLine();
        printed += line;
        reached = line.contains("\"event\":\"step\"") && line.contains("\"loss\"") && line.toStdString().find(target) != std::string::npos;
      }
    }
    ::kill(static_cast<pid_t>(rank0->processId()), SIGKILL);
    ::kill(static_cast<pid_t>(rank1->processId()), SIGKILL);
    rank0->waitForFinished();
    rank1->waitForFinished();
    Outcome killed;
    killed.out = printed;
    QCOMPARE(killed.of("resume_point").back()["step"].get<std::int64_t>(), checkpoint);
    const std::int64_t run = killed.of("stage_start").at(0)["run"];

    arguments = QStringList{"--resume", QString::number(run), "--project", at("online-kill.collab")};
    started = std::chrono::steady_clock::now();
    port = freePort();
    rank0 = start(arguments, 0, 2, port), rank1 = start(arguments, 1, 2, port);
    const Outcome resumed = finish(*rank0, started), resumedPeer = finish(*rank1, started);
    QVERIFY2(resumed.exitCode == 0 && resumedPeer.exitCode == 0, (resumed.errors + resumedPeer.errors).constData());
    QVERIFY2(resumedPeer.out.trimmed().isEmpty(), resumedPeer.out.constData());
    QCOMPARE(resumed.of("resume").at(0)["step"].get<std::int64_t>(), checkpoint);
    std::map<std::pair<std::string, std::int64_t>, double> seen = killed.losses();
    for (const auto& [key, loss] : resumed.losses()) {
      QVERIFY2(key.second > checkpoint, "a step before the checkpoint trained again");
      seen[key] = loss;
    }
    QCOMPARE(seen.size(), losses.size());
    for (const auto& [key, loss] : seen)
      QVERIFY2(losses.at(key) == loss, qPrintable(QString("step %1: %2, uninterrupted %3").arg(key.second).arg(loss, 0, 'g', 17)
                                                     .arg(losses.at(key), 0, 'g', 17)));
    auto project = collab::store::Project::open(at("online-kill.collab").toStdString());
    QCOMPARE(project.runs().list().size(), std::size_t(1));
    QCOMPARE(project.runs().find(run)->status, std::string("finished"));
    QCOMPARE(project.runs().metrics(run, "loss").size(), losses.size());
    QCOMPARE(json::parse(project.runs().find(run)->configJson)["world_size"].get<int>(), 2);
  }

  void aRankWhosePeerNeverComesFailsWithinTheTimeout() {
    collab::test::writeFile(dir_, "alone.json", tinyConfig("out-alone").dump());
    for (int rank : {0, 1}) {
      const Outcome o = alone(rank);
      qInfo("rank %d alone: exit %d after %.1f s: %s", rank, o.exitCode, o.seconds, o.errors.trimmed().constData());
      QCOMPARE(o.exitCode, 1);
      QVERIFY(o.seconds < 30);
      const QString errors = QString::fromUtf8(o.errors);
      // Rank 0 serves the rendezvous and counts who came; rank 1 cannot reach it at all.
      QVERIFY2(errors.contains(rank == 0 ? "rank 0 of 2: only 1 of 2 ranks joined the rendezvous at 127.0.0.1:"
                                         : "rank 1 of 2: the rendezvous at 127.0.0.1:"),
               o.errors.constData());
      QVERIFY2(errors.contains(rank == 0 ? "did every rank start" : "is rank 0 running"), o.errors.constData());
    }
  }

  void aRankThatDiesStopsTheOther() {
    const QStringList arguments = {"--config", at("die.json")};
    collab::test::writeFile(dir_, "die.json", tinyConfig("out-die").dump());
    const int port = freePort();
    const auto started = std::chrono::steady_clock::now();
    auto rank0 = start(arguments, 0, 2, port);
    auto rank1 = start(arguments, 1, 2, port);
    // Rank 1 is killed once rank 0 has taken its first step.
    while (!rank0->canReadLine() || !rank0->readLine().contains("\"event\":\"step\"")) {
      if (rank0->state() == QProcess::NotRunning) QFAIL("rank 0 ended before its first step");
      rank0->waitForReadyRead(1000);
    }
    ::kill(static_cast<pid_t>(rank1->processId()), SIGKILL);
    rank1->waitForFinished();
    const Outcome o = finish(*rank0, started, 120000);
    qInfo("rank 0 after rank 1 died: exit %d: %s", o.exitCode, o.errors.trimmed().constData());
    QCOMPARE(o.exitCode, 1);
    QVERIFY2(QString::fromUtf8(o.errors).contains("rank 0 of 2: all-reduce of"), o.errors.constData());
  }

  void aMalformedPortIsRefused() {
    collab::test::writeFile(dir_, "port.json", tinyConfig("out-port").dump());
    const auto started = std::chrono::steady_clock::now();
    auto process = start({"--config", at("port.json")}, 0, 2, 0, {{"MASTER_PORT", "http"}});
    const Outcome o = finish(*process, started, 60000);
    QCOMPARE(o.exitCode, 3);
    QVERIFY2(o.errors.contains("environment: MASTER_PORT=\"http\": expected an integer in [1, 65535]"), o.errors.constData());
  }
};

QTEST_GUILESS_MAIN(TrainDistributedTest)
#include "tst_train_distributed.moc"

// `collab train` and `collab eval` end to end on a small config: JSON-lines progress,
// runs/metrics/checkpoints in the project, HF-layout checkpoints, the evaluation table,
// a graceful stop on SIGINT, and a bad config refused with the file and field named.

#include "TestHelpers.h"
#include "store/Project.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json smallConfig(int sftEpochs) {
  return {{"name", "small"},
          {"seed", 3},
          {"output", "out"},
          {"families", {"math", "documents"}},
          {"tasks_per_family", 8},
          {"max_exchanges", 3},
          {"personas", COLLAB_SOURCE_DIR "/resources/personas"},
          {"stages",
           {{{"name", "sft"}, {"method", "sft"}, {"epochs", sftEpochs}, {"batch_size", 4}, {"learning_rate", 3e-3}},
            {{"name", "dpo"}, {"method", "dpo"}, {"from", "sft"}, {"mr_window", 1}, {"mr_samples", 1}, {"candidates", 3},
             {"min_gap", 0.0}, {"pair_tasks_per_family", 3}, {"epochs", 2}, {"batch_size", 4}, {"rpo_alpha", 1.0}}}}};
}

} // namespace

class TrainCliTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString at(const std::string& name) const { return QString::fromStdString((fs::path(dir_.path().toStdString()) / name).string()); }

  QProcess* start(const QStringList& arguments) {
    auto* process = new QProcess(this);
    process->setWorkingDirectory(dir_.path());
    process->start(COLLAB_CLI_BIN, arguments);
    return process;
  }

  int finish(QProcess* process, QByteArray* out = nullptr, QByteArray* err = nullptr) {
    if (!process->waitForFinished(300000)) qFatal("collab did not finish");
    if (out) *out = process->readAllStandardOutput();
    if (err) *err = process->readAllStandardError();
    return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
  }

private Q_SLOTS:
  void trainsRecordsAndEvaluates() {
    QCOMPARE(finish(start({"init", at("p.collab")})), 0);
    collab::test::writeFile(dir_, "small.json", smallConfig(2).dump());
    QByteArray out, err;
    QCOMPARE(finish(start({"train", "--config", at("small.json"), "--project", at("p.collab")}), &out, &err), 0);

    std::map<std::string, int> events;
    int sftSteps = 0;
    for (const auto& line : out.split('\n')) {
      if (line.isEmpty()) continue;
      const json event = json::parse(line.toStdString());
      ++events[event["event"].get<std::string>()];
      if (event["event"] == "step" && event["stage"] == "sft") {
        ++sftSteps;
        for (const char* key : {"loss", "learning_rate", "grad_norm"}) QVERIFY2(event.contains(key), key);
      }
      if (event["event"] == "step" && event["stage"] == "dpo")
        for (const char* key : {"rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen"})
          QVERIFY2(event.contains(key), key);
    }
    QCOMPARE(events["stage_start"], 2);
    QCOMPARE(events["stage_end"], 2);
    QCOMPARE(events["checkpoint"], 2);
    QVERIFY(sftSteps > 0);

    auto project = collab::store::Project::open(at("p.collab").toStdString());
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(2));
    for (const auto& run : runs) {
      QCOMPARE(run.status, std::string("finished"));
      QCOMPARE(project.runs().checkpoints(run.id).size(), std::size_t(1));
    }
    QCOMPARE(static_cast<int>(project.runs().metrics(runs[0].id, "loss").size()), sftSteps);
    for (const char* stage : {"sft", "dpo"})
      for (const char* file : {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json"})
        QVERIFY2(fs::exists(fs::path(dir_.path().toStdString()) / "out" / stage / file), file);

    QCOMPARE(finish(start({"eval", "--checkpoint", at("out/sft"), "--checkpoint", at("out/dpo"), "--families", "math",
                           "--tasks", "3", "--samples", "1", "--format", "csv"}),
                    &out, &err),
             0);
    const auto lines = QString::fromUtf8(out).trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith("checkpoint,n,task,task_ci95,tokens_k"));
    QVERIFY(lines[1].startsWith("sft,"));
    QVERIFY(lines[2].startsWith("dpo,"));
    // Text adds the paired differences against the first checkpoint (CSV stays one table).
    QCOMPARE(finish(start({"eval", "--checkpoint", at("out/sft"), "--checkpoint", at("out/dpo"), "--families", "math",
                           "--tasks", "3", "--samples", "1", "--no-mr"}),
                    &out, &err),
             0);
    QVERIFY2(out.contains("Paired differences against sft"), out.constData());
    QVERIFY2(out.contains("\ndpo "), out.constData());
    QCOMPARE(finish(start({"eval", "--checkpoint", at("out/sft"), "--checkpoint", at("out/dpo"), "--families", "math",
                           "--tasks", "3", "--no-mr", "--baseline", "dpo"}),
                    &out, &err),
             0);
    QVERIFY2(out.contains("Paired differences against dpo") && out.contains("\nsft "), out.constData());
  }

  // Online DPO and PPO stages from an SFT stage: rounds announced, the round metrics
  // (mr/*) and the step metrics under TRL's names, runs recorded as dpo-online and ppo.
  void onlineStagesRun() {
    QCOMPARE(finish(start({"init", at("rl.collab")})), 0);
    json config = smallConfig(2);
    config["output"] = "rl-out";
    config["stages"][1] = {{"name", "online"}, {"method", "online-dpo"}, {"from", "sft"}, {"rounds", 2}, {"mr_window", 1},
                           {"mr_samples", 1}, {"candidates", 3}, {"min_gap", 0.0}, {"pair_tasks_per_family", 2},
                           {"batch_size", 4}};
    config["stages"].push_back({{"name", "ppo"}, {"method", "ppo"}, {"from", "sft"}, {"rounds", 2}, {"mr_window", 1},
                                {"mr_samples", 1}, {"candidates", 2}, {"pair_tasks_per_family", 2}, {"epochs", 2},
                                {"batch_size", 8}});
    collab::test::writeFile(dir_, "rl.json", config.dump());
    QByteArray out, err;
    QCOMPARE(finish(start({"train", "--config", at("rl.json"), "--project", at("rl.collab")}), &out, &err), 0);
    std::map<std::string, int> rounds;
    std::map<std::string, std::set<std::string>> keys;
    for (const auto& line : out.split('\n')) {
      if (line.isEmpty()) continue;
      const json event = json::parse(line.toStdString());
      if (event["event"] == "round") ++rounds[event["stage"].get<std::string>()];
      if (event["event"] == "step")
        for (const auto& [key, value] : event.items()) keys[event["stage"].get<std::string>()].insert(key);
    }
    QCOMPARE(rounds["online"], 2);
    QCOMPARE(rounds["ppo"], 2);
    for (const char* key : {"mr/mean", "mr/task", "mr/eff", "mr/int", "num_turns/mean", "tokens/assistant_mean", "loss",
                            "rewards/chosen", "rewards/margins", "learning_rate", "grad_norm"})
      QVERIFY2(keys["online"].count(key), key);
    for (const char* key : {"mr/mean", "objective/kl", "objective/scores", "objective/rlhf_reward", "policy/approxkl_avg",
                            "policy/clipfrac_avg", "loss/policy_avg", "loss/value_avg", "val/ratio", "learning_rate", "grad_norm"})
      QVERIFY2(keys["ppo"].count(key), key);
    auto project = collab::store::Project::open(at("rl.collab").toStdString());
    std::map<std::string, std::string> methods;
    for (const auto& run : project.runs().list()) {
      QCOMPARE(run.status, std::string("finished"));
      methods[run.name] = run.method;
    }
    QCOMPARE(methods["small/online"], std::string("dpo-online"));
    QCOMPARE(methods["small/ppo"], std::string("ppo"));
    for (const char* stage : {"online", "ppo"})
      QVERIFY2(fs::exists(fs::path(dir_.path().toStdString()) / "rl-out" / stage / "model.safetensors"), stage);
  }

  void stopsCleanlyOnSigint() {
    QCOMPARE(finish(start({"init", at("q.collab")})), 0);
    collab::test::writeFile(dir_, "long.json", smallConfig(400).dump());
    QProcess* process = start({"train", "--config", at("long.json"), "--project", at("q.collab")});
    // Wait for the first optimiser step, then interrupt.
    QByteArray seen;
    while (!seen.contains("\"event\":\"step\"")) {
      QVERIFY(process->waitForReadyRead(120000));
      seen += process->readAllStandardOutput();
    }
    ::kill(static_cast<pid_t>(process->processId()), SIGINT);
    QByteArray out;
    QCOMPARE(finish(process, &out), 130);
    seen += out;
    QVERIFY(seen.contains("\"status\":\"stopped\""));
    auto project = collab::store::Project::open(at("q.collab").toStdString());
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(1)); // the second stage never started
    QCOMPARE(runs[0].status, std::string("stopped"));
    QVERIFY(fs::exists(fs::path(dir_.path().toStdString()) / "out" / "sft" / "model.safetensors"));
    // And a resumable checkpoint at the last step trained.
    const auto steps = project.runs().metrics(runs[0].id, "loss");
    QVERIFY(!steps.empty());
    const fs::path resumable = fs::path(dir_.path().toStdString()) / "out" / "sft.checkpoints" /
                               ("checkpoint-" + std::to_string(steps.back().step));
    for (const char* file : {"model.safetensors", "optimizer_state.pt", "trainer_state.json"})
      QVERIFY2(fs::exists(resumable / file), (resumable / file).c_str());
  }

  void badConfigsAreNamed() {
    json config = smallConfig(1);
    config["stages"][0]["epochs"] = "many";
    collab::test::writeFile(dir_, "bad.json", config.dump());
    QByteArray out, err;
    QCOMPARE(finish(start({"train", "--config", at("bad.json")}), &out, &err), 3);
    QVERIFY2(err.contains("bad.json: stages[0].epochs: expected an integer, found \"many\""), err.constData());
  }
};

QTEST_GUILESS_MAIN(TrainCliTest)
#include "tst_train_cli.moc"

// Training configs: the presets parse, and every mistake is named with file and field.

#include "common/Error.h"
#include "train/TrainConfig.h"

#include <QtTest>

#include <fstream>

using collab::train::TrainConfig;
using nlohmann::json;

namespace {

std::string errorOf(const json& config) {
  try {
    TrainConfig::fromJson(config, "cfg.json", ".");
  } catch (const collab::InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

json minimal() {
  return {{"output", "out"}, {"stages", json::array({{{"name", "sft"}, {"method", "sft"}}})}};
}

} // namespace

class TrainConfigTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void presetsParse() {
    const TrainConfig c = TrainConfig::fromFile(std::string(COLLAB_SOURCE_DIR) + "/resources/presets/quickstart-cpu.json");
    QCOMPARE(c.stages.size(), std::size_t(3));
    QCOMPARE(c.stages[1].from, std::string("sft"));
    QCOMPARE(c.stages[2].mrWindow, 0);
    QVERIFY(c.personas.ends_with("resources/personas"));
  }

  // The RL preset starts from the quickstart's SFT checkpoint, which is not there in a
  // fresh checkout: read it with an SFT stage of that name put in front.
  void rlPresetParses() {
    const std::string path = std::string(COLLAB_SOURCE_DIR) + "/resources/presets/quickstart-cpu-rl.json";
    std::ifstream in(path);
    json config = json::parse(in);
    config["stages"].insert(config["stages"].begin(), json{{"name", "sft"}, {"method", "sft"}});
    const TrainConfig c = TrainConfig::fromJson(config, path, std::string(COLLAB_SOURCE_DIR) + "/resources/presets");
    QCOMPARE(c.stages.size(), std::size_t(3));
    QCOMPARE(c.stages[1].method, std::string("online-dpo"));
    QCOMPARE(c.stages[1].runMethod(), std::string("dpo-online"));
    QCOMPARE(c.stages[2].method, std::string("ppo"));
    QCOMPARE(c.stages[2].runMethod(), std::string("ppo"));
    QVERIFY(c.stages[2].rounds >= 1);
    QCOMPARE(c.stages[0].runMethod(), std::string("sft"));
  }

  void ppoDefaultsAreTrls() {
    json config = minimal();
    config["stages"][0]["method"] = "ppo";
    const TrainConfig c = TrainConfig::fromJson(config, "cfg.json", ".");
    const auto& s = c.stages[0];
    QCOMPARE(s.klCoef, 0.05);
    QCOMPARE(s.gamma, 1.0);
    QCOMPARE(s.lam, 0.95);
    QCOMPARE(s.clipRange, 0.2);
    QCOMPARE(s.clipRangeValue, 0.2);
    QCOMPARE(s.vfCoef, 0.1);
  }

  void accumulationAndEpsilonAreRead() {
    json config = minimal();
    QCOMPARE(TrainConfig::fromJson(config, "cfg.json", ".").stages[0].gradientAccumulationSteps, 1);
    QCOMPARE(TrainConfig::fromJson(config, "cfg.json", ".").stages[0].adamEpsilon, 1e-8);
    config["stages"][0]["gradient_accumulation_steps"] = 4;
    config["stages"][0]["adam_epsilon"] = 1e-6;
    const TrainConfig c = TrainConfig::fromJson(config, "cfg.json", ".");
    QCOMPARE(c.stages[0].gradientAccumulationSteps, 4);
    QCOMPARE(c.stages[0].adamEpsilon, 1e-6);
  }

  // A preset picks the weights per task metric (the reference's own settings); a field
  // given in the stage overrides it for every family; window and samples are the stage's.
  void rewardPresetsResolvePerMetric() {
    json config = minimal();
    config["stages"] = json::array({{{"name", "d"}, {"method", "dpo"}, {"from", "init"}, {"reward_preset", "library"},
                                     {"mr_window", 1}, {"mr_samples", 4}}});
    TrainConfig c = TrainConfig::fromJson(config, "cfg.json", ".");
    const auto math = c.stages[0].rewardFor("accuracy");
    const auto documents = c.stages[0].rewardFor("bleu");
    QCOMPARE(math.interactivityWeight, 0.5);
    QCOMPARE(documents.interactivityWeight, 0.0);
    QCOMPARE(documents.tokenLambda, 1e-4);
    QCOMPARE(documents.tokenScope, std::string("session"));
    QCOMPARE(math.window, 1);
    QCOMPARE(math.samples, 4);

    config["stages"][0]["interactivity_weight"] = 0.25;
    c = TrainConfig::fromJson(config, "cfg.json", ".");
    QCOMPARE(c.stages[0].rewardFor("bleu").interactivityWeight, 0.25);
    QCOMPARE(c.stages[0].rewardFor("accuracy").interactivityWeight, 0.25);

    // No preset: the fields as given, with the documented defaults.
    config["stages"][0].erase("reward_preset");
    config["stages"][0].erase("interactivity_weight");
    c = TrainConfig::fromJson(config, "cfg.json", ".");
    QCOMPARE(c.stages[0].rewardFor("bleu").interactivityWeight, 1.0);
    QCOMPARE(c.stages[0].rewardFor("bleu").tokenLambda, 5e-4);
  }

  void mistakesAreNamed_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown field") << "learning_rat" << "0.1" << "cfg.json: learning_rat: unknown field";
    QTest::newRow("wrong type") << "seed" << "\"seven\"" << "cfg.json: seed: expected an integer, found \"seven\"";
    QTest::newRow("no stages") << "stages" << "[]" << "cfg.json: stages: expected a non-empty list of stages";
    QTest::newRow("bad method") << "stages" << "[{\"name\": \"x\", \"method\": \"ppo2\"}]"
                                << "cfg.json: stages[0].method: expected \"sft\", \"dpo\", \"online-dpo\" or \"ppo\", found \"ppo2\"";
    QTest::newRow("bad lam") << "stages" << "[{\"name\": \"x\", \"method\": \"ppo\", \"lam\": 1.5}]"
                             << "cfg.json: stages[0].lam: expected GAE's lambda in [0, 1]";
    QTest::newRow("greedy ppo") << "stages" << "[{\"name\": \"x\", \"method\": \"ppo\", \"temperature\": 0}]"
                                << "cfg.json: stages[0].temperature: PPO needs a sampling temperature above 0";
    QTest::newRow("no rounds") << "stages" << "[{\"name\": \"x\", \"method\": \"online-dpo\", \"rounds\": 0}]"
                               << "cfg.json: stages[0].rounds: must be positive";
    QTest::newRow("one candidate") << "stages" << "[{\"name\": \"x\", \"method\": \"online-dpo\", \"candidates\": 1}]"
                                   << "cfg.json: stages[0].candidates: DPO needs at least 2 candidates";
    QTest::newRow("negative rate") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"learning_rate\": -1}]"
                                   << "cfg.json: stages[0].learning_rate: must be positive";
    QTest::newRow("no checkpoints") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"checkpoint_every\": 0}]"
                                    << "cfg.json: stages[0].checkpoint_every: must be positive";
    QTest::newRow("stage named like checkpoints") << "stages" << "[{\"name\": \"x.checkpoints\", \"method\": \"sft\"}]"
                                                  << "cfg.json: stages[0].name: must not end in \".checkpoints\"";
    QTest::newRow("unknown from") << "stages" << "[{\"name\": \"x\", \"method\": \"dpo\", \"from\": \"nowhere\"}]"
                                  << "stages[0].from: \"nowhere\" is neither an earlier stage nor a checkpoint";
    QTest::newRow("bad reward preset") << "stages" << "[{\"name\": \"x\", \"method\": \"dpo\", \"reward_preset\": \"v3\"}]"
                                       << "stages[0].reward_preset: expected \"paper\" or \"library\", found \"v3\"";
    QTest::newRow("no accumulation") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"gradient_accumulation_steps\": 0}]"
                                     << "cfg.json: stages[0].gradient_accumulation_steps: must be positive";
    QTest::newRow("accumulated ppo") << "stages" << "[{\"name\": \"x\", \"method\": \"ppo\", \"gradient_accumulation_steps\": 2}]"
                                     << "cfg.json: stages[0].gradient_accumulation_steps: expected 1 for a ppo stage";
    QTest::newRow("zero epsilon") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"adam_epsilon\": 0}]"
                                  << "cfg.json: stages[0].adam_epsilon: must be positive";
    QTest::newRow("float16") << "dtype" << "\"float16\""
                             << "cfg.json: dtype: float16 cannot train here (no loss scaling: small gradients underflow to zero)";
    QTest::newRow("twice") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\"}, {\"name\": \"x\", \"method\": \"sft\"}]"
                           << "stages[1].name: \"x\" is used twice";
  }

  void mistakesAreNamed() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    json config = minimal();
    config[field.toStdString()] = json::parse(value.toStdString());
    const std::string message = errorOf(config);
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }
};

QTEST_APPLESS_MAIN(TrainConfigTest)
#include "tst_train_config.moc"

// Training configs: the presets parse, and every mistake is named with file and field.

#include "common/Error.h"
#include "train/TrainConfig.h"

#include <QtTest>

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
                                << "cfg.json: stages[0].method: expected \"sft\" or \"dpo\", found \"ppo2\"";
    QTest::newRow("negative rate") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"learning_rate\": -1}]"
                                   << "cfg.json: stages[0].learning_rate: must be positive";
    QTest::newRow("unknown from") << "stages" << "[{\"name\": \"x\", \"method\": \"dpo\", \"from\": \"nowhere\"}]"
                                  << "stages[0].from: \"nowhere\" is neither an earlier stage nor a checkpoint";
    QTest::newRow("bad reward preset") << "stages" << "[{\"name\": \"x\", \"method\": \"dpo\", \"reward_preset\": \"v3\"}]"
                                       << "stages[0].reward_preset: expected \"paper\" or \"library\", found \"v3\"";
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

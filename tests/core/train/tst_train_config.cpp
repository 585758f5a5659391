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
    QTest::newRow("no checkpoints") << "stages" << "[{\"name\": \"x\", \"method\": \"sft\", \"checkpoint_every\": 0}]"
                                    << "cfg.json: stages[0].checkpoint_every: must be positive";
    QTest::newRow("stage named like checkpoints") << "stages" << "[{\"name\": \"x.checkpoints\", \"method\": \"sft\"}]"
                                                  << "cfg.json: stages[0].name: must not end in \".checkpoints\"";
    QTest::newRow("unknown from") << "stages" << "[{\"name\": \"x\", \"method\": \"dpo\", \"from\": \"nowhere\"}]"
                                  << "stages[0].from: \"nowhere\" is neither an earlier stage nor a checkpoint";
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

// Training configs in TOML (`collab train --config FILE.toml`): the same TrainConfig as the
// JSON they stand for, and errors that name the file, line and column. Includes LibTorch
// headers through TrainConfig: Q_SLOTS.

#include "TestHelpers.h"
#include "common/Error.h"
#include "train/TomlConfig.h"
#include "train/TrainConfig.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace collab;
using nlohmann::json;

namespace {

const char* kToml = R"(# a small config
name = "small"
seed = 3
output = "out"
families = ["math", "documents"]
tasks_per_family = 8

[[stages]]
name = "sft"
method = "sft"
epochs = 2
learning_rate = 3e-3

[[stages]]
name = "dpo"
method = "dpo"
from = "sft"
mr_window = 0
min_gap = 0.05
reward_preset = "library"
token_lambda = 5e-3
)";

const char* kJson = R"({"name": "small", "seed": 3, "output": "out", "families": ["math", "documents"], "tasks_per_family": 8,
  "stages": [{"name": "sft", "method": "sft", "epochs": 2, "learning_rate": 3e-3},
             {"name": "dpo", "method": "dpo", "from": "sft", "mr_window": 0, "min_gap": 0.05, "reward_preset": "library",
              "token_lambda": 5e-3}]})";

template <typename F>
QString errorOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return "(no error)";
}

} // namespace

class TomlConfigTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private Q_SLOTS:
  void tomlAndJsonGiveTheSameConfig() {
    const auto toml = train::TrainConfig::fromFile(test::writeFile(dir_, "small.toml", kToml).string());
    const auto fromJson = train::TrainConfig::fromFile(test::writeFile(dir_, "small.json", kJson).string());
    QCOMPARE(toml.resolvedJson(), fromJson.resolvedJson());
    QCOMPARE(toml.seed, std::uint64_t(3));
    QCOMPARE(toml.tasksPerFamily, std::size_t(8));
    QCOMPARE(toml.families, (std::vector<std::string>{"math", "documents"}));
    QCOMPARE(toml.stages.size(), std::size_t(2));
    QCOMPARE(toml.stages[0].epochs, 2);
    QCOMPARE(toml.stages[0].learningRate, 3e-3);
    QCOMPARE(toml.stages[1].from, std::string("sft"));
    QCOMPARE(toml.stages[1].mrWindow, 0);
    QCOMPARE(toml.stages[1].minGap, 0.05);
    QCOMPARE(toml.stages[1].tokenLambda.value_or(-1), 5e-3);
    QCOMPARE(toml.stages[1].rewardPreset, std::string("library"));
  }

  void tomlValuesMapToJson() {
    const json value = train::parseToml("a = 1\nb = 2.5\nc = true\nd = \"x\"\ne = [1, 2]\n[f]\ng = -3\n", "t.toml");
    QCOMPARE(value, json::parse(R"({"a": 1, "b": 2.5, "c": true, "d": "x", "e": [1, 2], "f": {"g": -3}})"));
    QVERIFY(value["a"].is_number_integer() && value["b"].is_number_float());
  }

  void syntaxErrorsNameFileLineAndColumn() {
    const auto file = test::writeFile(dir_, "broken.toml", "name = \"x\"\nseed = 3\nepochs = = 2\n");
    const QString error = errorOf([&] { train::TrainConfig::fromFile(file.string()); });
    QVERIFY2(error.startsWith(QString::fromStdString(file.string() + ":3:")), qPrintable(error));
    // file:line:column: and then what is wrong.
    QVERIFY2(QRegularExpression("^.*broken\\.toml:3:\\d+: TOML syntax: .+").match(error).hasMatch(), qPrintable(error));
    const auto date = test::writeFile(dir_, "date.toml", "name = \"x\"\nseed = 1979-05-27\n");
    const QString dateError = errorOf([&] { train::TrainConfig::fromFile(date.string()); });
    QVERIFY2(dateError.startsWith(QString::fromStdString(date.string() + ":2:8:")) && dateError.contains("date"), qPrintable(dateError));
  }

  void fieldErrorsGoThroughTheSameValidation() {
    const auto file = test::writeFile(dir_, "bad.toml", "output = \"out\"\n[[stages]]\nname = \"sft\"\nmethod = \"sft\"\nepoch = 3\n");
    const QString error = errorOf([&] { train::TrainConfig::fromFile(file.string()); });
    QVERIFY2(error.contains("bad.toml") && error.contains("stages[0].epoch: unknown field"), qPrintable(error));
  }
};

QTEST_GUILESS_MAIN(TomlConfigTest)
#include "tst_toml_config.moc"

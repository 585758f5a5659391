// The stage editor of the run dialog: every method `collab train` runs can be chosen, a
// stage carries exactly its method's fields (PPO's coefficients, the rounds of online
// methods, DPO's β) with the values typed in, and the RL preset loads into the dialog.

#include "runs/RunDialog.h"
#include "runs/StageEditor.h"

#include <QComboBox>
#include <QJsonArray>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

using namespace collab::ui;

class StageEditorTest : public QObject {
  Q_OBJECT

private slots:
  // The presets are resources of the static ui library: registered by hand here.
  void initTestCase() { Q_INIT_RESOURCE(resources); }

  void everyMethodIsAvailable() {
    StageEditor editor;
    auto* method = editor.findChild<QComboBox*>(QStringLiteral("stageMethod"));
    QVERIFY(method);
    auto* items = qobject_cast<QStandardItemModel*>(method->model());
    QStringList methods;
    for (int row = 0; row < method->count(); ++row) {
      QVERIFY(items->item(row)->isEnabled());
      methods << method->itemData(row).toString();
    }
    QCOMPARE(methods, (QStringList{"sft", "dpo", "online-dpo", "ppo"}));
  }

  void aStageCarriesItsMethodsFields() {
    StageEditor editor;
    editor.setStage(QJsonObject{{"name", "ppo"}, {"method", "ppo"}, {"from", "sft"}, {"kl_coef", 0.2}, {"rounds", 6},
                                {"beta", 0.3}, {"min_gap", 0.05}});
    QJsonObject s = editor.stage();
    QCOMPARE(s.value("method").toString(), QString("ppo"));
    QCOMPARE(s.value("kl_coef").toDouble(), 0.2);
    QCOMPARE(s.value("rounds").toInt(), 6);
    QCOMPARE(s.value("lam").toDouble(), 0.95);
    QVERIFY(!s.contains("beta")); // DPO's, not PPO's
    QVERIFY(!editor.findChild<QDoubleSpinBox*>("stage_beta")->isEnabled());
    QVERIFY(editor.findChild<QDoubleSpinBox*>("stage_gamma")->isEnabled());

    editor.findChild<QSpinBox*>("stage_mr_window")->setValue(0);
    auto* method = editor.findChild<QComboBox*>(QStringLiteral("stageMethod"));
    method->setCurrentIndex(method->findData(QStringLiteral("online-dpo")));
    s = editor.stage();
    QCOMPARE(s.value("rounds").toInt(), 6);
    QCOMPARE(s.value("beta").toDouble(), 0.3);
    QCOMPARE(s.value("mr_window").toInt(), 0);
    QVERIFY(!s.contains("kl_coef"));
    QVERIFY(!editor.findChild<QDoubleSpinBox*>("stage_gamma")->isEnabled());

    method->setCurrentIndex(method->findData(QStringLiteral("sft")));
    s = editor.stage();
    for (const char* key : {"rounds", "beta", "mr_window", "kl_coef", "candidates"}) QVERIFY2(!s.contains(key), key);
    QCOMPARE(s.value("min_gap").toDouble(), 0.05); // a field the form does not show is kept
  }

  // A reward preset decides the weights per task family: the dialog keeps the preset and
  // leaves out the weights the stage did not set, so the GUI launches what the CLI would.
  void theRewardPresetSurvivesTheForm() {
    RunDialog dialog(nullptr);
    dialog.loadPreset(QStringLiteral("quickstart-cpu"));
    const QJsonObject mr = dialog.config().value("stages").toArray()[1].toObject();
    QCOMPARE(mr.value("reward_preset").toString(), QString("library"));
    QCOMPARE(mr.value("token_lambda").toDouble(), 5e-3);
    QVERIFY(!mr.contains("interactivity_weight"));

    StageEditor editor;
    editor.setStage(mr);
    auto* weight = editor.findChild<QDoubleSpinBox*>("stage_interactivity_weight");
    QCOMPARE(weight->text(), QString("from preset"));
    weight->setValue(0.5); // an override for every family
    QCOMPARE(editor.stage().value("interactivity_weight").toDouble(), 0.5);
    auto* preset = editor.findChild<QComboBox*>("stage_reward_preset");
    preset->setCurrentIndex(preset->findData(QString()));
    weight->setValue(weight->minimum()); // no preset: the documented default stands in
    const QJsonObject plain = editor.stage();
    QVERIFY(!plain.contains("reward_preset"));
    QCOMPARE(plain.value("interactivity_weight").toDouble(), 1.0);
  }

  // The RL preset is listed after the quickstart (still the default) and loads its online
  // DPO and PPO stages into the editors as they are.
  void theRlPresetLoads() {
    const QStringList presets = RunDialog::presetNames();
    QVERIFY(presets.size() >= 2);
    QCOMPARE(presets.first(), QString("quickstart-cpu"));
    QVERIFY(presets.contains("quickstart-cpu-rl"));
    RunDialog dialog(nullptr);
    dialog.loadPreset(QStringLiteral("quickstart-cpu-rl"));
    const QJsonArray stages = dialog.config().value("stages").toArray();
    QCOMPARE(stages.size(), 2);
    QCOMPARE(stages[0].toObject().value("method").toString(), QString("online-dpo"));
    QCOMPARE(stages[0].toObject().value("rounds").toInt(), 6);
    QCOMPARE(stages[1].toObject().value("method").toString(), QString("ppo"));
    QCOMPARE(stages[1].toObject().value("kl_coef").toDouble(), 0.05);
    QCOMPARE(stages[1].toObject().value("from").toString(), QString("sft"));
  }
};

QTEST_MAIN(StageEditorTest)
#include "tst_stage_editor.moc"

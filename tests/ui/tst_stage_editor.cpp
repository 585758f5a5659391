// The stage editor of the run dialog: every method `collab train` runs can be chosen, a
// stage carries exactly its method's fields (PPO's coefficients, the rounds of online
// methods, DPO's β) with the values typed in, and the RL preset loads into the dialog.
// The fields added with Hugging Face checkpoints and data parallelism (gradient
// accumulation, AdamW's ε, gradient checkpointing; a checkpoint's data file, project data
// and human preferences) read back as they were written; the dialog's Hugging Face choice
// (model folder, LoRA, length, dtype) writes the policy object `collab train` reads, and
// the GPU presets load into those fields.

#include "runs/HfPolicyEditor.h"
#include "runs/PathField.h"
#include "runs/RunDialog.h"
#include "runs/StageEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QScrollArea>
#include <QTest>

using namespace collab::ui;

namespace {
QJsonObject presetFile(const QString& name) {
  QFile file(QStringLiteral(":/presets/%1.json").arg(name));
  if (!file.open(QIODevice::ReadOnly)) qFatal("no preset %s", qPrintable(name));
  return QJsonDocument::fromJson(file.readAll()).object();
}

void chooseData(QComboBox* box, const QString& data) {
  const int row = box->findData(data);
  QVERIFY2(row >= 0, qPrintable(data));
  box->setCurrentIndex(row);
}

bool itemEnabled(QComboBox* box, const QString& data) {
  return qobject_cast<QStandardItemModel*>(box->model())->item(box->findData(data))->isEnabled();
}

// With COLLAB_RUN_DIALOG_SCREENSHOTS=DIR, a picture of the widget as the test left it.
void picture(QWidget* widget, const char* name) {
  const QString folder = qEnvironmentVariable("COLLAB_RUN_DIALOG_SCREENSHOTS");
  if (!folder.isEmpty()) QVERIFY(widget->grab().save(QDir(folder).filePath(QString(name) + ".png")));
}
} // namespace

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
    QCOMPARE(mr.value("token_lambda").toDouble(), 7e-3);
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

  // The RL preset is listed after the quickstart, and loads its online DPO and PPO stages
  // into the editors as they are. The GPU presets are listed too (sorted before it), but a
  // new dialog still starts from the CPU quickstart.
  void theRlPresetLoads() {
    const QStringList presets = RunDialog::presetNames();
    QCOMPARE(presets, (QStringList{"llama-3-8b-lora-gpu", "llama-3.1-8b-lora-gpu", "mistral-7b-lora-gpu", "quickstart-cpu",
                                   "quickstart-cpu-rl", "qwen2.5-0.5b-lora-gpu"}));
    QCOMPARE(RunDialog::defaultPresetName(), QString("quickstart-cpu"));
    RunDialog fresh(nullptr);
    QCOMPARE(fresh.config().value("name").toString(), QString("quickstart-cpu"));
    QCOMPARE(fresh.config().value("policy").toString(), QString("builtin"));
    QVERIFY(!fresh.huggingFacePolicy());

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

  // setStage then stage() gives the stage back: with the new fields set, and without them
  // (they are not added at their defaults), for either policy.
  void theNewFieldsRoundTrip() {
    const QJsonObject builtin{{"name", "sft"}, {"method", "sft"}, {"from", "init"}, {"epochs", 2}, {"batch_size", 8},
                              {"learning_rate", 3e-3}, {"warmup_steps", 5}, {"gradient_accumulation_steps", 4},
                              {"adam_epsilon", 1e-6}, {"gradient_checkpointing", true}, {"min_gap", 0.05}};
    const QJsonObject plain{{"name", "sft"}, {"method", "sft"}, {"from", "init"}, {"epochs", 1}, {"batch_size", 16},
                            {"learning_rate", 1e-3}, {"warmup_steps", 0}};
    const QJsonObject hfDpo{{"name", "dpo"}, {"method", "dpo"}, {"from", "sft"}, {"epochs", 8}, {"batch_size", 1},
                            {"learning_rate", 2.5e-6}, {"warmup_steps", 10}, {"data", "/data/preferences.jsonl"},
                            {"project_data", true}, {"human_preferences", true}, {"beta", 0.1}, {"min_gap", 0.02},
                            {"checkpoint_every", 100}, {"gradient_accumulation_steps", 8}, {"adam_epsilon", 1e-8}};
    const QJsonObject hfSft{{"name", "sft"}, {"method", "sft"}, {"from", "init"}, {"epochs", 3}, {"batch_size", 2},
                            {"learning_rate", 1e-5}, {"warmup_steps", 10}, {"data", "sft.jsonl"}, {"gradient_checkpointing", false}};
    for (const auto& [stage, hf] : {std::pair{builtin, false}, std::pair{plain, false}, std::pair{plain, true},
                                    std::pair{hfDpo, true}, std::pair{hfSft, true}}) {
      StageEditor editor;
      editor.setHuggingFacePolicy(hf);
      editor.setStage(stage);
      QCOMPARE(editor.stage(), stage);
    }
  }

  void theNewFieldsAreWrittenWhenSet() {
    StageEditor editor;
    editor.setStage(QJsonObject{{"name", "sft"}, {"method", "sft"}});
    auto* accumulation = editor.findChild<QSpinBox*>("stage_gradient_accumulation_steps");
    auto* epsilon = editor.findChild<QDoubleSpinBox*>("stage_adam_epsilon");
    auto* checkpointing = editor.findChild<QCheckBox*>("stage_gradient_checkpointing");
    QVERIFY(accumulation && epsilon && checkpointing);
    for (QWidget* field : {static_cast<QWidget*>(accumulation), static_cast<QWidget*>(epsilon), static_cast<QWidget*>(checkpointing)})
      QVERIFY2(!field->toolTip().isEmpty(), qPrintable(field->objectName()));
    QCOMPARE(epsilon->text(), QString("1e-08")); // not 0.000000
    accumulation->setValue(3);
    epsilon->selectAll();
    QTest::keyClicks(epsilon, "2.5e-7");
    QTest::mouseClick(checkpointing, Qt::LeftButton, {}, QPoint(4, checkpointing->height() / 2));
    QJsonObject s = editor.stage();
    QCOMPARE(s.value("gradient_accumulation_steps").toInt(), 3);
    QCOMPARE(s.value("adam_epsilon").toDouble(), 2.5e-7);
    QCOMPARE(s.value("gradient_checkpointing").toBool(), true);
    epsilon->stepBy(1); // by factors of ten
    QCOMPARE(editor.stage().value("adam_epsilon").toDouble(), 2.5e-6);

    // Back at their defaults: left out again, as the stage had none of them.
    accumulation->setValue(1);
    epsilon->setValue(1e-8);
    checkpointing->setChecked(false);
    s = editor.stage();
    for (const char* key : {"gradient_accumulation_steps", "adam_epsilon", "gradient_checkpointing"}) QVERIFY2(!s.contains(key), key);

    // PPO takes no gradient accumulation (each minibatch is one step); ε and checkpointing it does.
    auto* method = editor.findChild<QComboBox*>(QStringLiteral("stageMethod"));
    accumulation->setValue(2);
    epsilon->setValue(1e-5);
    chooseData(method, "ppo");
    QVERIFY(!accumulation->isEnabled());
    s = editor.stage();
    QVERIFY(!s.contains("gradient_accumulation_steps"));
    QCOMPARE(s.value("adam_epsilon").toDouble(), 1e-5);
  }

  // A Hugging Face checkpoint: SFT and DPO only, its data fields shown (the data file with
  // Browse…), the built-in policy's MR fields hidden and left out; and the other way round.
  void eachPolicyShowsItsStageFields() {
    StageEditor editor;
    editor.setStage(QJsonObject{{"name", "dpo"}, {"method", "dpo"}, {"from", "init"}, {"mr_window", 1}, {"reward_preset", "paper"}});
    auto* method = editor.findChild<QComboBox*>(QStringLiteral("stageMethod"));
    auto* data = editor.findChild<PathField*>("stage_data");
    auto* project = editor.findChild<QCheckBox*>("stage_project_data");
    auto* human = editor.findChild<QCheckBox*>("stage_human_preferences");
    auto* window = editor.findChild<QSpinBox*>("stage_mr_window");
    QVERIFY(data && project && human && window);
    QVERIFY(data->browseButton());
    for (QWidget* field : {static_cast<QWidget*>(data), static_cast<QWidget*>(project), static_cast<QWidget*>(human)}) {
      QVERIFY2(!field->toolTip().isEmpty(), qPrintable(field->objectName()));
      QVERIFY(field->isHidden()); // the built-in policy makes its own data
    }
    QVERIFY(!window->isHidden());
    QVERIFY(itemEnabled(method, "ppo"));

    editor.setHuggingFacePolicy(true);
    QVERIFY(!itemEnabled(method, "ppo"));
    QVERIFY(!itemEnabled(method, "online-dpo"));
    QVERIFY(itemEnabled(method, "dpo"));
    QVERIFY(!data->isHidden() && !project->isHidden() && !human->isHidden());
    QVERIFY(window->isHidden());
    QVERIFY(editor.findChild<QComboBox*>("stage_reward_preset")->isHidden());
    QTest::keyClicks(data->lineEdit(), "/data/pairs.jsonl");
    project->setChecked(true);
    human->setChecked(true);
    QJsonObject s = editor.stage();
    QCOMPARE(s.value("data").toString(), QString("/data/pairs.jsonl"));
    QCOMPARE(s.value("project_data").toBool(), true);
    QCOMPARE(s.value("human_preferences").toBool(), true);
    for (const char* key : {"mr_window", "reward_preset", "token_lambda", "candidates"}) QVERIFY2(!s.contains(key), key);
    QCOMPARE(s.value("beta").toDouble(), 0.1);

    chooseData(method, "sft"); // preferences are DPO's
    QVERIFY(!human->isEnabled());
    QVERIFY(!editor.stage().contains("human_preferences"));
    QCOMPARE(editor.stage().value("project_data").toBool(), true);

    editor.setHuggingFacePolicy(false); // a built-in run reads no data file
    s = editor.stage();
    for (const char* key : {"data", "project_data", "human_preferences"}) QVERIFY2(!s.contains(key), key);
  }

  // "Hugging Face checkpoint…" shows its fields instead of the built-in policy's task
  // settings and writes the policy object `collab train` reads; "Built-in" writes what it
  // always did.
  void theHfChoiceWritesThePolicy() {
    RunDialog dialog(nullptr);
    auto* kind = dialog.findChild<QComboBox*>("modelKind");
    auto* hf = dialog.findChild<HfPolicyEditor*>();
    QCheckBox* math = nullptr; // one of the built-in policy's task families
    for (QCheckBox* box : dialog.findChildren<QCheckBox*>())
      if (box->text() == "math") math = box;
    QVERIFY(kind && hf && math);
    QVERIFY(hf->isHidden());
    QVERIFY(itemEnabled(kind, "hf"));
    chooseData(kind, "hf");
    QVERIFY(dialog.huggingFacePolicy());
    QVERIFY(!hf->isHidden());
    QVERIFY(math->isHidden());
    QVERIFY(!hf->modelNote().isEmpty());                  // no folder yet: the note asks for one

    auto* folder = dialog.findChild<PathField*>("hfModelFolder");
    QVERIFY(folder && folder->browseButton());
    QTest::keyClicks(folder->lineEdit(), "/models/tiny-llama");
    QVERIFY2(hf->modelNote().startsWith("Not a folder on this computer"), qPrintable(hf->modelNote()));
    auto* lora = dialog.findChild<QCheckBox*>("hfLora");
    QVERIFY(lora->isChecked()); // CollabLLM's setting by default
    QCOMPARE(dialog.findChild<QSpinBox*>("hfLoraRank")->value(), 32);
    QCOMPARE(dialog.findChild<QDoubleSpinBox*>("hfLoraAlpha")->value(), 16.0);
    QCOMPARE(dialog.findChild<QDoubleSpinBox*>("hfLoraDropout")->value(), 0.1);
    dialog.findChild<QSpinBox*>("hfLoraRank")->setValue(16);
    dialog.findChild<QDoubleSpinBox*>("hfLoraAlpha")->setValue(32);
    dialog.findChild<QDoubleSpinBox*>("hfLoraDropout")->setValue(0.05);
    QTest::keyClicks(dialog.findChild<QLineEdit*>("hfLoraTargets"), "q_proj, v_proj");
    dialog.findChild<QSpinBox*>("hfMaxLength")->setValue(1024);
    chooseData(dialog.findChild<QComboBox*>("hfDtype"), "f32");

    QJsonObject config = dialog.config();
    QCOMPARE(config.value("policy").toObject(),
             (QJsonObject{{"model", "/models/tiny-llama"},
                          {"max_length", 1024},
                          {"lora", QJsonObject{{"r", 16}, {"alpha", 32}, {"dropout", 0.05}, {"targets", QJsonArray{"q_proj", "v_proj"}}}}}));
    QCOMPARE(config.value("dtype").toString(), QString("f32"));
    for (const char* key : {"families", "tasks_per_family", "max_exchanges", "personas"}) QVERIFY2(!config.contains(key), key);

    lora->setChecked(false); // full fine-tuning
    QVERIFY(!dialog.findChild<QSpinBox*>("hfLoraRank")->isEnabled());
    QCOMPARE(dialog.config().value("policy").toObject(), (QJsonObject{{"model", "/models/tiny-llama"}, {"max_length", 1024}}));
    chooseData(dialog.findChild<QComboBox*>("hfDtype"), "auto"); // the default: left out
    QVERIFY(!dialog.config().contains("dtype"));

    chooseData(kind, "builtin"); // back: as before
    config = dialog.config();
    QCOMPARE(config.value("policy").toString(), QString("builtin"));
    QCOMPARE(config.value("families").toArray().size(), 3);
    QCOMPARE(config.value("tasks_per_family").toInt(), 120);
    QVERIFY(hf->isHidden());
    QVERIFY(!math->isHidden());
  }

  // A GPU preset fills the Hugging Face fields and reads back as the preset: its policy,
  // dtype, device and stages; its placeholder model folder is flagged.
  void theGpuPresetsLoadIntoTheFields() {
    for (const QString& name : {QStringLiteral("llama-3-8b-lora-gpu"), QStringLiteral("llama-3.1-8b-lora-gpu"),
                                QStringLiteral("mistral-7b-lora-gpu"), QStringLiteral("qwen2.5-0.5b-lora-gpu")}) {
      const QJsonObject preset = presetFile(name);
      RunDialog dialog(nullptr);
      dialog.loadPreset(name);
      QVERIFY(dialog.huggingFacePolicy());
      const QString model = preset.value("policy").toObject().value("model").toString();
      QCOMPARE(dialog.findChild<PathField*>("hfModelFolder")->path(), model);
      QCOMPARE(dialog.findChild<QSpinBox*>("hfLoraRank")->value(), 32);
      QCOMPARE(dialog.findChild<QComboBox*>("hfDtype")->currentData().toString(), QString("bf16"));
      const QString note = dialog.findChild<HfPolicyEditor*>()->modelNote();
      QVERIFY2(note.contains("set it to your copy of the checkpoint"), qPrintable(note));
      const QJsonObject config = dialog.config();
      QCOMPARE(config.value("policy").toObject(), preset.value("policy").toObject());
      QCOMPARE(config.value("dtype").toString(), QString("bf16"));
      QCOMPARE(config.value("device").toString(), QString("cuda"));
      QCOMPARE(config.value("stages").toArray(), preset.value("stages").toArray());
    }
  }

  // How the dialog looks with a GPU preset (COLLAB_RUN_DIALOG_SCREENSHOTS=DIR keeps the
  // pictures): at its first size the Hugging Face fields fit without scrolling, the
  // model folder's note as tall as its wrapped lines, Browse… inside the window.
  void theHfDialogFitsItsWindow() {
    RunDialog dialog(nullptr);
    dialog.loadPreset(QStringLiteral("llama-3-8b-lora-gpu"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::qWait(50); // the layouts settle
    auto* page = dialog.findChild<QScrollArea*>("runPage");
    QVERIFY(page);
    QVERIFY2(page->widget()->height() <= page->viewport()->height(),
             qPrintable(QString("%1 > %2").arg(page->widget()->height()).arg(page->viewport()->height())));
    auto* note = dialog.findChild<QLabel*>("hfModelNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->height() >= note->heightForWidth(note->width()), qPrintable(QString::number(note->height())));
    auto* folder = dialog.findChild<PathField*>("hfModelFolder");
    QVERIFY(folder->browseButton()->isVisible());
    QVERIFY(folder->browseButton()->mapTo(&dialog, QPoint(folder->browseButton()->width(), 0)).x() <= dialog.width());
    picture(&dialog, "run-dialog-hf");
    auto* tabs = dialog.findChild<QTabWidget*>();
    tabs->setCurrentIndex(1);
    QTest::qWait(50);
    picture(&dialog, "run-dialog-hf-stages");
  }
};

QTEST_MAIN(StageEditorTest)
#include "tst_stage_editor.moc"

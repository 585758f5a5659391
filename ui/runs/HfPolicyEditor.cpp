#include "runs/HfPolicyEditor.h"

#include "runs/PathField.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>

namespace collab::ui {

namespace {
// The CLI's defaults (core/train/HfPolicyConfig.h): CollabLLM's LoRA settings.
constexpr int kDefaultRank = 32;
constexpr double kDefaultAlpha = 16.0;
constexpr double kDefaultDropout = 0.1;
constexpr int kDefaultMaxLength = 2048;
const QString kAllTargets = QStringLiteral("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");

// The dtype names `collab train` reads, long ones mapped to the short ones offered here.
QString shortDtype(const QString& dtype) {
  if (dtype == QLatin1String("bfloat16")) return QStringLiteral("bf16");
  if (dtype == QLatin1String("float16")) return QStringLiteral("f16");
  if (dtype == QLatin1String("float32")) return QStringLiteral("f32");
  return dtype.isEmpty() ? QStringLiteral("auto") : dtype;
}
} // namespace

HfPolicyEditor::HfPolicyEditor(QWidget* parent)
    : QGroupBox(tr("Hugging Face checkpoint"), parent),
      model_(new PathField(PathField::Kind::Folder, tr("Hugging Face checkpoint folder"))), modelNote_(new QLabel),
      lora_(new QCheckBox(tr("Train LoRA adapters (base weights frozen)"))), rank_(new QSpinBox), alpha_(new QDoubleSpinBox),
      dropout_(new QDoubleSpinBox), targets_(new QLineEdit), maxLength_(new QSpinBox), dtype_(new QComboBox) {
  setObjectName(QStringLiteral("hfPolicy"));
  model_->setObjectName(QStringLiteral("hfModelFolder"));
  model_->setPlaceholderText(tr("the checkpoint's folder (required)"));
  model_->setToolTip(tr("A Hugging Face checkpoint folder: config.json (Llama, Mistral or Qwen2), model.safetensors or "
                        "its shards, tokenizer.json and tokenizer_config.json with the chat template"));
  modelNote_->setObjectName(QStringLiteral("hfModelNote"));
  modelNote_->setWordWrap(true);
  modelNote_->setStyleSheet(QStringLiteral("color: #b06000"));
  lora_->setObjectName(QStringLiteral("hfLora"));
  lora_->setToolTip(tr("Checked: a LoRA adapter trains and every base weight stays frozen (each stage writes a PEFT "
                       "adapter). Unchecked: full fine-tuning, every weight trains."));
  maxLength_->setObjectName(QStringLiteral("hfMaxLength"));
  maxLength_->setRange(1, 1 << 20);
  maxLength_->setToolTip(tr("Tokens of a sequence at most: an SFT conversation is cut on the right; a preference's "
                            "prompt loses its beginning, then the replies their end"));
  dtype_->setObjectName(QStringLiteral("hfDtype"));
  dtype_->addItem(tr("auto (bf16 on CUDA, float32 on CPU)"), QStringLiteral("auto"));
  dtype_->addItem(tr("bfloat16"), QStringLiteral("bf16"));
  dtype_->addItem(tr("float16"), QStringLiteral("f16"));
  dtype_->addItem(tr("float32"), QStringLiteral("f32"));
  dtype_->setToolTip(tr("The compute dtype. With LoRA the frozen base is held in it and the adapters in float32; "
                        "full fine-tuning keeps float32 weights and computes under autocast on CUDA. On CPU: float32."));

  auto* form = new QFormLayout(this);
  form->addRow(tr("Model folder"), model_);
  form->addRow(QString(), modelNote_);
  form->addRow(QString(), lora_);
  addLoraFields(form);
  form->addRow(tr("Max length"), maxLength_);
  form->addRow(tr("Compute dtype"), dtype_);
  connect(model_, &PathField::pathChanged, this, &HfPolicyEditor::updateModelNote);
  connect(lora_, &QCheckBox::toggled, this, &HfPolicyEditor::loraToggled);
  reset();
}

void HfPolicyEditor::addLoraFields(QFormLayout* form) {
  rank_->setObjectName(QStringLiteral("hfLoraRank"));
  rank_->setRange(1, 4096);
  rank_->setToolTip(tr("LoRA rank r: the adapter matrices' inner size"));
  alpha_->setObjectName(QStringLiteral("hfLoraAlpha"));
  alpha_->setRange(0.01, 100000.0);
  alpha_->setDecimals(2);
  alpha_->setToolTip(tr("LoRA alpha: the adapter's update is scaled by alpha / r"));
  dropout_->setObjectName(QStringLiteral("hfLoraDropout"));
  dropout_->setRange(0.0, 0.99);
  dropout_->setDecimals(3);
  dropout_->setSingleStep(0.05);
  dropout_->setToolTip(tr("Dropout on the adapter's input, a probability in [0, 1)"));
  targets_->setObjectName(QStringLiteral("hfLoraTargets"));
  targets_->setPlaceholderText(tr("all: %1").arg(kAllTargets));
  targets_->setToolTip(tr("The projections that get an adapter, separated by commas (empty: all seven)"));
  // One row for the three numbers, so that the group stays short.
  auto* numbers = new QHBoxLayout;
  numbers->addWidget(rank_, 1);
  for (const auto& [label, box] : {std::pair{tr("alpha"), static_cast<QWidget*>(alpha_)}, std::pair{tr("dropout"), static_cast<QWidget*>(dropout_)}}) {
    auto* name = new QLabel(label);
    name->setBuddy(box);
    loraLabels_ << name;
    numbers->addSpacing(8);
    numbers->addWidget(name);
    numbers->addWidget(box, 1);
  }
  auto* rankLabel = new QLabel(tr("LoRA rank r"));
  rankLabel->setBuddy(rank_);
  loraLabels_ << rankLabel;
  form->addRow(rankLabel, numbers);
  auto* targetsLabel = new QLabel(tr("Target modules"));
  targetsLabel->setBuddy(targets_);
  loraLabels_ << targetsLabel;
  form->addRow(targetsLabel, targets_);
}

void HfPolicyEditor::setBaseFolder(const QString& folder) {
  model_->setBaseFolder(folder);
  updateModelNote();
}

void HfPolicyEditor::reset() {
  setPolicy({{QStringLiteral("lora"), QJsonObject{}}});
  setDtype(QStringLiteral("auto"));
}

void HfPolicyEditor::setPolicy(const QJsonObject& policy) {
  model_->setPath(policy.value(QStringLiteral("model")).toString());
  const QJsonValue lora = policy.value(QStringLiteral("lora"));
  const QJsonObject settings = lora.toObject();
  lora_->setChecked(lora.isObject());
  rank_->setValue(settings.value(QStringLiteral("r")).toInt(kDefaultRank));
  alpha_->setValue(settings.value(QStringLiteral("alpha")).toDouble(kDefaultAlpha));
  dropout_->setValue(settings.value(QStringLiteral("dropout")).toDouble(kDefaultDropout));
  QStringList targets;
  for (const QJsonValue& t : settings.value(QStringLiteral("targets")).toArray()) targets << t.toString();
  targets_->setText(targets.join(QStringLiteral(", ")));
  maxLength_->setValue(policy.value(QStringLiteral("max_length")).toInt(kDefaultMaxLength));
  loraToggled();
  updateModelNote();
}

QJsonObject HfPolicyEditor::policy() const {
  QJsonObject policy{{QStringLiteral("model"), modelFolder()}, {QStringLiteral("max_length"), maxLength_->value()}};
  if (lora_->isChecked()) {
    QJsonObject lora{{QStringLiteral("r"), rank_->value()}, {QStringLiteral("alpha"), alpha_->value()},
                     {QStringLiteral("dropout"), dropout_->value()}};
    QJsonArray targets;
    for (const QString& t : targets_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
      if (!t.trimmed().isEmpty()) targets.append(t.trimmed());
    if (!targets.isEmpty()) lora[QStringLiteral("targets")] = targets; // none: the CLI's all seven
    policy[QStringLiteral("lora")] = lora;
  }
  return policy;
}

void HfPolicyEditor::setDtype(const QString& dtype) {
  dtype_->setCurrentIndex(std::max(0, dtype_->findData(shortDtype(dtype))));
}

QString HfPolicyEditor::dtype() const {
  return dtype_->currentData().toString();
}

QString HfPolicyEditor::modelFolder() const {
  return model_->path();
}

QString HfPolicyEditor::modelNote() const {
  return modelNote_->text();
}

void HfPolicyEditor::loraToggled() {
  for (QWidget* field : QList<QWidget*>{rank_, alpha_, dropout_, targets_} + loraLabels_) field->setEnabled(lora_->isChecked());
}

// Said before launching: a preset's placeholder path reads as a problem to fix, not as
// a run that fails minutes later.
void HfPolicyEditor::updateModelNote() {
  const QString folder = modelFolder();
  QString note;
  if (folder.isEmpty())
    note = tr("Choose the checkpoint's folder (config.json, model.safetensors, tokenizer.json).");
  else if (!QFileInfo(folder).isDir())
    note = tr("Not a folder on this computer: set it to your copy of the checkpoint (a preset's path is a placeholder).");
  else if (!QFileInfo::exists(QDir(folder).filePath(QStringLiteral("config.json"))))
    note = tr("This folder has no config.json: not a Hugging Face checkpoint.");
  modelNote_->setText(note);
  static_cast<QFormLayout*>(layout())->setRowVisible(modelNote_, !note.isEmpty());
}

} // namespace collab::ui

#include "runs/StageEditor.h"

#include "runs/PathField.h"
#include "runs/ScientificSpinBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>

namespace collab::ui {

namespace {
const QString kSft = QStringLiteral("sft"), kDpo = QStringLiteral("dpo"), kOnline = QStringLiteral("online-dpo"),
              kPpo = QStringLiteral("ppo");

QSpinBox* intBox(int lo, int hi, int value) {
  auto* box = new QSpinBox;
  box->setRange(lo, hi);
  box->setValue(value);
  return box;
}
QDoubleSpinBox* realBox(double lo, double hi, double value, int decimals, double step) {
  auto* box = new QDoubleSpinBox;
  box->setRange(lo, hi);
  box->setDecimals(decimals);
  box->setSingleStep(step);
  box->setValue(value);
  return box;
}
// A weight box whose lowest value (one step below 0) means "as the reward preset sets it".
QDoubleSpinBox* presetOverrideBox(double hi, double value, int decimals, double step) {
  auto* box = realBox(-step, hi, value, decimals, step);
  box->setSpecialValueText(QObject::tr("from preset"));
  return box;
}
QCheckBox* checkBox(const QString& text) {
  return new QCheckBox(text);
}
} // namespace

StageEditor::StageEditor(QWidget* parent)
    : QWidget(parent), form_(new QFormLayout), name_(new QLineEdit), method_(new QComboBox), from_(new QComboBox),
      epochs_(intBox(1, 1000, 1)), batchSize_(intBox(1, 4096, 16)), learningRate_(new ScientificSpinBox(1e-9, 1.0, 1e-3)),
      warmup_(intBox(0, 100000, 0)) {
  method_->setObjectName(QStringLiteral("stageMethod"));
  method_->addItem(tr("SFT"), kSft);
  method_->addItem(tr("Offline DPO (MR pairs)"), kDpo);
  method_->addItem(tr("Online DPO (pairs drawn each round)"), kOnline);
  method_->addItem(tr("PPO (MR as the reward)"), kPpo);
  from_->setEditable(true);
  from_->setToolTip(tr("init (fresh weights), an earlier stage, or a checkpoint already in the output folder"));
  epochs_->setToolTip(tr("Passes over the data; online DPO and PPO: over each round's pairs or responses"));
  learningRate_->setToolTip(tr("The peak learning rate of AdamW (after warm-up; then a cosine decay, except online DPO and PPO)"));

  // A stage has some thirty fields: they scroll, so the dialog keeps a size that fits a screen.
  auto* page = new QWidget;
  page->setLayout(form_);
  auto* scroll = new QScrollArea;
  scroll->setWidget(page);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(scroll);

  form_->addRow(tr("Name"), name_);
  form_->addRow(tr("Method"), method_);
  form_->addRow(tr("Start from"), from_);
  form_->addRow(tr("Epochs"), epochs_);
  form_->addRow(tr("Batch size"), batchSize_);
  form_->addRow(tr("Learning rate"), learningRate_);
  form_->addRow(tr("Warm-up steps"), warmup_);
  addOptimisationFields();
  addDataFields();
  addMethodFields();
  connectChanges();
  methodChanged();
}

void StageEditor::addOptimisationFields() {
  addField(tr("Gradient accumulation"), QStringLiteral("gradient_accumulation_steps"), intBox(1, 4096, 1), 1, {kSft, kDpo, kOnline},
           tr("Micro-batches of the batch size per optimiser step (TRL's gradient_accumulation_steps): a step trains "
              "batch size × this many examples, the batch size at a time, as one step on all of them. Not for PPO."))
      .writtenWhenSet = true;
  addField(tr("Adam ε"), QStringLiteral("adam_epsilon"), new ScientificSpinBox(1e-12, 1.0, 1e-8), 1e-8, {kSft, kDpo, kOnline, kPpo},
           tr("AdamW's ε (TRL's adam_epsilon), added to the root of the second moment"))
      .writtenWhenSet = true;
  addField(tr("Gradient checkpointing"), QStringLiteral("gradient_checkpointing"), checkBox(tr("Recompute layers in backward")),
           false, {kSft, kDpo, kOnline, kPpo},
           tr("Keep only each decoder layer's input in the forward pass and run the layer again in backward: the same "
              "gradients with about one layer's activation memory, for a slower step"))
      .writtenWhenSet = true;
}

void StageEditor::addDataFields() {
  auto* dataFile = new PathField(PathField::Kind::File, tr("Training data (JSON lines)"),
                             tr("JSON lines (*.jsonl *.json);;All files (*)"));
  dataFile->setPlaceholderText(tr("none: the project's data only"));
  MethodField& file = addField(tr("Data file"), QStringLiteral("data"), dataFile, QString(), {kSft, kDpo},
                               tr("A JSONL file: {\"messages\": [...]} rows for SFT (CollabLLM's and TRL's format), "
                                  "{prompt, chosen, rejected} rows for DPO"));
  file.policy = Policy::HuggingFace;
  file.writtenWhenSet = true;
  MethodField& project = addField(tr("Project data"), QStringLiteral("project_data"),
                                  checkBox(tr("Train on the project's conversations")), false, {kSft, kDpo},
                                  tr("SFT: each tree's best path by MR (as collab export --format sft); DPO: the best-vs-worst "
                                     "MR pairs per turn with the stage's minimum gap (as collab export --format dpo). "
                                     "Needs the run's --project."));
  project.policy = Policy::HuggingFace;
  project.writtenWhenSet = true;
  MethodField& human = addField(tr("Human preferences"), QStringLiteral("human_preferences"),
                                checkBox(tr("Train on the annotators' preferences")), false, {kDpo},
                                tr("DPO: the annotators' pairwise verdicts and rankings in the project, besides the data above"));
  human.policy = Policy::HuggingFace;
  human.writtenWhenSet = true;
}

void StageEditor::addMethodFields() {
  const QStringList mrMethods{kDpo, kOnline, kPpo};
  addField(tr("DPO β"), QStringLiteral("beta"), realBox(0.001, 10.0, 0.1, 3, 0.05), 0.1, {kDpo, kOnline});
  addField(tr("Rounds"), QStringLiteral("rounds"), intBox(1, 10000, 4), 4, {kOnline, kPpo},
           tr("Rounds of sampling with the current policy, scoring by MR, then updates"))
      .policy = Policy::Builtin;
  addField(tr("MR window"), QStringLiteral("mr_window"), intBox(0, 8, 2), 2, mrMethods,
           tr("MR window w in exchanges; 0 is the single-turn reward ablation"))
      .policy = Policy::Builtin;
  addField(tr("MR samples"), QStringLiteral("mr_samples"), intBox(1, 64, 3), 3, mrMethods, tr("MR samples S per candidate"))
      .policy = Policy::Builtin;
  addField(tr("Candidates"), QStringLiteral("candidates"), intBox(1, 16, 3), 3, mrMethods,
           tr("Acts drawn per turn (DPO: at least 2; PPO: responses per state)"))
      .policy = Policy::Builtin;
  addRewardPreset(mrMethods);
  MethodField& lambda = addField(tr("Token λ"), QStringLiteral("token_lambda"), presetOverrideBox(1.0, 5e-4, 5, 1e-4), 5e-4, mrMethods,
                                 tr("Efficiency: token penalty λ per token in R*; lowest value: as the reward preset sets it"));
  lambda.presetCanSet = true;
  lambda.policy = Policy::Builtin;
  MethodField& interactivity =
      addField(tr("Interactivity weight"), QStringLiteral("interactivity_weight"), presetOverrideBox(10.0, 1.0, 2, 0.1), 1.0,
               mrMethods, tr("Weight of the interactivity judge in R*; lowest value: as the reward preset sets it"));
  interactivity.presetCanSet = true;
  interactivity.policy = Policy::Builtin;
  addField(tr("Tasks / family"), QStringLiteral("pair_tasks_per_family"), intBox(1, 100000, 60), 60, mrMethods,
           tr("Conversations per family along which candidates are drawn (online DPO and PPO: per round)"))
      .policy = Policy::Builtin;
  // PPO samples the built-in policy only.
  addField(tr("KL coefficient"), QStringLiteral("kl_coef"), realBox(0.0, 10.0, 0.05, 4, 0.01), 0.05, {kPpo},
           tr("Per-token penalty −kl_coef·(log π − log π_ref) to the reference"))
      .policy = Policy::Builtin;
  addField(tr("γ"), QStringLiteral("gamma"), realBox(0.0, 1.0, 1.0, 3, 0.01), 1.0, {kPpo}, tr("Discount over a response's tokens"))
      .policy = Policy::Builtin;
  addField(tr("GAE λ"), QStringLiteral("lam"), realBox(0.0, 1.0, 0.95, 3, 0.01), 0.95, {kPpo}).policy = Policy::Builtin;
  addField(tr("Clip range ε"), QStringLiteral("cliprange"), realBox(0.001, 10.0, 0.2, 3, 0.05), 0.2, {kPpo}).policy = Policy::Builtin;
  addField(tr("Value clip range"), QStringLiteral("cliprange_value"), realBox(0.001, 100.0, 0.2, 3, 0.05), 0.2, {kPpo}).policy =
      Policy::Builtin;
  addField(tr("Value loss weight"), QStringLiteral("vf_coef"), realBox(0.0, 100.0, 0.1, 3, 0.05), 0.1, {kPpo}).policy = Policy::Builtin;
}

void StageEditor::connectChanges() {
  connect(method_, &QComboBox::currentIndexChanged, this, &StageEditor::methodChanged);
  connect(name_, &QLineEdit::textChanged, this, &StageEditor::changed);
  for (QSpinBox* box : findChildren<QSpinBox*>()) connect(box, &QSpinBox::valueChanged, this, &StageEditor::changed);
  for (QDoubleSpinBox* box : findChildren<QDoubleSpinBox*>()) connect(box, &QDoubleSpinBox::valueChanged, this, &StageEditor::changed);
  for (QCheckBox* box : findChildren<QCheckBox*>()) connect(box, &QCheckBox::toggled, this, &StageEditor::changed);
  for (PathField* path : findChildren<PathField*>()) connect(path, &PathField::pathChanged, this, &StageEditor::changed);
  connect(from_, &QComboBox::currentTextChanged, this, &StageEditor::changed);
}

StageEditor::MethodField& StageEditor::addField(const QString& label, const QString& key, QWidget* box,
                                                const QJsonValue& defaultValue, const QStringList& methods,
                                                const QString& toolTip) {
  box->setObjectName(QStringLiteral("stage_") + key);
  if (!toolTip.isEmpty()) box->setToolTip(toolTip);
  form_->addRow(label, box);
  fields_.append({key, box, defaultValue, methods});
  return fields_.last();
}

void StageEditor::addRewardPreset(const QStringList& methods) {
  rewardPreset_ = new QComboBox;
  rewardPreset_->setObjectName(QStringLiteral("stage_reward_preset"));
  rewardPreset_->addItem(tr("None: the weights below"), QString());
  rewardPreset_->addItem(tr("paper (v1: interactivity 1 for every task)"), QStringLiteral("paper"));
  rewardPreset_->addItem(tr("library (released package: interactivity for math only)"), QStringLiteral("library"));
  rewardPreset_->setToolTip(tr("R* weights chosen per task family by its metric, as the reference set them; "
                               "a weight given below overrides the preset for every family"));
  form_->addRow(tr("Reward preset"), rewardPreset_);
  presetMethods_ = methods;
  connect(rewardPreset_, &QComboBox::currentIndexChanged, this, &StageEditor::changed);
}

bool StageEditor::policyTakes(Policy policy) const {
  return policy == Policy::Any || (policy == Policy::HuggingFace) == hf_;
}

bool StageEditor::takes(const MethodField& field, const QString& method) const {
  return field.methods.contains(method) && policyTakes(field.policy);
}

QJsonValue StageEditor::valueOf(const MethodField& field) {
  if (auto* integer = qobject_cast<QSpinBox*>(field.box)) return integer->value();
  if (auto* real = qobject_cast<QDoubleSpinBox*>(field.box)) return real->value();
  if (auto* flag = qobject_cast<QCheckBox*>(field.box)) return flag->isChecked();
  return static_cast<PathField*>(field.box)->path();
}

void StageEditor::show(const MethodField& field, const QJsonValue& value) {
  if (auto* integer = qobject_cast<QSpinBox*>(field.box)) integer->setValue(value.toInt());
  else if (auto* real = qobject_cast<QDoubleSpinBox*>(field.box)) real->setValue(value.toDouble());
  else if (auto* flag = qobject_cast<QCheckBox*>(field.box)) flag->setChecked(value.toBool());
  else static_cast<PathField*>(field.box)->setPath(value.toString());
}

void StageEditor::setBaseFolder(const QString& folder) {
  for (PathField* path : findChildren<PathField*>()) path->setBaseFolder(folder);
}

void StageEditor::setHuggingFacePolicy(bool hf) {
  hf_ = hf;
  // A Hugging Face checkpoint trains SFT and DPO stages; online DPO and PPO sample the
  // built-in policy. A stage that has one keeps it, and `collab train --check` says why.
  auto* items = qobject_cast<QStandardItemModel*>(method_->model());
  for (const QString& method : {kOnline, kPpo}) {
    QStandardItem* item = items->item(method_->findData(method));
    item->setEnabled(!hf);
    item->setToolTip(hf ? tr("Samples the built-in policy only") : QString());
  }
  methodChanged();
}

void StageEditor::methodChanged() {
  const QString method = method_->currentData().toString();
  for (const MethodField& f : fields_) {
    form_->setRowVisible(f.box, policyTakes(f.policy));
    f.box->setEnabled(f.methods.contains(method));
    if (QWidget* label = form_->labelForField(f.box)) label->setEnabled(f.box->isEnabled());
  }
  form_->setRowVisible(rewardPreset_, !hf_);
  rewardPreset_->setEnabled(presetMethods_.contains(method));
  if (QWidget* label = form_->labelForField(rewardPreset_)) label->setEnabled(rewardPreset_->isEnabled());
  emit changed();
}

void StageEditor::setStartingPoints(const QStringList& names) {
  const QString current = from_->currentText();
  QSignalBlocker blocker(from_);
  from_->clear();
  from_->addItems(names);
  from_->setCurrentText(current.isEmpty() ? names.value(names.size() - 1) : current);
}

void StageEditor::setStage(const QJsonObject& s) {
  original_ = s;
  name_->setText(s.value(QStringLiteral("name")).toString());
  method_->setCurrentIndex(std::max(0, method_->findData(s.value(QStringLiteral("method")).toString(kSft))));
  from_->setCurrentText(s.value(QStringLiteral("from")).toString());
  epochs_->setValue(s.value(QStringLiteral("epochs")).toInt(1));
  batchSize_->setValue(s.value(QStringLiteral("batch_size")).toInt(16));
  learningRate_->setValue(s.value(QStringLiteral("learning_rate")).toDouble(1e-3));
  warmup_->setValue(s.value(QStringLiteral("warmup_steps")).toInt(0));
  const QString preset = s.value(QStringLiteral("reward_preset")).toString();
  rewardPreset_->setCurrentIndex(std::max(0, rewardPreset_->findData(preset)));
  for (const MethodField& f : fields_) {
    auto* real = qobject_cast<QDoubleSpinBox*>(f.box);
    if (f.presetCanSet && !preset.isEmpty() && !s.contains(f.key)) real->setValue(real->minimum());
    else show(f, s.contains(f.key) ? s.value(f.key) : f.defaultValue);
  }
}

QJsonObject StageEditor::stage() const {
  QJsonObject s = original_;
  const QString method = method_->currentData().toString();
  s[QStringLiteral("name")] = name_->text().trimmed();
  s[QStringLiteral("method")] = method;
  if (!from_->currentText().isEmpty()) s[QStringLiteral("from")] = from_->currentText();
  s[QStringLiteral("epochs")] = epochs_->value();
  s[QStringLiteral("batch_size")] = batchSize_->value();
  s[QStringLiteral("learning_rate")] = learningRate_->value();
  s[QStringLiteral("warmup_steps")] = warmup_->value();
  const QString preset = rewardPreset_->currentData().toString();
  if (preset.isEmpty() || !presetMethods_.contains(method) || hf_) s.remove(QStringLiteral("reward_preset"));
  else s[QStringLiteral("reward_preset")] = preset;
  for (const MethodField& f : fields_) {
    const QJsonValue value = valueOf(f);
    if (!takes(f, method)) s.remove(f.key); // another method's or policy's field: the stage does not take it
    else if (f.presetCanSet && value.toDouble() == qobject_cast<QDoubleSpinBox*>(f.box)->minimum()) {
      // "from preset"; without a preset, the documented default stands in.
      if (preset.isEmpty()) s[f.key] = f.defaultValue;
      else s.remove(f.key);
    } else if (f.writtenWhenSet && value == f.defaultValue && !original_.contains(f.key)) s.remove(f.key);
    else s[f.key] = value;
  }
  return s;
}

QString StageEditor::name() const {
  return name_->text().trimmed();
}

} // namespace collab::ui

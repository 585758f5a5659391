#include "runs/StageEditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace collab::ui {

namespace {
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
} // namespace

StageEditor::StageEditor(QWidget* parent)
    : QWidget(parent), name_(new QLineEdit), method_(new QComboBox), from_(new QComboBox), epochs_(intBox(1, 1000, 1)),
      batchSize_(intBox(1, 4096, 16)), learningRate_(realBox(1e-7, 1.0, 1e-3, 6, 1e-4)), warmup_(intBox(0, 100000, 0)) {
  method_->setObjectName(QStringLiteral("stageMethod"));
  method_->addItem(tr("SFT"), QStringLiteral("sft"));
  method_->addItem(tr("Offline DPO (MR pairs)"), QStringLiteral("dpo"));
  method_->addItem(tr("Online DPO (pairs drawn each round)"), QStringLiteral("online-dpo"));
  method_->addItem(tr("PPO (MR as the reward)"), QStringLiteral("ppo"));
  from_->setEditable(true);
  from_->setToolTip(tr("init (fresh weights), an earlier stage, or a checkpoint already in the output folder"));
  epochs_->setToolTip(tr("Passes over the data; online DPO and PPO: over each round's pairs or responses"));

  auto* form = new QFormLayout(this);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Method"), method_);
  form->addRow(tr("Start from"), from_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Batch size"), batchSize_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Warm-up steps"), warmup_);
  const QString dpo = QStringLiteral("dpo"), online = QStringLiteral("online-dpo"), ppo = QStringLiteral("ppo");
  addField(tr("DPO β"), QStringLiteral("beta"), realBox(0.001, 10.0, 0.1, 3, 0.05), 0.1, {dpo, online});
  addField(tr("Rounds"), QStringLiteral("rounds"), intBox(1, 10000, 4), 4, {online, ppo},
           tr("Rounds of sampling with the current policy, scoring by MR, then updates"));
  addField(tr("MR window"), QStringLiteral("mr_window"), intBox(0, 8, 2), 2, {dpo, online, ppo},
           tr("MR window w in exchanges; 0 is the single-turn reward ablation"));
  addField(tr("MR samples"), QStringLiteral("mr_samples"), intBox(1, 64, 3), 3, {dpo, online, ppo},
           tr("MR samples S per candidate"));
  addField(tr("Candidates"), QStringLiteral("candidates"), intBox(1, 16, 3), 3, {dpo, online, ppo},
           tr("Acts drawn per turn (DPO: at least 2; PPO: responses per state)"));
  addRewardPreset({dpo, online, ppo});
  addField(tr("Token λ"), QStringLiteral("token_lambda"), presetOverrideBox(1.0, 5e-4, 5, 1e-4), 5e-4, {dpo, online, ppo},
           tr("Efficiency: token penalty λ per token in R*; lowest value: as the reward preset sets it"));
  fields_.last().presetCanSet = true;
  addField(tr("Interactivity weight"), QStringLiteral("interactivity_weight"), presetOverrideBox(10.0, 1.0, 2, 0.1), 1.0,
           {dpo, online, ppo}, tr("Weight of the interactivity judge in R*; lowest value: as the reward preset sets it"));
  fields_.last().presetCanSet = true;
  addField(tr("Tasks / family"), QStringLiteral("pair_tasks_per_family"), intBox(1, 100000, 60), 60, {dpo, online, ppo},
           tr("Conversations per family along which candidates are drawn (online DPO and PPO: per round)"));
  addField(tr("KL coefficient"), QStringLiteral("kl_coef"), realBox(0.0, 10.0, 0.05, 4, 0.01), 0.05, {ppo},
           tr("Per-token penalty −kl_coef·(log π − log π_ref) to the reference"));
  addField(tr("γ"), QStringLiteral("gamma"), realBox(0.0, 1.0, 1.0, 3, 0.01), 1.0, {ppo}, tr("Discount over a response's tokens"));
  addField(tr("GAE λ"), QStringLiteral("lam"), realBox(0.0, 1.0, 0.95, 3, 0.01), 0.95, {ppo});
  addField(tr("Clip range ε"), QStringLiteral("cliprange"), realBox(0.001, 10.0, 0.2, 3, 0.05), 0.2, {ppo});
  addField(tr("Value clip range"), QStringLiteral("cliprange_value"), realBox(0.001, 100.0, 0.2, 3, 0.05), 0.2, {ppo});
  addField(tr("Value loss weight"), QStringLiteral("vf_coef"), realBox(0.0, 100.0, 0.1, 3, 0.05), 0.1, {ppo});

  connect(method_, &QComboBox::currentIndexChanged, this, &StageEditor::methodChanged);
  connect(name_, &QLineEdit::textChanged, this, &StageEditor::changed);
  for (QSpinBox* box : findChildren<QSpinBox*>()) connect(box, &QSpinBox::valueChanged, this, &StageEditor::changed);
  for (QDoubleSpinBox* box : findChildren<QDoubleSpinBox*>()) connect(box, &QDoubleSpinBox::valueChanged, this, &StageEditor::changed);
  connect(from_, &QComboBox::currentTextChanged, this, &StageEditor::changed);
  methodChanged();
}

void StageEditor::addField(const QString& label, const QString& key, QWidget* box, double defaultValue,
                           const QStringList& methods, const QString& toolTip) {
  box->setObjectName(QStringLiteral("stage_") + key);
  if (!toolTip.isEmpty()) box->setToolTip(toolTip);
  static_cast<QFormLayout*>(layout())->addRow(label, box);
  fields_.append({key, qobject_cast<QSpinBox*>(box), qobject_cast<QDoubleSpinBox*>(box), defaultValue, methods});
}

void StageEditor::addRewardPreset(const QStringList& methods) {
  rewardPreset_ = new QComboBox;
  rewardPreset_->setObjectName(QStringLiteral("stage_reward_preset"));
  rewardPreset_->addItem(tr("None: the weights below"), QString());
  rewardPreset_->addItem(tr("paper (v1: interactivity 1 for every task)"), QStringLiteral("paper"));
  rewardPreset_->addItem(tr("library (released package: interactivity for math only)"), QStringLiteral("library"));
  rewardPreset_->setToolTip(tr("R* weights chosen per task family by its metric, as the reference set them; "
                               "a weight given below overrides the preset for every family"));
  static_cast<QFormLayout*>(layout())->addRow(tr("Reward preset"), rewardPreset_);
  presetMethods_ = methods;
  connect(rewardPreset_, &QComboBox::currentIndexChanged, this, &StageEditor::changed);
}

void StageEditor::methodChanged() {
  const QString method = method_->currentData().toString();
  auto* form = static_cast<QFormLayout*>(layout());
  for (const MethodField& f : fields_) {
    QWidget* box = f.integer ? static_cast<QWidget*>(f.integer) : f.real;
    box->setEnabled(f.methods.contains(method));
    if (QWidget* label = form->labelForField(box)) label->setEnabled(box->isEnabled());
  }
  rewardPreset_->setEnabled(presetMethods_.contains(method));
  if (QWidget* label = form->labelForField(rewardPreset_)) label->setEnabled(rewardPreset_->isEnabled());
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
  method_->setCurrentIndex(std::max(0, method_->findData(s.value(QStringLiteral("method")).toString(QStringLiteral("sft")))));
  from_->setCurrentText(s.value(QStringLiteral("from")).toString());
  epochs_->setValue(s.value(QStringLiteral("epochs")).toInt(1));
  batchSize_->setValue(s.value(QStringLiteral("batch_size")).toInt(16));
  learningRate_->setValue(s.value(QStringLiteral("learning_rate")).toDouble(1e-3));
  warmup_->setValue(s.value(QStringLiteral("warmup_steps")).toInt(0));
  const QString preset = s.value(QStringLiteral("reward_preset")).toString();
  rewardPreset_->setCurrentIndex(std::max(0, rewardPreset_->findData(preset)));
  for (const MethodField& f : fields_) {
    if (f.integer) f.integer->setValue(s.value(f.key).toInt(static_cast<int>(f.defaultValue)));
    else if (f.presetCanSet && !preset.isEmpty() && !s.contains(f.key)) f.real->setValue(f.real->minimum());
    else f.real->setValue(s.value(f.key).toDouble(f.defaultValue));
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
  if (preset.isEmpty() || !presetMethods_.contains(method)) s.remove(QStringLiteral("reward_preset"));
  else s[QStringLiteral("reward_preset")] = preset;
  for (const MethodField& f : fields_) {
    if (!f.methods.contains(method)) s.remove(f.key); // another method's field: the stage does not take it
    else if (f.integer) s[f.key] = f.integer->value();
    else if (f.presetCanSet && f.real->value() == f.real->minimum()) {
      // "from preset"; without a preset, the documented default stands in.
      if (preset.isEmpty()) s[f.key] = f.defaultValue;
      else s.remove(f.key);
    } else s[f.key] = f.real->value();
  }
  return s;
}

QString StageEditor::name() const {
  return name_->text().trimmed();
}

} // namespace collab::ui

#include "runs/StageEditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>

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
} // namespace

StageEditor::StageEditor(QWidget* parent)
    : QWidget(parent), name_(new QLineEdit), method_(new QComboBox), from_(new QComboBox), epochs_(intBox(1, 1000, 1)),
      batchSize_(intBox(1, 4096, 16)), learningRate_(realBox(1e-7, 1.0, 1e-3, 6, 1e-4)), warmup_(intBox(0, 100000, 0)),
      beta_(realBox(0.001, 10.0, 0.1, 3, 0.05)), window_(intBox(0, 8, 2)), samples_(intBox(1, 64, 3)),
      candidates_(intBox(2, 16, 3)), tokenLambda_(realBox(0.0, 1.0, 5e-4, 5, 1e-4)),
      interactivity_(realBox(0.0, 10.0, 1.0, 2, 0.1)), pairTasks_(intBox(1, 100000, 60)) {
  method_->setObjectName(QStringLiteral("stageMethod"));
  method_->addItem(tr("SFT"), QStringLiteral("sft"));
  method_->addItem(tr("Offline DPO (MR pairs)"), QStringLiteral("dpo"));
  method_->addItem(tr("Online DPO"), QStringLiteral("dpo-online"));
  method_->addItem(tr("PPO"), QStringLiteral("ppo"));
  // Shown so that people see where the method is going; `collab train` refuses them today.
  auto* items = qobject_cast<QStandardItemModel*>(method_->model());
  for (int row : {2, 3}) {
    items->item(row)->setEnabled(false);
    items->item(row)->setToolTip(tr("Not available yet: collab train runs SFT and offline DPO stages"));
  }
  from_->setEditable(true);
  from_->setToolTip(tr("init (fresh weights), an earlier stage, or a checkpoint already in the output folder"));
  window_->setToolTip(tr("MR window w in exchanges; 0 is the single-turn reward ablation"));
  samples_->setToolTip(tr("MR samples S per candidate"));
  tokenLambda_->setToolTip(tr("Efficiency: token penalty λ per token in R*"));
  interactivity_->setToolTip(tr("Weight of the interactivity judge in R*"));

  auto* form = new QFormLayout(this);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Method"), method_);
  form->addRow(tr("Start from"), from_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Batch size"), batchSize_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Warm-up steps"), warmup_);
  const QList<QPair<QString, QWidget*>> dpo = {{tr("DPO β"), beta_},          {tr("MR window"), window_},
                                               {tr("MR samples"), samples_},  {tr("Candidates"), candidates_},
                                               {tr("Token λ"), tokenLambda_}, {tr("Interactivity weight"), interactivity_},
                                               {tr("Pair tasks / family"), pairTasks_}};
  for (const auto& [label, field] : dpo) {
    form->addRow(label, field);
    dpoOnly_ << field << form->labelForField(field);
  }
  connect(method_, &QComboBox::currentIndexChanged, this, &StageEditor::methodChanged);
  connect(name_, &QLineEdit::textChanged, this, &StageEditor::changed);
  for (QSpinBox* box : findChildren<QSpinBox*>()) connect(box, &QSpinBox::valueChanged, this, &StageEditor::changed);
  for (QDoubleSpinBox* box : findChildren<QDoubleSpinBox*>()) connect(box, &QDoubleSpinBox::valueChanged, this, &StageEditor::changed);
  connect(from_, &QComboBox::currentTextChanged, this, &StageEditor::changed);
  methodChanged();
}

void StageEditor::methodChanged() {
  const bool dpo = method_->currentData().toString() == QLatin1String("dpo");
  for (QWidget* w : dpoOnly_) w->setEnabled(dpo);
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
  beta_->setValue(s.value(QStringLiteral("beta")).toDouble(0.1));
  window_->setValue(s.value(QStringLiteral("mr_window")).toInt(2));
  samples_->setValue(s.value(QStringLiteral("mr_samples")).toInt(3));
  candidates_->setValue(s.value(QStringLiteral("candidates")).toInt(3));
  tokenLambda_->setValue(s.value(QStringLiteral("token_lambda")).toDouble(5e-4));
  interactivity_->setValue(s.value(QStringLiteral("interactivity_weight")).toDouble(1.0));
  pairTasks_->setValue(s.value(QStringLiteral("pair_tasks_per_family")).toInt(60));
}

QJsonObject StageEditor::stage() const {
  QJsonObject s = original_;
  s[QStringLiteral("name")] = name_->text().trimmed();
  s[QStringLiteral("method")] = method_->currentData().toString();
  if (!from_->currentText().isEmpty()) s[QStringLiteral("from")] = from_->currentText();
  s[QStringLiteral("epochs")] = epochs_->value();
  s[QStringLiteral("batch_size")] = batchSize_->value();
  s[QStringLiteral("learning_rate")] = learningRate_->value();
  s[QStringLiteral("warmup_steps")] = warmup_->value();
  const QStringList dpoKeys = {QStringLiteral("beta"),         QStringLiteral("mr_window"),    QStringLiteral("mr_samples"),
                               QStringLiteral("candidates"),   QStringLiteral("token_lambda"), QStringLiteral("interactivity_weight"),
                               QStringLiteral("pair_tasks_per_family")};
  if (method_->currentData().toString() == QLatin1String("dpo")) {
    s[dpoKeys[0]] = beta_->value();
    s[dpoKeys[1]] = window_->value();
    s[dpoKeys[2]] = samples_->value();
    s[dpoKeys[3]] = candidates_->value();
    s[dpoKeys[4]] = tokenLambda_->value();
    s[dpoKeys[5]] = interactivity_->value();
    s[dpoKeys[6]] = pairTasks_->value();
  } else {
    for (const QString& key : dpoKeys) s.remove(key); // SFT takes none of them
  }
  return s;
}

QString StageEditor::name() const {
  return name_->text().trimmed();
}

} // namespace collab::ui

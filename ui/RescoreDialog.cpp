#include "RescoreDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace collab::ui {

namespace {
QDoubleSpinBox* weightBox(double value, double low, double high, int decimals) {
  auto* box = new QDoubleSpinBox;
  box->setRange(low, high);
  box->setDecimals(decimals);
  box->setSingleStep(std::pow(10.0, -std::min(decimals, 2)));
  box->setValue(value);
  return box;
}
} // namespace

RescoreDialog::RescoreDialog(const reward::RewardConfig& start, QWidget* parent)
    : QDialog(parent), start_(start), samples_(new QSpinBox), window_(new QSpinBox),
      taskWeight_(weightBox(start.taskWeight, -10, 10, 2)),
      interactivityWeight_(weightBox(start.interactivityWeight, -10, 10, 2)),
      lambda_(weightBox(start.tokenLambda, 0, 0.1, 5)), seed_(new QSpinBox) {
  setObjectName(QStringLiteral("rescoreDialog"));
  setWindowTitle(tr("Re-score turn"));
  samples_->setRange(1, 32);
  samples_->setValue(start.samples);
  window_->setRange(0, 10);
  window_->setValue(start.window);
  window_->setSpecialValueText(tr("0 (single-turn reward)"));
  seed_->setRange(0, 1000000);
  seed_->setValue(static_cast<int>(start.seed));

  auto* form = new QFormLayout;
  form->addRow(tr("Sampled futures (S)"), samples_);
  form->addRow(tr("Window (w, exchanges)"), window_);
  form->addRow(tr("Task weight"), taskWeight_);
  form->addRow(tr("Interactivity weight"), interactivityWeight_);
  form->addRow(tr("Token cost (λ per token)"), lambda_);
  form->addRow(tr("Seed of the simulated users"), seed_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Re-score"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  auto* note = new QLabel(tr("The new score is stored beside the old one, with its own config."));
  note->setWordWrap(true);
  layout->addWidget(note);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

reward::RewardConfig RescoreDialog::config() const {
  reward::RewardConfig config = start_; // judge, simulator, counter: as the turn was scored
  config.samples = samples_->value();
  config.window = window_->value();
  config.taskWeight = taskWeight_->value();
  config.interactivityWeight = interactivityWeight_->value();
  config.tokenLambda = lambda_->value();
  config.seed = static_cast<unsigned long long>(seed_->value());
  return config;
}

} // namespace collab::ui

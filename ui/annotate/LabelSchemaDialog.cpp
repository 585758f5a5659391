#include "LabelSchemaDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace collab::ui {

namespace {

using annotation::LabelKind;
using annotation::LabelLevel;

QString qs(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

QString labelRowText(const annotation::LabelDefinition& label) {
  return QStringLiteral("%1  ·  %2, %3").arg(QString::fromStdString(label.name), qs(annotation::toString(label.kind)),
                                              qs(annotation::toString(label.level)));
}

enum Column { ValueColumn, TextColumn, ShortcutColumn };

// What a new label of `kind` offers before it is edited: yes / no for labels, the core's
// defaults (a 1..5 scale, the four verdicts) for the others.
std::vector<annotation::LabelOption> startingOptions(LabelKind kind) {
  if (kind == LabelKind::Label || kind == LabelKind::MultiLabel) return {{"yes", "Yes", ""}, {"no", "No", ""}};
  return annotation::defaultOptions(kind);
}

} // namespace

LabelSchemaDialog::LabelSchemaDialog(annotation::LabelSchema schema, QWidget* parent)
    : QDialog(parent), schema_(std::move(schema)), labels_(new QListWidget(this)), name_(new QLineEdit(this)),
      kind_(new QComboBox(this)), level_(new QComboBox(this)), description_(new QLineEdit(this)),
      options_(new QTableWidget(0, 3, this)), recorder_(new QKeySequenceEdit(this)), problems_(new QListWidget(this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
  setWindowTitle(tr("Label schema"));
  labels_->setObjectName(QStringLiteral("schemaLabels"));
  name_->setObjectName(QStringLiteral("schemaLabelName"));
  options_->setObjectName(QStringLiteral("schemaOptions"));
  problems_->setObjectName(QStringLiteral("schemaProblems"));
  for (auto name : annotation::labelKindNames()) kind_->addItem(qs(name));
  for (auto name : annotation::labelLevelNames()) level_->addItem(qs(name));
  options_->setHorizontalHeaderLabels({tr("Value (stored)"), tr("Text (shown)"), tr("Shortcut")});
  options_->horizontalHeader()->setSectionResizeMode(TextColumn, QHeaderView::Stretch);
  options_->verticalHeader()->hide();
  recorder_->setToolTip(tr("Press a key to make it the selected option's shortcut"));
  problems_->setMaximumHeight(problems_->fontMetrics().lineSpacing() * 5 + 8);

  // Left: the labels.
  auto* add = new QToolButton(this);
  add->setText(tr("Add"));
  add->setPopupMode(QToolButton::InstantPopup);
  auto* addMenu = new QMenu(add);
  for (auto name : annotation::labelKindNames())
    addMenu->addAction(qs(name), this, [this, name] { addLabel(*annotation::parseLabelKind(name)); });
  add->setMenu(addMenu);
  auto* remove = new QPushButton(tr("Remove"), this);
  auto* up = new QPushButton(tr("Up"), this);
  auto* down = new QPushButton(tr("Down"), this);
  auto* labelButtons = new QHBoxLayout;
  labelButtons->addWidget(add);
  for (QPushButton* b : {remove, up, down}) labelButtons->addWidget(b);
  auto* left = new QVBoxLayout;
  left->addWidget(new QLabel(tr("Labels, in the order annotators see them"), this));
  left->addWidget(labels_, 1);
  left->addLayout(labelButtons);

  // Right: the selected label.
  auto* form = new QFormLayout;
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Kind"), kind_);
  form->addRow(tr("Level"), level_);
  form->addRow(tr("Question"), description_);
  auto* addOptionButton = new QPushButton(tr("Add option"), this);
  auto* removeOptionButton = new QPushButton(tr("Remove option"), this);
  auto* optionButtons = new QHBoxLayout;
  optionButtons->addWidget(addOptionButton);
  optionButtons->addWidget(removeOptionButton);
  optionButtons->addStretch(1);
  optionButtons->addWidget(new QLabel(tr("Record shortcut:"), this));
  optionButtons->addWidget(recorder_);
  auto* right = new QVBoxLayout;
  right->addLayout(form);
  right->addWidget(options_, 1);
  right->addLayout(optionButtons);

  auto* columns = new QHBoxLayout;
  columns->addLayout(left, 2);
  columns->addLayout(right, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(columns, 1);
  layout->addWidget(problems_);
  layout->addWidget(buttons_);

  connect(labels_, &QListWidget::currentRowChanged, this, &LabelSchemaDialog::selectLabel);
  connect(remove, &QPushButton::clicked, this, &LabelSchemaDialog::removeLabel);
  connect(up, &QPushButton::clicked, this, [this] { moveLabel(-1); });
  connect(down, &QPushButton::clicked, this, [this] { moveLabel(1); });
  connect(addOptionButton, &QPushButton::clicked, this, &LabelSchemaDialog::addOption);
  connect(removeOptionButton, &QPushButton::clicked, this, &LabelSchemaDialog::removeOption);
  connect(name_, &QLineEdit::textEdited, this, &LabelSchemaDialog::readForm);
  connect(description_, &QLineEdit::textEdited, this, &LabelSchemaDialog::readForm);
  connect(level_, &QComboBox::currentIndexChanged, this, &LabelSchemaDialog::readForm);
  connect(kind_, &QComboBox::currentIndexChanged, this, &LabelSchemaDialog::kindChanged);
  connect(options_, &QTableWidget::cellChanged, this, &LabelSchemaDialog::readOptions);
  connect(recorder_, &QKeySequenceEdit::editingFinished, this, &LabelSchemaDialog::recordShortcut);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  for (const auto& label : schema_.labels) labels_->addItem(labelRowText(label));
  resize(900, 560);
  selectLabel(schema_.labels.empty() ? -1 : 0);
  labels_->setCurrentRow(row_);
}

QStringList LabelSchemaDialog::problems() const {
  QStringList list;
  for (const auto& problem : annotation::validate(schema_)) list << QString::fromStdString(problem.message());
  return list;
}

annotation::LabelDefinition* LabelSchemaDialog::current() {
  return row_ >= 0 && row_ < static_cast<int>(schema_.labels.size()) ? &schema_.labels[static_cast<std::size_t>(row_)] : nullptr;
}

void LabelSchemaDialog::selectLabel(int row) {
  row_ = row;
  showLabel();
  refresh();
}

void LabelSchemaDialog::showLabel() {
  loading_ = true;
  const annotation::LabelDefinition* label = current();
  for (QWidget* w : std::initializer_list<QWidget*>{name_, kind_, level_, description_, options_, recorder_}) w->setEnabled(label != nullptr);
  name_->setText(label ? QString::fromStdString(label->name) : QString());
  kind_->setCurrentIndex(label ? static_cast<int>(label->kind) : 0);
  level_->setCurrentIndex(label ? static_cast<int>(label->level) : 0);
  description_->setText(label ? QString::fromStdString(label->description) : QString());
  options_->setRowCount(0);
  if (label)
    for (const auto& option : label->options) {
      const int row = options_->rowCount();
      options_->insertRow(row);
      options_->setItem(row, ValueColumn, new QTableWidgetItem(QString::fromStdString(option.value)));
      options_->setItem(row, TextColumn, new QTableWidgetItem(QString::fromStdString(option.text)));
      options_->setItem(row, ShortcutColumn, new QTableWidgetItem(QString::fromStdString(option.shortcut)));
    }
  // Pairwise options are fixed (their values are the verdicts); only text and key change.
  const bool fixedOptions = label && label->kind == LabelKind::Pairwise;
  options_->setEnabled(label && annotation::hasOptions(label->kind));
  for (int row = 0; row < options_->rowCount(); ++row)
    if (fixedOptions) options_->item(row, ValueColumn)->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  loading_ = false;
}

void LabelSchemaDialog::readForm() {
  annotation::LabelDefinition* label = current();
  if (loading_ || !label) return;
  label->name = name_->text().toStdString();
  label->description = description_->text().toStdString();
  label->level = static_cast<LabelLevel>(level_->currentIndex());
  refresh();
}

void LabelSchemaDialog::readOptions() {
  annotation::LabelDefinition* label = current();
  if (loading_ || !label) return;
  label->options.clear();
  for (int row = 0; row < options_->rowCount(); ++row) {
    auto text = [&](int column) { return options_->item(row, column) ? options_->item(row, column)->text().trimmed().toStdString() : std::string(); };
    label->options.push_back({text(ValueColumn), text(TextColumn), text(ShortcutColumn)});
  }
  refresh();
}

// A kind with fixed or no options gets them; a kind that picks options keeps the ones
// there, or starts with its defaults.
void LabelSchemaDialog::kindChanged() {
  annotation::LabelDefinition* label = current();
  if (loading_ || !label) return;
  const auto kind = static_cast<LabelKind>(kind_->currentIndex());
  label->kind = kind;
  if (!annotation::hasOptions(kind)) label->options.clear();
  else if (kind == LabelKind::Pairwise || kind == LabelKind::Rating || label->options.empty()) label->options = startingOptions(kind);
  showLabel();
  refresh();
}

void LabelSchemaDialog::addLabel(LabelKind kind) {
  std::string name = std::string(annotation::toString(kind));
  for (int i = 2; schema_.find(name); ++i) name = std::string(annotation::toString(kind)) + "-" + std::to_string(i);
  annotation::LabelDefinition label{name, kind, LabelLevel::Turn, "", startingOptions(kind)};
  schema_.labels.push_back(label);
  labels_->addItem(labelRowText(label));
  labels_->setCurrentRow(labels_->count() - 1);
}

void LabelSchemaDialog::removeLabel() {
  if (!current()) return;
  schema_.labels.erase(schema_.labels.begin() + row_);
  const int row = row_;
  delete labels_->takeItem(row);
  selectLabel(std::min(row, labels_->count() - 1));
  labels_->setCurrentRow(row_);
}

void LabelSchemaDialog::moveLabel(int step) {
  const int target = row_ + step;
  if (!current() || target < 0 || target >= static_cast<int>(schema_.labels.size())) return;
  std::swap(schema_.labels[static_cast<std::size_t>(row_)], schema_.labels[static_cast<std::size_t>(target)]);
  labels_->item(row_)->setText(labelRowText(schema_.labels[static_cast<std::size_t>(row_)]));
  labels_->item(target)->setText(labelRowText(schema_.labels[static_cast<std::size_t>(target)]));
  labels_->setCurrentRow(target);
}

void LabelSchemaDialog::addOption() {
  annotation::LabelDefinition* label = current();
  if (!label || !annotation::hasOptions(label->kind) || label->kind == LabelKind::Pairwise) return;
  std::string value = "option-" + std::to_string(label->options.size() + 1);
  if (label->kind == LabelKind::Rating) value = std::to_string(label->options.size() + 1);
  label->options.push_back({value, value, ""});
  showLabel();
  options_->setCurrentCell(options_->rowCount() - 1, ValueColumn);
  refresh();
}

void LabelSchemaDialog::removeOption() {
  annotation::LabelDefinition* label = current();
  const int row = options_->currentRow();
  if (!label || row < 0 || label->kind == LabelKind::Pairwise) return;
  label->options.erase(label->options.begin() + row);
  showLabel();
  refresh();
}

void LabelSchemaDialog::recordShortcut() {
  annotation::LabelDefinition* label = current();
  const int row = options_->currentRow();
  if (!label || row < 0 || recorder_->keySequence().isEmpty()) return;
  // One key, however many the recorder caught.
  const QString key = QKeySequence(recorder_->keySequence()[0]).toString(QKeySequence::PortableText);
  options_->item(row, ShortcutColumn)->setText(key); // cellChanged reads it into the schema
  recorder_->clear();
}

void LabelSchemaDialog::refresh() {
  if (const annotation::LabelDefinition* label = current(); label && labels_->item(row_))
    labels_->item(row_)->setText(labelRowText(*label));
  const QStringList list = problems();
  problems_->clear();
  if (list.isEmpty()) problems_->addItem(tr("No problems."));
  for (const QString& problem : list) (new QListWidgetItem(problem, problems_))->setForeground(QColor(0xb0, 0x00, 0x20));
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(list.isEmpty());
}

} // namespace collab::ui

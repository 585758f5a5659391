#include "runs/RunDialog.h"

#include "runs/PersonasFolder.h"
#include "runs/RunLauncher.h"
#include "runs/StageEditor.h"
#include "store/Project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
const QStringList kFamilies = {QStringLiteral("documents"), QStringLiteral("math"), QStringLiteral("code")};
const QString kSshSetting = QStringLiteral("runs/sshHost");

void disableItem(QComboBox* box, int row, const QString& why) {
  auto* items = qobject_cast<QStandardItemModel*>(box->model());
  items->item(row)->setEnabled(false);
  items->item(row)->setToolTip(why);
}
} // namespace

RunDialog::RunDialog(RunLauncher* launcher, QWidget* parent)
    : QDialog(parent), launcher_(launcher),
      stamp_(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))), preset_(new QComboBox), name_(new QLineEdit), output_(new QLineEdit),
      model_(new QComboBox), lora_(new QCheckBox(tr("LoRA adapters"))), tasksPerFamily_(new QSpinBox),
      maxExchanges_(new QSpinBox), personas_(new QLineEdit), seed_(new QSpinBox), device_(new QComboBox),
      processes_(new QSpinBox), target_(new QComboBox), sshHost_(new QLineEdit), stages_(new QTabWidget),
      command_(new QLineEdit), error_(new QLabel) {
  setObjectName(QStringLiteral("runDialog"));
  setWindowTitle(tr("New training run"));
  auto* tabs = new QTabWidget;
  tabs->addTab(createGeneralPage(), tr("Run"));
  tabs->addTab(createStagesPage(), tr("Stages"));

  command_->setReadOnly(true);
  command_->setObjectName(QStringLiteral("commandLine"));
  command_->setToolTip(tr("The exact command: paste it into a Slurm script, a terminal or a torchrun launcher"));
  error_->setObjectName(QStringLiteral("runDialogError"));
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #c03030"));
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Check and launch"));
  connect(buttons, &QDialogButtonBox::accepted, this, &RunDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &RunDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(tabs, 1);
  layout->addWidget(new QLabel(tr("Command line:")));
  layout->addWidget(command_);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(640, 620);

  for (QLineEdit* edit : {name_, output_, personas_, sshHost_}) connect(edit, &QLineEdit::textChanged, this, &RunDialog::updateCommandLine);
  connect(target_, &QComboBox::currentIndexChanged, this, [this] {
    sshHost_->setEnabled(target_->currentIndex() == 1);
    updateCommandLine();
  });
  connect(preset_, &QComboBox::textActivated, this, &RunDialog::loadPreset);
  if (!presetNames().isEmpty()) loadPreset(presetNames().first());
}

QWidget* RunDialog::createGeneralPage() {
  auto* page = new QWidget;
  auto* form = new QFormLayout(page);
  preset_->addItems(presetNames());
  form->addRow(tr("Preset"), preset_);
  name_->setObjectName(QStringLiteral("runName"));
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Output folder"), output_);
  model_->addItem(tr("Built-in act policy (from scratch)"), QStringLiteral("builtin"));
  model_->addItem(tr("Hugging Face checkpoint…"), QStringLiteral("hf"));
  disableItem(model_, 1, tr("Not available yet: collab train trains the built-in policy only"));
  form->addRow(tr("Model"), model_);
  lora_->setEnabled(false);
  lora_->setToolTip(tr("Not available yet: the built-in policy trains all its weights"));
  form->addRow(QString(), lora_);
  auto* familyRow = new QHBoxLayout;
  for (const QString& family : kFamilies) {
    auto* box = new QCheckBox(family);
    box->setChecked(true);
    families_ << box;
    familyRow->addWidget(box);
  }
  form->addRow(tr("Task families"), familyRow);
  tasksPerFamily_->setRange(1, 100000);
  form->addRow(tr("Tasks per family"), tasksPerFamily_);
  maxExchanges_->setRange(1, 64);
  form->addRow(tr("Max exchanges"), maxExchanges_);
  personas_->setPlaceholderText(tr("none: a neutral simulated user"));
  form->addRow(tr("Personas folder"), personas_);
  seed_->setRange(0, 1 << 30);
  form->addRow(tr("Seed"), seed_);
  device_->addItem(QStringLiteral("cpu"));
  device_->addItem(QStringLiteral("cuda"));
  form->addRow(tr("Device"), device_);
  processes_->setRange(1, 1);
  processes_->setToolTip(tr("Data-parallel processes: 1 until collab train is launched under torchrun (not available yet)"));
  form->addRow(tr("Processes"), processes_);
  target_->setObjectName(QStringLiteral("launchTarget"));
  target_->addItem(tr("This computer"));
  target_->addItem(tr("Remote host (ssh)"));
  sshHost_->setPlaceholderText(tr("user@host: same paths there (shared file system)"));
  sshHost_->setText(QSettings().value(kSshSetting).toString());
  sshHost_->setEnabled(false);
  form->addRow(tr("Run on"), target_);
  form->addRow(tr("SSH host"), sshHost_);
  return page;
}

QWidget* RunDialog::createStagesPage() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  auto* row = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add stage"));
  auto* remove = new QPushButton(tr("Remove stage"));
  row->addWidget(add);
  row->addWidget(remove);
  row->addStretch(1);
  layout->addLayout(row);
  layout->addWidget(stages_, 1);
  connect(add, &QPushButton::clicked, this, [this] {
    addStage({{QStringLiteral("name"), QStringLiteral("stage%1").arg(stages_->count() + 1)}, {QStringLiteral("method"), QStringLiteral("dpo")}});
  });
  connect(remove, &QPushButton::clicked, this, &RunDialog::removeStage);
  return page;
}

QStringList RunDialog::presetNames() {
  QStringList names;
  for (const QString& file : QDir(QStringLiteral(":/presets")).entryList({QStringLiteral("*.json")}, QDir::Files))
    names << QFileInfo(file).completeBaseName();
  // Sorted without the extension, so that a preset comes before its variants
  // ("quickstart-cpu" before "quickstart-cpu-rl"): the first one is the dialog's default.
  names.sort();
  return names;
}

void RunDialog::loadPreset(const QString& name) {
  QFile file(QStringLiteral(":/presets/%1.json").arg(name));
  if (!file.open(QIODevice::ReadOnly)) return;
  QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
  // The preset's paths are relative to its folder in the sources: made absolute here.
  if (config.contains(QStringLiteral("personas"))) config[QStringLiteral("personas")] = defaultPersonasFolder();
  if (launcher_)
    config[QStringLiteral("output")] =
        QDir(launcher_->workingDirectory()).filePath(QStringLiteral("runs/") + config.value(QStringLiteral("output")).toString());
  QSignalBlocker blocker(preset_);
  preset_->setCurrentText(name);
  setConfig(config);
}

void RunDialog::setConfig(const QJsonObject& config) {
  base_ = config;
  name_->setText(config.value(QStringLiteral("name")).toString());
  output_->setText(config.value(QStringLiteral("output")).toString());
  const QJsonArray families = config.value(QStringLiteral("families")).toArray(QJsonArray::fromStringList(kFamilies));
  for (QCheckBox* box : families_) box->setChecked(families.contains(box->text()));
  tasksPerFamily_->setValue(config.value(QStringLiteral("tasks_per_family")).toInt(120));
  maxExchanges_->setValue(config.value(QStringLiteral("max_exchanges")).toInt(6));
  personas_->setText(config.value(QStringLiteral("personas")).toString());
  seed_->setValue(config.value(QStringLiteral("seed")).toInt(0));
  device_->setCurrentText(config.value(QStringLiteral("device")).toString(QStringLiteral("cpu")));
  while (stages_->count() > 0) delete stages_->widget(0);
  for (const QJsonValue& stage : config.value(QStringLiteral("stages")).toArray()) addStage(stage.toObject());
  updateCommandLine();
}

void RunDialog::addStage(const QJsonObject& stage) {
  auto* editor = new StageEditor;
  editor->setStage(stage);
  stages_->addTab(editor, editor->name());
  connect(editor, &StageEditor::changed, this, [this, editor] {
    stages_->setTabText(stages_->indexOf(editor), editor->name());
    updateStartingPoints();
  });
  updateStartingPoints();
  editor->setStage(stage); // again: "from" needs the list of starting points first
}

void RunDialog::removeStage() {
  if (stages_->count() > 1) delete stages_->currentWidget();
  updateStartingPoints();
}

void RunDialog::updateStartingPoints() {
  QStringList names{QStringLiteral("init")};
  for (int i = 0; i < stages_->count(); ++i) {
    auto* editor = static_cast<StageEditor*>(stages_->widget(i));
    editor->setStartingPoints(names);
    names << editor->name();
  }
}

QJsonObject RunDialog::config() const {
  QJsonObject c = base_;
  c[QStringLiteral("name")] = name_->text().trimmed();
  c[QStringLiteral("output")] = output_->text().trimmed();
  c[QStringLiteral("policy")] = model_->currentData().toString();
  QJsonArray families;
  for (QCheckBox* box : families_)
    if (box->isChecked()) families.append(box->text());
  c[QStringLiteral("families")] = families;
  c[QStringLiteral("tasks_per_family")] = tasksPerFamily_->value();
  c[QStringLiteral("max_exchanges")] = maxExchanges_->value();
  if (personas_->text().trimmed().isEmpty()) c.remove(QStringLiteral("personas"));
  else c[QStringLiteral("personas")] = personas_->text().trimmed();
  c[QStringLiteral("seed")] = seed_->value();
  c[QStringLiteral("device")] = device_->currentText();
  QJsonArray stages;
  for (int i = 0; i < stages_->count(); ++i) stages.append(static_cast<StageEditor*>(stages_->widget(i))->stage());
  c[QStringLiteral("stages")] = stages;
  return c;
}

LaunchTarget RunDialog::target() const {
  return {target_->currentIndex() == 1 ? sshHost_->text().trimmed() : QString()};
}

QString RunDialog::configFileFor(const QString& name) const {
  const QString base = launcher_ ? launcher_->workingDirectory() : QDir::currentPath();
  QString safe = name.isEmpty() ? QStringLiteral("run") : name;
  safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
  return QDir(base).filePath(QStringLiteral("runs/%1-%2.json").arg(safe, stamp_));
}

QString RunDialog::commandLine() const {
  const QString program = launcher_ ? launcher_->collabProgram() : QStringLiteral("collab");
  const QString project = launcher_ && launcher_->project() ? QString::fromStdString(launcher_->project()->path().string()) : QString();
  return TrainProcess::shellCommand(program, TrainProcess::trainArguments(configFileFor(name_->text().trimmed()), project),
                                    launcher_ ? launcher_->workingDirectory() : QDir::currentPath(), target());
}

void RunDialog::updateCommandLine() {
  command_->setText(commandLine());
  command_->setCursorPosition(0);
}

QString RunDialog::error() const {
  return error_->text();
}

bool RunDialog::validateAndWrite() {
  error_->clear();
  if (target().remote() == false && target_->currentIndex() == 1) {
    error_->setText(tr("Name the remote host."));
    return false;
  }
  configPath_ = configFileFor(name_->text().trimmed());
  QDir().mkpath(QFileInfo(configPath_).absolutePath());
  QFile file(configPath_);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(QJsonDocument(config()).toJson()) < 0) {
    error_->setText(tr("%1: cannot write the config").arg(configPath_));
    return false;
  }
  file.close();
  const QString problem = launcher_ ? launcher_->check(configPath_) : QString();
  if (!problem.isEmpty()) {
    error_->setText(problem);
    return false;
  }
  if (target().remote()) QSettings().setValue(kSshSetting, target().sshHost);
  return true;
}

void RunDialog::accept() {
  if (validateAndWrite()) QDialog::accept();
}

} // namespace collab::ui

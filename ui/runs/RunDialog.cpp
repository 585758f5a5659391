#include "runs/RunDialog.h"

#include "runs/HfPolicyEditor.h"
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
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
const QStringList kFamilies = {QStringLiteral("documents"), QStringLiteral("math"), QStringLiteral("code")};
const QString kSshSetting = QStringLiteral("runs/sshHost");
// The built-in policy's task settings: a Hugging Face checkpoint trains on data files and
// the project instead, so a config for one leaves them out.
const QStringList kBuiltinFields = {QStringLiteral("families"), QStringLiteral("tasks_per_family"),
                                    QStringLiteral("max_exchanges"), QStringLiteral("personas")};
constexpr int kMaxProcesses = 64;
const QString kDefaultPreset = QStringLiteral("quickstart-cpu");
} // namespace

RunDialog::RunDialog(RunLauncher* launcher, QWidget* parent)
    : QDialog(parent), launcher_(launcher),
      stamp_(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))), preset_(new QComboBox), name_(new QLineEdit), output_(new QLineEdit),
      general_(new QFormLayout), model_(new QComboBox), hfPolicy_(new HfPolicyEditor), familyRow_(new QHBoxLayout),
      tasksPerFamily_(new QSpinBox),
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
  resize(660, 720); // the Hugging Face fields without scrolling

  for (QLineEdit* edit : {name_, output_, personas_, sshHost_}) connect(edit, &QLineEdit::textChanged, this, &RunDialog::updateCommandLine);
  connect(target_, &QComboBox::currentIndexChanged, this, [this] {
    sshHost_->setEnabled(target_->currentIndex() == 1);
    updateCommandLine();
  });
  connect(processes_, &QSpinBox::valueChanged, this, &RunDialog::updateCommandLine);
  connect(model_, &QComboBox::currentIndexChanged, this, &RunDialog::modelKindChanged);
  connect(preset_, &QComboBox::textActivated, this, &RunDialog::loadPreset);
  if (launcher_) hfPolicy_->setBaseFolder(launcher_->workingDirectory());
  modelKindChanged();
  if (!defaultPresetName().isEmpty()) loadPreset(defaultPresetName());
}

QWidget* RunDialog::createGeneralPage() {
  auto* page = new QWidget;
  page->setLayout(general_);
  // Scrolls on a short screen rather than squeezing the rows (the model folder's note wraps).
  auto* scroll = new QScrollArea;
  scroll->setObjectName(QStringLiteral("runPage"));
  scroll->setWidget(page);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  preset_->addItems(presetNames());
  general_->addRow(tr("Preset"), preset_);
  name_->setObjectName(QStringLiteral("runName"));
  general_->addRow(tr("Name"), name_);
  general_->addRow(tr("Output folder"), output_);
  addModelRows();
  addBuiltinRows();
  seed_->setRange(0, 1 << 30);
  general_->addRow(tr("Seed"), seed_);
  addLaunchRows();
  return scroll;
}

void RunDialog::addModelRows() {
  model_->setObjectName(QStringLiteral("modelKind"));
  model_->addItem(tr("Built-in act policy (from scratch)"), QStringLiteral("builtin"));
  model_->addItem(tr("Hugging Face checkpoint…"), QStringLiteral("hf"));
  model_->setToolTip(tr("The built-in policy trains from scratch on the simulated tasks; a Hugging Face checkpoint "
                        "(Llama, Mistral, Qwen2) trains with LoRA or fully on JSONL files and the project's data"));
  general_->addRow(tr("Model"), model_);
  general_->addRow(hfPolicy_);
}

// The task settings the built-in policy makes its data from.
void RunDialog::addBuiltinRows() {
  for (const QString& family : kFamilies) {
    auto* box = new QCheckBox(family);
    box->setChecked(true);
    families_ << box;
    familyRow_->addWidget(box);
  }
  general_->addRow(tr("Task families"), familyRow_);
  tasksPerFamily_->setRange(1, 100000);
  general_->addRow(tr("Tasks per family"), tasksPerFamily_);
  maxExchanges_->setRange(1, 64);
  general_->addRow(tr("Max exchanges"), maxExchanges_);
  personas_->setPlaceholderText(tr("none: a neutral simulated user"));
  general_->addRow(tr("Personas folder"), personas_);
}

void RunDialog::addLaunchRows() {
  device_->setObjectName(QStringLiteral("device"));
  device_->setEditable(true); // cuda:N too
  device_->addItem(QStringLiteral("cpu"));
  device_->addItem(QStringLiteral("cuda"));
  device_->setToolTip(tr("cpu, cuda or cuda:N (CUDA needs a LibTorch built with it); with several processes on "
                         "CUDA each rank takes the GPU of its LOCAL_RANK"));
  general_->addRow(tr("Device"), device_);
  processes_->setObjectName(QStringLiteral("processes"));
  processes_->setRange(1, kMaxProcesses);
  processes_->setToolTip(tr("Data-parallel processes on this computer (torchrun's --nproc_per_node): each rank trains "
                            "its share of every batch and the gradients are summed, so the steps are those of one "
                            "process, faster. On CUDA: one per GPU. Rank 0's progress is plotted; any rank's error "
                            "stops the run."));
  general_->addRow(tr("Processes"), processes_);
  target_->setObjectName(QStringLiteral("launchTarget"));
  target_->addItem(tr("This computer"));
  target_->addItem(tr("Remote host (ssh)"));
  sshHost_->setObjectName(QStringLiteral("sshHost"));
  sshHost_->setPlaceholderText(tr("user@host: same paths there (shared file system)"));
  sshHost_->setText(QSettings().value(kSshSetting).toString());
  sshHost_->setEnabled(false);
  general_->addRow(tr("Run on"), target_);
  general_->addRow(tr("SSH host"), sshHost_);
}

bool RunDialog::huggingFacePolicy() const {
  return model_->currentData().toString() == QLatin1String("hf");
}

// Each kind of model shows its own fields; the stages offer what it trains on.
void RunDialog::modelKindChanged() {
  const bool hf = huggingFacePolicy();
  general_->setRowVisible(hfPolicy_, hf);
  general_->setRowVisible(familyRow_, !hf);
  for (QWidget* field : {static_cast<QWidget*>(tasksPerFamily_), static_cast<QWidget*>(maxExchanges_), static_cast<QWidget*>(personas_)})
    general_->setRowVisible(field, !hf);
  for (int i = 0; i < stages_->count(); ++i) static_cast<StageEditor*>(stages_->widget(i))->setHuggingFacePolicy(hf);
  updateCommandLine();
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
  // ("quickstart-cpu" before "quickstart-cpu-rl").
  names.sort();
  return names;
}

QString RunDialog::defaultPresetName() {
  // The quickstart runs on any computer; the GPU presets (sorted before it) need a
  // checkpoint and a GPU.
  const QStringList names = presetNames();
  return names.contains(kDefaultPreset) ? kDefaultPreset : names.value(0);
}

void RunDialog::loadPreset(const QString& name) {
  QFile file(QStringLiteral(":/presets/%1.json").arg(name));
  if (!file.open(QIODevice::ReadOnly)) return;
  QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
  // The preset's paths are relative to its folder in the sources: made absolute here, the
  // output under the project's runs/ (once: a preset whose output is in runs/ already).
  if (config.contains(QStringLiteral("personas"))) config[QStringLiteral("personas")] = defaultPersonasFolder();
  if (launcher_) {
    const QString output = config.value(QStringLiteral("output")).toString();
    config[QStringLiteral("output")] =
        QDir(launcher_->workingDirectory()).filePath(output.startsWith(QLatin1String("runs/")) ? output : QStringLiteral("runs/") + output);
  }
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
  const QJsonValue policy = config.value(QStringLiteral("policy"));
  if (policy.isObject()) {
    hfPolicy_->setPolicy(policy.toObject());
    hfPolicy_->setDtype(config.value(QStringLiteral("dtype")).toString());
  } else {
    hfPolicy_->reset();
  }
  model_->setCurrentIndex(model_->findData(policy.isObject() ? QStringLiteral("hf") : QStringLiteral("builtin")));
  while (stages_->count() > 0) delete stages_->widget(0);
  for (const QJsonValue& stage : config.value(QStringLiteral("stages")).toArray()) addStage(stage.toObject());
  updateCommandLine();
}

void RunDialog::addStage(const QJsonObject& stage) {
  auto* editor = new StageEditor;
  if (launcher_) editor->setBaseFolder(launcher_->workingDirectory());
  editor->setHuggingFacePolicy(huggingFacePolicy());
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
  if (huggingFacePolicy()) writeHfPolicy(c);
  else writeBuiltinPolicy(c);
  c[QStringLiteral("seed")] = seed_->value();
  c[QStringLiteral("device")] = device_->currentText();
  QJsonArray stages;
  for (int i = 0; i < stages_->count(); ++i) stages.append(static_cast<StageEditor*>(stages_->widget(i))->stage());
  c[QStringLiteral("stages")] = stages;
  return c;
}

void RunDialog::writeBuiltinPolicy(QJsonObject& c) const {
  c[QStringLiteral("policy")] = QStringLiteral("builtin");
  QJsonArray families;
  for (QCheckBox* box : families_)
    if (box->isChecked()) families.append(box->text());
  c[QStringLiteral("families")] = families;
  c[QStringLiteral("tasks_per_family")] = tasksPerFamily_->value();
  c[QStringLiteral("max_exchanges")] = maxExchanges_->value();
  if (personas_->text().trimmed().isEmpty()) c.remove(QStringLiteral("personas"));
  else c[QStringLiteral("personas")] = personas_->text().trimmed();
}

void RunDialog::writeHfPolicy(QJsonObject& c) const {
  c[QStringLiteral("policy")] = hfPolicy_->policy();
  if (hfPolicy_->dtype() == QLatin1String("auto")) c.remove(QStringLiteral("dtype")); // the default
  else c[QStringLiteral("dtype")] = hfPolicy_->dtype();
  for (const QString& key : kBuiltinFields) c.remove(key);
}

LaunchTarget RunDialog::target() const {
  return {target_->currentIndex() == 1 ? sshHost_->text().trimmed() : QString(), processes_->value()};
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

// What the launch settings refuse before the config is written (the config's own
// problems are `collab train --check`'s to name).
QString RunDialog::launchProblem() const {
  if (!target().remote() && target_->currentIndex() == 1) return tr("Name the remote host.");
  if (const QString why = RunLauncher::refusal(target()); !why.isEmpty()) return why;
  if (!target().dataParallel()) return {};
  QJsonArray stages;
  for (int i = 0; i < stages_->count(); ++i) stages.append(static_cast<StageEditor*>(stages_->widget(i))->stage());
  if (const QString stage = RunLauncher::singleProcessStage(stages); !stage.isEmpty())
    return tr("Stage %1 is PPO, which runs in one process only: set Processes to 1.").arg(stage);
  return {};
}

bool RunDialog::validateAndWrite() {
  error_->clear();
  if (const QString problem = launchProblem(); !problem.isEmpty()) {
    error_->setText(problem);
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

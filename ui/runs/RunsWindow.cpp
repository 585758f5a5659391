#include "runs/RunsWindow.h"

#include "runs/Dashboard.h"
#include "runs/EvalView.h"
#include "runs/MetricsStore.h"
#include "runs/RunDialog.h"
#include "runs/RunLauncher.h"
#include "runs/RunTableModel.h"
#include "runs/TrainProcess.h"
#include "store/Project.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
constexpr int kTickMs = 1000; // durations and statuses in the table
}

RunsWindow::RunsWindow(QWidget* parent)
    : QWidget(parent), store_(new MetricsStore(this)), launcher_(new RunLauncher(store_, this)),
      model_(new RunTableModel(store_, this)), dashboard_(new Dashboard(store_)), table_(new QTableView),
      log_(new QPlainTextEdit), status_(new QLabel), tick_(new QTimer(this)) {
  setObjectName(QStringLiteral("runsWindow"));
  setWindowTitle(tr("Training runs"));
  table_->setObjectName(QStringLiteral("runTable"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setToolTip(tr("Select several runs to overlay them on the plots"));
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  log_->setObjectName(QStringLiteral("runLog"));
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(20000);
  log_->setLineWrapMode(QPlainTextEdit::NoWrap);
  log_->setPlaceholderText(tr("Select a run: its log, or why it failed, and its config"));
  eval_ = new EvalView(launcher_->collabProgram(), this);
  eval_->setWindowFlag(Qt::Window);

  auto* left = new QSplitter(Qt::Vertical);
  left->addWidget(table_);
  left->addWidget(log_);
  left->setSizes({400, 220});
  auto* leftPane = new QWidget;
  auto* leftLayout = new QVBoxLayout(leftPane);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(createToolbar());
  leftLayout->addWidget(left, 1);
  leftLayout->addWidget(status_);
  auto* splitter = new QSplitter;
  splitter->addWidget(leftPane);
  splitter->addWidget(dashboard_);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({520, 1000});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);
  resize(1500, 860);

  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsWindow::selectionChanged);
  connect(launcher_, &RunLauncher::runsChanged, this, &RunsWindow::runsChanged);
  connect(launcher_, &RunLauncher::logLine, this, &RunsWindow::appendLog);
  connect(tick_, &QTimer::timeout, model_, &RunTableModel::reload);
  connect(tick_, &QTimer::timeout, this, &RunsWindow::updateButtons);
  tick_->start(kTickMs);
  updateButtons();
}

RunsWindow::~RunsWindow() = default;

QWidget* RunsWindow::createToolbar() {
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  auto* add = new QPushButton(tr("New run…"));
  stop_ = new QPushButton(tr("Stop"));
  stop_->setToolTip(tr("Stops after the current step with a checkpoint (SIGTERM); killed if it does not stop in time"));
  resume_ = new QPushButton(tr("Resume"));
  resume_->setToolTip(
      tr("Goes on from the run's last checkpoint, with its stage and those after it, in as many processes as it ran in"));
  duplicate_ = new QPushButton(tr("Duplicate and edit…"));
  compare_ = new QPushButton(tr("Compare checkpoints…"));
  compare_->setToolTip(tr("collab eval on the selected runs' checkpoints, side by side"));
  for (QPushButton* b : {add, stop_, resume_, duplicate_, compare_}) row->addWidget(b);
  connect(compare_, &QPushButton::clicked, this, &RunsWindow::compareSelected);
  row->addStretch(1);
  connect(add, &QPushButton::clicked, this, [this] { newRunDialog()->open(); });
  connect(stop_, &QPushButton::clicked, this, &RunsWindow::stopSelected);
  connect(resume_, &QPushButton::clicked, this, [this] {
    QString error;
    if (!resumeSelected(&error) && !error.isEmpty()) QMessageBox::warning(this, tr("Resume"), error);
  });
  connect(duplicate_, &QPushButton::clicked, this, [this] {
    if (RunDialog* dialog = duplicateSelected()) dialog->open();
  });
  return bar;
}

void RunsWindow::setProject(store::Project* project) {
  launcher_->setProject(project);
  model_->setProject(project);
  table_->resizeColumnsToContents();
  status_->setText(project ? tr("collab: %1").arg(launcher_->collabProgram()) : tr("No project: runs are recorded in one."));
  updateButtons();
}

RunDialog* RunsWindow::newRunDialog(const QString& configJson) {
  auto* dialog = new RunDialog(launcher_, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (!configJson.isEmpty()) {
    dialog->setConfig(QJsonDocument::fromJson(configJson.toUtf8()).object());
    dialog->setWindowTitle(tr("Duplicate and edit a run"));
  }
  connect(dialog, &QDialog::accepted, this, [this, dialog] { launchFrom(dialog); });
  return dialog;
}

TrainProcess* RunsWindow::launchFrom(RunDialog* dialog) {
  QString error;
  TrainProcess* process = launcher_->launch(dialog->configPath(), dialog->target(), &error);
  if (!process) QMessageBox::warning(this, tr("Cannot launch"), error);
  else log_->setPlainText(process->log().join('\n'));
  return process;
}

std::set<std::int64_t> RunsWindow::selectedRuns() const {
  std::set<std::int64_t> runs;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows())
    if (const store::RunRecord* run = model_->runAt(index.row())) runs.insert(run->id);
  return runs;
}

void RunsWindow::selectRun(std::int64_t run) {
  const int row = model_->rowOf(run);
  if (row >= 0) table_->selectRow(row);
}

bool RunsWindow::stopSelected() {
  bool any = false;
  for (std::int64_t run : selectedRuns()) any = launcher_->stop(run) || any;
  return any;
}

TrainProcess* RunsWindow::resumeSelected(QString* error) {
  const auto runs = selectedRuns();
  if (runs.size() != 1) {
    if (error) *error = tr("Select the one run to resume.");
    return nullptr;
  }
  // As many processes as the run had: it goes on as it was trained.
  return launcher_->resume(*runs.begin(), launcher_->recordedTarget(*runs.begin()), error);
}

RunDialog* RunsWindow::duplicateSelected() {
  const auto runs = selectedRuns();
  if (runs.size() != 1) return nullptr;
  return newRunDialog(launcher_->runConfigJson(*runs.begin()));
}

bool RunsWindow::compareSelected() {
  store::Project* project = launcher_->project();
  if (!project) return false;
  QStringList checkpoints;
  for (std::int64_t run : selectedRuns())
    for (const auto& checkpoint : project->runs().checkpoints(run)) checkpoints << QString::fromStdString(checkpoint.path);
  if (checkpoints.isEmpty()) return false;
  eval_->setCollabProgram(launcher_->collabProgram());
  eval_->evaluate(checkpoints);
  eval_->show();
  eval_->raise();
  return true;
}

void RunsWindow::selectionChanged() {
  const auto runs = selectedRuns();
  if (!runs.empty()) dashboard_->showOnly(runs); // several selected: overlaid
  showLog();
  updateButtons();
}

void RunsWindow::runsChanged() {
  const auto selected = selectedRuns();
  model_->reload();
  table_->resizeColumnsToContents();
  for (std::int64_t run : selected) selectRun(run);
  updateButtons();
}

void RunsWindow::showLog() {
  const auto runs = selectedRuns();
  if (runs.size() != 1) return;
  const std::int64_t run = *runs.begin();
  if (const TrainProcess* process = launcher_->processFor(run)) {
    log_->setPlainText(process->log().join('\n'));
    return;
  }
  // Not started here: what the project knows (why it failed, what it ran with).
  const store::RunRecord* record = model_->runAt(model_->rowOf(run));
  if (!record) return;
  QString text = tr("Run #%1 %2: %3").arg(run).arg(QString::fromStdString(record->name), QString::fromStdString(record->status));
  if (!record->failureReason.empty()) text += '\n' + tr("Why: %1").arg(QString::fromStdString(record->failureReason));
  text += QStringLiteral("\n\n") + QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(record->configJson)).toJson());
  log_->setPlainText(text);
}

void RunsWindow::appendLog(qint64 run, const QString& line) {
  const auto runs = selectedRuns();
  if (runs.size() == 1 && *runs.begin() == run) log_->appendPlainText(line);
}

void RunsWindow::updateButtons() {
  const auto runs = selectedRuns();
  bool running = false;
  for (std::int64_t run : runs)
    if (const TrainProcess* p = launcher_->processFor(run); p && p->running()) running = true;
  const store::RunRecord* one = runs.size() == 1 ? model_->runAt(model_->rowOf(*runs.begin())) : nullptr;
  stop_->setEnabled(running);
  resume_->setEnabled(one && (one->status == "stopped" || one->status == "failed"));
  duplicate_->setEnabled(one != nullptr);
  compare_->setEnabled(!runs.empty());
}

} // namespace collab::ui

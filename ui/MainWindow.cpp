#include "MainWindow.h"

#include "Appearance.h"
#include "BackgroundTask.h"
#include "ComparisonPanel.h"
#include "ConversationListModel.h"
#include "ConversationPanel.h"
#include "ExportTask.h"
#include "ImportTask.h"
#include "ProjectDocument.h"
#include "RecentProjects.h"
#include "RescoreDialog.h"
#include "RescoreTask.h"
#include "RewardPanel.h"
#include "TaskProgress.h"
#include "ToolPanels.h"
#include "runs/RunPanels.h"
#include "TreePanel.h"
#include "TreeView.h"
#include "TurnActions.h"
#include "TurnInspector.h"
#include "TurnListModel.h"
#include "TurnPanel.h"
#include "io/Exporter.h"
#include "io/Importer.h"
#include "store/Project.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// "1 tree", "12,345 trees": counts in the status bar are read at a glance.
QString counted(std::int64_t count, const QString& one, const QString& many) {
  return QLocale().toString(count) + QLatin1Char(' ') + (count == 1 ? one : many);
}

constexpr int kMessageMs = 10000;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(new ProjectDocument(this)), conversations_(new ConversationListModel(this)),
      turns_(new TurnListModel(this)), conversationPanel_(new ConversationPanel(conversations_)),
      turnPanel_(new TurnPanel(turns_)), treePanel_(new TreePanel), inspector_(new TurnInspector),
      rewardPanel_(new RewardPanel), comparisonPanel_(new ComparisonPanel), actions_(new TurnActions(*document_, this)),
      progress_(new TaskProgress), countsLabel_(new QLabel), pathLabel_(new QLabel) {
  setObjectName(QStringLiteral("mainWindow"));
  conversations_->setBackgroundQueries(true); // searches and sorts never stall the window
  setCentralWidget(treePanel_);
  setDockNestingEnabled(true);
  createDocks();

  countsLabel_->setObjectName(QStringLiteral("projectCounts"));
  pathLabel_->setObjectName(QStringLiteral("projectPath"));
  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusBar()->addWidget(countsLabel_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(pathLabel_);

  createMenus();
  connectDocument();
  tools_ = new ToolPanels(this); // after the menus: its own come after View
  runs_ = new RunPanels(this);
  resize(1280, 800);
  setProject(nullptr);
}

MainWindow::~MainWindow() {
  emit projectAboutToChange();
  delete task_; // cancels and waits: the work writes to a file this window may remove next
  // The models point into the project: empty them before it closes.
  conversations_->setProject(nullptr);
  turns_->clear();
}

QDockWidget* MainWindow::addDock(QWidget* panel, const QString& title, const char* name, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(QLatin1String(name)); // the key saveState() files it under
  dock->setWidget(panel);
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::createDocks() {
  // The annotation and persona panels of other parts join as docks of their own.
  QDockWidget* conversations = addDock(conversationPanel_, tr("Conversations"), "conversationsDock", Qt::LeftDockWidgetArea);
  QDockWidget* reader = addDock(turnPanel_, tr("Reader"), "readerDock", Qt::RightDockWidgetArea);
  QDockWidget* compare = addDock(comparisonPanel_, tr("Compare"), "compareDock", Qt::RightDockWidgetArea);
  QDockWidget* inspector = addDock(inspector_, tr("Turn"), "inspectorDock", Qt::RightDockWidgetArea);
  QDockWidget* rewards = addDock(rewardPanel_, tr("Reward"), "rewardDock", Qt::BottomDockWidgetArea);
  splitDockWidget(reader, inspector, Qt::Vertical);
  tabifyDockWidget(reader, compare);
  reader->raise();
  // The reward plots want the full width; the side panels the full height above them.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  resizeDocks({conversations, reader}, {380, 400}, Qt::Horizontal);
  resizeDocks({rewards}, {270}, Qt::Vertical);
  resizeDocks({reader, inspector}, {330, 200}, Qt::Vertical);
}

QDockWidget* MainWindow::dock(const QString& name) const { return findChild<QDockWidget*>(name); }

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
  auto* recent = new RecentProjectsMenu(this);
  file->addMenu(recent);
  connect(recent, &RecentProjectsMenu::projectChosen, this, [this](const QString& path) {
    if (const QString error = openProject(path); !error.isEmpty())
      QMessageBox::critical(this, tr("Cannot open the project"), error);
  });
  file->addAction(tr("&Import JSONL…"), QKeySequence(tr("Ctrl+I")), this, &MainWindow::chooseImportFile);
  file->addAction(tr("&Export JSONL…"), QKeySequence(tr("Ctrl+Shift+E")), this, &MainWindow::chooseExportFile);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  menuBar()->addMenu(actions_->editMenu());
  menuBar()->addMenu(actions_->turnMenu());
  createViewMenu();
}

void MainWindow::createViewMenu() {
  QMenu* view = menuBar()->addMenu(tr("&View"));
  TreeView* tree = treePanel_->view();
  view->addAction(tr("&Fit tree"), QKeySequence(tr("Ctrl+0")), tree, &TreeView::fitTree);
  view->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, tree, [tree] { tree->zoomBy(1.25); });
  view->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, tree, [tree] { tree->zoomBy(0.8); });
  view->addAction(tr("Collapse / e&xpand turn"), QKeySequence(tr("Ctrl+E")), tree, &TreeView::toggleCollapsed);
  view->addSeparator();
  QMenu* theme = view->addMenu(tr("&Theme"));
  auto* themes = new QActionGroup(this);
  for (Theme option : {Theme::Light, Theme::Dark}) {
    QAction* action = theme->addAction(option == Theme::Light ? tr("&Light") : tr("&Dark"));
    action->setCheckable(true);
    action->setChecked(option == savedTheme());
    action->setObjectName(QStringLiteral("theme_") + themeName(option));
    themes->addAction(action);
    connect(action, &QAction::triggered, this, [option] {
      applyTheme(option);
      saveTheme(option);
    });
  }
  QMenu* panels = view->addMenu(tr("&Panels"));
  for (QDockWidget* dock : findChildren<QDockWidget*>()) panels->addAction(dock->toggleViewAction());
}

void MainWindow::connectDocument() {
  connect(conversationPanel_, &ConversationPanel::currentTreeChanged, document_,
          [this](std::optional<conversation::TreeId> tree) { document_->setCurrentTree(tree); });
  connect(document_, &ProjectDocument::snapshotChanged, this, &MainWindow::showSnapshot);
  connect(document_, &ProjectDocument::currentNodeChanged, this, &MainWindow::showCurrentNode);
  connect(document_, &ProjectDocument::treeEdited, this, [this](conversation::TreeId tree) {
    conversations_->refreshTree(tree);
    refresh();
  });
  treePanel_->view()->setNodeMenu(actions_->turnMenu());
  actions_->attachTo(treePanel_->view());
  actions_->attachTo(turnPanel_->view());
  connect(treePanel_->view(), &TreeView::currentNodeChanged, document_,
          [this](conversation::NodeId node) { document_->setCurrentNode(node); });
  connect(turnPanel_, &TurnPanel::turnActivated, document_,
          [this](conversation::NodeId node) { document_->setCurrentNode(node); });
  connect(actions_, &TurnActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, kMessageMs); });
  connect(actions_, &TurnActions::rescoreRequested, this, &MainWindow::chooseRescore);
  connect(rewardPanel_, &RewardPanel::rescoreRequested, this, &MainWindow::chooseRescore);
  connect(actions_, &TurnActions::pinRequested, comparisonPanel_, &ComparisonPanel::pin);
}

void MainWindow::showSnapshot() {
  const auto snapshot = document_->snapshot();
  // After an undo in another conversation, the list follows the document.
  if (snapshot && conversationPanel_->currentTree() != snapshot->record().id)
    conversationPanel_->selectTree(snapshot->record().id);
  treePanel_->showSnapshot(snapshot, document_->currentNode());
  if (snapshot) return;
  // An empty window says what to do next.
  if (!document_->project())
    turnPanel_->showNothing(tr("No project open: File › Open project…"));
  else if (!conversations_->textFilter().isEmpty())
    turnPanel_->showNothing(tr("No conversation matches “%1”.").arg(conversations_->textFilter()));
  else
    turnPanel_->showNothing(tr("No conversations yet: File › Import JSONL… adds some."));
}

void MainWindow::showCurrentNode() {
  const auto snapshot = document_->snapshot();
  const std::optional<conversation::NodeId> node = document_->currentNode();
  treePanel_->view()->setCurrentNode(node);
  if (snapshot) turnPanel_->showPath(snapshot, node);
  inspector_->showTurn(snapshot, node);
  rewardPanel_->showTurn(snapshot, node);
  comparisonPanel_->showFor(snapshot, node);
}

void MainWindow::setProject(std::unique_ptr<store::Project> project) {
  emit projectAboutToChange();
  // Point the models away from the old project before it is closed.
  conversations_->setProject(nullptr);
  document_->setProject(std::move(project));
  if (document_->project()) RecentProjects::add(QString::fromStdU16String(document_->project()->path().u16string()));
  conversations_->setProject(document_->project());
  refresh();
  emit projectChanged();
}

store::Project* MainWindow::project() const { return document_->project(); }

void MainWindow::refresh() {
  store::Project* project = document_->project();
  if (!project) {
    setWindowTitle(tr("CollabLLM Workbench"));
    countsLabel_->setText(tr("No project open"));
    pathLabel_->clear();
    return;
  }
  setWindowTitle(tr("CollabLLM Workbench — %1").arg(QString::fromStdString(project->name())));
  const store::ProjectCounts counts = project->counts();
  countsLabel_->setText(tr("%1 · %2").arg(counted(counts.trees, tr("tree"), tr("trees")),
                                          counted(counts.nodes, tr("node"), tr("nodes"))));
  pathLabel_->setText(QString::fromStdString(project->path().string()));
}

void MainWindow::treesAdded(conversation::TreeId show) {
  conversations_->reload();
  refresh();
  document_->setCurrentTree(show);
  conversationPanel_->selectTree(show);
}

QString MainWindow::openProject(const QString& path) {
  try {
    setProject(std::make_unique<store::Project>(store::Project::open(toPath(path))));
    return {};
  } catch (const std::exception& e) { // collab::Error, and SQLite errors of a damaged file
    if (!QFileInfo::exists(path)) RecentProjects::remove(path);
    return QString::fromStdString(e.what());
  }
}

bool MainWindow::beginTask(BackgroundTask* task, QString* error) {
  if (task_) { // until its end has been handled, not only until its thread is done
    if (error) *error = tr("“%1” is still running: wait for it or cancel it first.").arg(task_->title());
    delete task;
    return false;
  }
  task_ = task;
  progress_->track(task);
  connect(task, &BackgroundTask::finished, this, [this] { task_ = nullptr; });
  connect(task, &BackgroundTask::finished, task, &QObject::deleteLater);
  task->start();
  return true;
}

BackgroundTask* MainWindow::startImport(const QString& path, QString* error) {
  if (!document_->project()) {
    if (error) *error = tr("Open or create a project before importing.");
    return nullptr;
  }
  BackgroundTask* task = makeImportTask(QString::fromStdU16String(document_->project()->path().u16string()), path, this);
  if (!beginTask(task, error)) return nullptr;
  connect(task, &BackgroundTask::finished, this, [this, path](const TaskResult& result) { onImportFinished(path, result); });
  return task;
}

void MainWindow::onImportFinished(const QString& file, const TaskResult& result) {
  if (result.status == TaskResult::Status::Done) {
    const auto& report = std::any_cast<const io::ImportReport&>(result.value);
    statusBar()->showMessage(tr("Imported %1 rows from %2: %3 new trees, %4 new nodes")
                                 .arg(report.rowsImported)
                                 .arg(QFileInfo(file).fileName())
                                 .arg(report.treesCreated)
                                 .arg(report.nodesCreated),
                             kMessageMs);
    conversations_->reload();
    refresh();
  } else if (result.status == TaskResult::Status::Cancelled) {
    statusBar()->showMessage(tr("Import of %1 cancelled: the project is as it was.").arg(QFileInfo(file).fileName()),
                             kMessageMs);
  }
}

QString MainWindow::importJsonl(const QString& path) {
  QString error;
  BackgroundTask* task = startImport(path, &error);
  if (!task) return error;
  QEventLoop wait;
  TaskResult result;
  connect(task, &BackgroundTask::finished, &wait, [&](const TaskResult& outcome) {
    result = outcome;
    wait.quit();
  });
  wait.exec();
  if (result.status == TaskResult::Status::Failed) return result.error;
  if (result.status == TaskResult::Status::Cancelled) return tr("The import was cancelled.");
  return {};
}

BackgroundTask* MainWindow::startExport(const QString& file, const QString& format, QString* error) {
  const std::optional<io::ExportFormat> parsed = io::parseExportFormat(format.toStdString());
  if (!document_->project() || !parsed) {
    if (error) *error = document_->project() ? tr("Unknown export format “%1”.").arg(format) : tr("No project is open.");
    return nullptr;
  }
  BackgroundTask* task =
      makeExportTask(QString::fromStdU16String(document_->project()->path().u16string()), file, *parsed, this);
  if (!beginTask(task, error)) return nullptr;
  connect(task, &BackgroundTask::finished, this, [this, file](const TaskResult& result) {
    if (result.status == TaskResult::Status::Done) {
      const auto& report = std::any_cast<const io::ExportReport&>(result.value);
      statusBar()->showMessage(
          tr("Exported %1 rows from %2 trees to %3").arg(report.rowsWritten).arg(report.treesVisited).arg(file), kMessageMs);
    } else if (result.status == TaskResult::Status::Cancelled) {
      statusBar()->showMessage(tr("Export cancelled: no file was written."), kMessageMs);
    } else {
      QMessageBox::critical(this, tr("Export failed"), result.error);
    }
  });
  return task;
}

BackgroundTask* MainWindow::startRescore(conversation::NodeId node, const reward::RewardConfig& config, QString* error) {
  if (!document_->project()) {
    if (error) *error = tr("No project is open.");
    return nullptr;
  }
  BackgroundTask* task =
      makeRescoreTask(QString::fromStdU16String(document_->project()->path().u16string()), node, config, this);
  if (!beginTask(task, error)) return nullptr;
  rewardPanel_->setRescoreRunning(true);
  connect(task, &BackgroundTask::finished, this,
          [this, node](const TaskResult& result) { onRescoreFinished(node, result); });
  return task;
}

void MainWindow::onRescoreFinished(conversation::NodeId node, const TaskResult& result) {
  rewardPanel_->setRescoreRunning(false);
  if (result.status == TaskResult::Status::Done) {
    const auto tree = document_->snapshot() ? document_->currentTree() : std::nullopt;
    if (tree) document_->treeChanged(*tree, node); // the new score colours the tree and fills the plots
    rewardPanel_->showRescored(node, describeRescore(result.value));
  } else {
    // Said where it happened: beside the button that started it.
    rewardPanel_->showRescored(node, result.status == TaskResult::Status::Cancelled
                                         ? tr("Re-score cancelled; nothing was stored.")
                                         : tr("<span style=\"color:#b00\">Re-score failed: %1</span>")
                                               .arg(result.error.toHtmlEscaped()));
  }
}

void MainWindow::chooseRescore(conversation::NodeId node) {
  const auto snapshot = document_->snapshot();
  reward::RewardConfig start;
  if (snapshot)
    if (const reward::Score* mr = snapshot->latest(node, "MR")) start = reward::RewardConfig::fromJson(mr->configJson);
  RescoreDialog dialog(start, this);
  if (dialog.exec() != QDialog::Accepted) return;
  QString error;
  if (!startRescore(node, dialog.config(), &error)) QMessageBox::information(this, tr("Re-score"), error);
}

void MainWindow::chooseProject() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), {},
                                                    tr("CollabLLM projects (*.collab);;All files (*)"));
  if (path.isEmpty()) return;
  if (const QString error = openProject(path); !error.isEmpty())
    QMessageBox::critical(this, tr("Cannot open the project"), error);
}

void MainWindow::chooseImportFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import CollabLLM JSONL"), {},
                                                    tr("JSON Lines (*.jsonl *.json);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  BackgroundTask* task = startImport(path, &error);
  if (!task) {
    QMessageBox::critical(this, tr("Import failed"), error);
    return;
  }
  connect(task, &BackgroundTask::finished, this, [this](const TaskResult& result) {
    if (result.status == TaskResult::Status::Failed) QMessageBox::critical(this, tr("Import failed"), result.error);
  });
}

void MainWindow::chooseExportFile() {
  QStringList formats;
  for (const std::string& name : io::exportFormatNames()) formats << QString::fromStdString(name);
  bool ok = false;
  const QString format = QInputDialog::getItem(this, tr("Export"),
                                               tr("Format (dpo: preference pairs; sft and messages: best paths; "
                                                  "collabllm: rows that import back):"),
                                               formats, 0, false, &ok);
  if (!ok) return;
  const QString path = QFileDialog::getSaveFileName(this, tr("Export %1 JSONL").arg(format), format + QStringLiteral(".jsonl"),
                                                    tr("JSON Lines (*.jsonl);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!startExport(path, format, &error)) QMessageBox::critical(this, tr("Export failed"), error);
}

void MainWindow::saveSession() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("tree/colourBy"), treePanel_->colourBox()->currentText());
}

void MainWindow::restoreSession() {
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  const QString colour = settings.value(QStringLiteral("tree/colourBy")).toString();
  if (!colour.isEmpty() && treePanel_->colourBox()->findText(colour) >= 0) treePanel_->colourBox()->setCurrentText(colour);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSession();
  QMainWindow::closeEvent(event);
}

} // namespace collab::ui

#include "MainWindow.h"

#include "ConversationListModel.h"
#include "ConversationPanel.h"
#include "ToolPanels.h"
#include "TurnListModel.h"
#include "TurnPanel.h"
#include "common/Error.h"
#include "io/Importer.h"
#include "store/Project.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// Restores the cursor however the work ends.
struct WaitCursor {
  WaitCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~WaitCursor() { QApplication::restoreOverrideCursor(); }
  WaitCursor(const WaitCursor&) = delete;
  WaitCursor& operator=(const WaitCursor&) = delete;
};

// "1 tree", "12,345 trees": counts in the status bar are read at a glance.
QString counted(std::int64_t count, const QString& one, const QString& many) {
  return QLocale().toString(count) + QLatin1Char(' ') + (count == 1 ? one : many);
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), conversations_(new ConversationListModel(this)), turns_(new TurnListModel(this)),
      conversationPanel_(new ConversationPanel(conversations_)), turnPanel_(new TurnPanel(turns_)),
      countsLabel_(new QLabel), pathLabel_(new QLabel) {
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(conversationPanel_);
  splitter->addWidget(turnPanel_);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setChildrenCollapsible(false);
  setCentralWidget(splitter);

  countsLabel_->setObjectName(QStringLiteral("projectCounts"));
  pathLabel_->setObjectName(QStringLiteral("projectPath"));
  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusBar()->addWidget(countsLabel_);
  statusBar()->addPermanentWidget(pathLabel_);

  createMenus();
  tools_ = new ToolPanels(this);
  connect(conversationPanel_, &ConversationPanel::currentTreeChanged, this, &MainWindow::showTree);
  resize(1280, 800);
  setProject(nullptr);
}

MainWindow::~MainWindow() {
  emit projectAboutToChange();
  // The models point into the project: empty them before it closes.
  conversations_->setProject(nullptr);
  turns_->clear();
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
  file->addAction(tr("&Import JSONL…"), QKeySequence(tr("Ctrl+I")), this, &MainWindow::chooseImportFile);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::setProject(std::unique_ptr<store::Project> project) {
  emit projectAboutToChange();
  // Point the models away from the old project before it is closed.
  conversations_->setProject(nullptr);
  project_ = std::move(project);
  conversations_->setProject(project_.get());
  refresh();
  emit projectChanged();
}

void MainWindow::refresh() {
  if (!project_) {
    setWindowTitle(tr("CollabLLM Workbench"));
    countsLabel_->setText(tr("No project open"));
    pathLabel_->clear();
    return;
  }
  setWindowTitle(tr("CollabLLM Workbench — %1").arg(QString::fromStdString(project_->name())));
  const store::ProjectCounts counts = project_->counts();
  countsLabel_->setText(tr("%1 · %2").arg(counted(counts.trees, tr("tree"), tr("trees")),
                                          counted(counts.nodes, tr("node"), tr("nodes"))));
  pathLabel_->setText(QString::fromStdString(project_->path().string()));
}

void MainWindow::showTree(std::optional<conversation::TreeId> tree) {
  if (project_ && tree) {
    turnPanel_->showTree(*project_, *tree);
    return;
  }
  // An empty panel says what to do next.
  if (!project_)
    turnPanel_->showNothing(tr("No project open: File › Open project…"));
  else if (!conversations_->textFilter().isEmpty())
    turnPanel_->showNothing(tr("No conversation matches “%1”.").arg(conversations_->textFilter()));
  else
    turnPanel_->showNothing(tr("No conversations yet: File › Import JSONL… adds some."));
}

QString MainWindow::openProject(const QString& path) {
  try {
    WaitCursor wait;
    setProject(std::make_unique<store::Project>(store::Project::open(toPath(path))));
    return {};
  } catch (const std::exception& e) { // collab::Error, and SQLite errors of a damaged file
    return QString::fromStdString(e.what());
  }
}

QString MainWindow::importJsonl(const QString& path) {
  if (!project_) return tr("Open or create a project before importing.");
  try {
    WaitCursor wait;
    const io::ImportReport report = io::importJsonlFile(*project_, toPath(path), io::ImportOptions{});
    statusBar()->showMessage(tr("Imported %1 rows from %2: %3 new trees, %4 new nodes")
                                 .arg(report.rowsImported)
                                 .arg(QFileInfo(path).fileName())
                                 .arg(report.treesCreated)
                                 .arg(report.nodesCreated),
                             10000);
  } catch (const std::exception& e) { // collab::Error, and SQLite errors of a damaged file
    return QString::fromStdString(e.what());
  }
  conversations_->reload();
  refresh();
  return {};
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
  if (const QString error = importJsonl(path); !error.isEmpty())
    QMessageBox::critical(this, tr("Import failed"), error);
}

} // namespace collab::ui

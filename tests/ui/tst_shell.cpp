// The window around the panels: docks, menus and shortcuts, recent projects, palettes,
// the session kept between runs, and imports that run in the background with progress
// and cancel while the window stays live.

#include "Appearance.h"
#include "BackgroundTask.h"
#include "ConversationListModel.h"
#include "MainWindow.h"
#include "RecentProjects.h"
#include "SampleProject.h"
#include "TaskProgress.h"
#include "TreePanel.h"
#include "TurnActions.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace collab;
using collab::ui::MainWindow;

class ShellTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase();
  void init();
  void cleanup();

  void menusAndShortcuts();
  void panelsAreDocksAroundTheTree();
  void theSessionIsRestored();
  void recentProjectsComeFirst();
  void lightAndDarkPalettes();
  void importRunsInTheBackground();
  void cancelledImportLeavesTheProjectAsItWas();
  void exportWritesTheWholeFileInTheBackground();

private:
  QString writeRows(const QString& name, int rows);
  QStringList menuTitles() const;

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void ShellTest::initTestCase() {
  QCoreApplication::setOrganizationName(QStringLiteral("CollabLLM-tests"));
  QCoreApplication::setApplicationName(QStringLiteral("tst_shell"));
}

void ShellTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  // The user's own settings are never read nor written by the tests.
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_->filePath("settings"));
  QSettings().clear();
  window_ = std::make_unique<MainWindow>();
  window_->setProject(test::makeProject(dir_->filePath("sample.collab"), test::kSampleRows));
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void ShellTest::cleanup() {
  window_.reset();
  dir_.reset();
}

QString ShellTest::writeRows(const QString& name, int rows) {
  const QString path = dir_->filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  file.write(test::manyRows(rows).c_str());
  return path;
}

QStringList ShellTest::menuTitles() const {
  QStringList titles;
  for (QAction* menu : window_->menuBar()->actions()) titles << menu->text();
  return titles;
}

void ShellTest::menusAndShortcuts() {
  QCOMPARE(menuTitles(), QStringList({"&File", "&Edit", "&Turn", "&View", "&Annotate", "&Tools", "&Runs", "&Demo"}));
  ui::TurnActions* actions = window_->turnActions();
  QCOMPARE(actions->editText()->shortcut(), QKeySequence(Qt::Key_F2));
  QCOMPARE(actions->branch()->shortcut(), QKeySequence("Ctrl+B"));
  QCOMPARE(actions->prune()->shortcut(), QKeySequence(QKeySequence::Delete));
  QCOMPARE(actions->move()->shortcut(), QKeySequence("Ctrl+M"));
  QCOMPARE(actions->markChosen()->shortcut(), QKeySequence("Ctrl+K"));
  QCOMPARE(actions->rescore()->shortcut(), QKeySequence("Ctrl+R"));
  QCOMPARE(actions->undo()->shortcut(), QKeySequence(QKeySequence::Undo));
  // Re-scoring needs a simulated conversation's assistant turn: on the haiku's first
  // answer (imported) the action is there but the panel's button explains why not.
  QVERIFY(actions->rescore()->isEnabled());
  window_->setProject(nullptr);
  QVERIFY(!actions->prune()->isEnabled());
  QVERIFY(!actions->undo()->isEnabled());
}

void ShellTest::panelsAreDocksAroundTheTree() {
  QVERIFY(qobject_cast<ui::TreePanel*>(window_->centralWidget()));
  for (const char* name : {"conversationsDock", "readerDock", "compareDock", "inspectorDock", "rewardDock"}) {
    QDockWidget* dock = window_->dock(QLatin1String(name));
    QVERIFY2(dock, name);
    QVERIFY(dock->widget());
    QVERIFY(!dock->toggleViewAction()->text().isEmpty());
  }
  QCOMPARE(window_->dockWidgetArea(window_->dock("conversationsDock")), Qt::LeftDockWidgetArea);
  QCOMPARE(window_->dockWidgetArea(window_->dock("rewardDock")), Qt::BottomDockWidgetArea);
  QVERIFY(window_->tabifiedDockWidgets(window_->dock("readerDock")).contains(window_->dock("compareDock")));
}

void ShellTest::theSessionIsRestored() {
  window_->dock("rewardDock")->hide();
  window_->treePanel()->colourBox()->setCurrentText("interactivity");
  window_->resize(1100, 760);
  const QSize size = window_->size(); // as far as the panels' minimum sizes allow
  window_->close();                   // closing saves
  MainWindow again;
  QVERIFY(again.dock("rewardDock")->isVisibleTo(&again));
  again.restoreSession();
  again.show();
  QVERIFY(QTest::qWaitForWindowExposed(&again));
  QVERIFY(!again.dock("rewardDock")->isVisible());
  QVERIFY(again.dock("inspectorDock")->isVisible());
  QCOMPARE(again.treePanel()->colourBox()->currentText(), "interactivity");
  QCOMPARE(again.size(), size);
}

void ShellTest::recentProjectsComeFirst() {
  const QString other = dir_->filePath("other.collab");
  test::makeProject(other, test::manyRows(1), "other").reset();
  QVERIFY(window_->openProject(other).isEmpty());
  QCOMPARE(ui::RecentProjects::list(), QStringList({other, dir_->filePath("sample.collab")}));
  QVERIFY(window_->openProject(dir_->filePath("sample.collab")).isEmpty());
  QCOMPARE(ui::RecentProjects::list().first(), dir_->filePath("sample.collab"));
  // A project that is gone leaves the list when opening it fails.
  QFile::remove(other);
  QVERIFY(!window_->openProject(other).isEmpty());
  QCOMPARE(ui::RecentProjects::list(), QStringList({dir_->filePath("sample.collab")}));
  ui::RecentProjectsMenu menu;
  QSignalSpy chosen(&menu, &ui::RecentProjectsMenu::projectChosen);
  emit menu.aboutToShow();
  menu.actions().first()->trigger();
  QCOMPARE(chosen.size(), 1);
  QCOMPARE(chosen.first().first().toString(), dir_->filePath("sample.collab"));
}

void ShellTest::lightAndDarkPalettes() {
  ui::applyTheme(ui::Theme::Dark);
  QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
  QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 180);
  ui::saveTheme(ui::Theme::Dark);
  QCOMPARE(ui::savedTheme(), ui::Theme::Dark);
  ui::applyTheme(ui::Theme::Light);
  QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
  ui::saveTheme(ui::Theme::Light);
  QCOMPARE(ui::savedTheme(), ui::Theme::Light);
}

void ShellTest::importRunsInTheBackground() {
  const QString file = writeRows("many.jsonl", 20000);
  QString error;
  ui::BackgroundTask* task = window_->startImport(file, &error);
  QVERIFY2(task, qPrintable(error));
  QVERIFY(window_->taskProgress()->isVisible());
  QVERIFY(window_->taskProgress()->label()->text().contains("many.jsonl"));
  // The window's event loop keeps turning while the rows go in.
  int ticks = 0;
  QTimer ticker;
  connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
  ticker.start(10);
  int furthest = 0;
  connect(task, &ui::BackgroundTask::progressed, [&] { furthest = std::max(furthest, window_->taskProgress()->bar()->value()); });
  QSignalSpy finished(task, &ui::BackgroundTask::finished);
  QVERIFY(finished.wait(120000));
  QVERIFY2(ticks >= 3, qPrintable(QString::number(ticks)));
  QCOMPARE(furthest, 1000);
  QCOMPARE(window_->conversationModel()->rowCount() > test::kSampleTrees, true);
  QCOMPARE(window_->project()->trees().count(), test::kSampleTrees + 20000);
  QVERIFY(window_->statusBar()->currentMessage().contains("20000 new trees"));
  QTRY_VERIFY(!window_->taskProgress()->isVisible());
}

void ShellTest::cancelledImportLeavesTheProjectAsItWas() {
  const QString file = writeRows("many.jsonl", 50000);
  ui::BackgroundTask* task = window_->startImport(file);
  QVERIFY(task);
  QSignalSpy finished(task, &ui::BackgroundTask::finished);
  std::optional<ui::TaskResult::Status> status;
  connect(task, &ui::BackgroundTask::finished, [&](const ui::TaskResult& result) { status = result.status; });
  QTest::mouseClick(window_->taskProgress()->cancelButton(), Qt::LeftButton);
  QVERIFY(window_->taskProgress()->label()->text().contains("cancelling"));
  QVERIFY(finished.wait(120000));
  QVERIFY(status == ui::TaskResult::Status::Cancelled);
  QCOMPARE(window_->project()->trees().count(), test::kSampleTrees);
  QVERIFY(window_->statusBar()->currentMessage().contains("cancelled"));
  // The next import runs as usual.
  QVERIFY(window_->importJsonl(writeRows("few.jsonl", 3)).isEmpty());
  QCOMPARE(window_->project()->trees().count(), test::kSampleTrees + 3);
}

void ShellTest::exportWritesTheWholeFileInTheBackground() {
  const QString file = dir_->filePath("pairs.jsonl");
  QString error;
  ui::BackgroundTask* task = window_->startExport(file, "dpo", &error);
  QVERIFY2(task, qPrintable(error));
  QSignalSpy finished(task, &ui::BackgroundTask::finished);
  QVERIFY(finished.wait(60000));
  QFile written(file);
  QVERIFY(written.open(QIODevice::ReadOnly));
  const QList<QByteArray> lines = written.readAll().trimmed().split('\n');
  QCOMPARE(lines.size(), 1); // the haiku's two candidates: one pair
  QVERIFY(lines.first().contains("\"chosen\""));
  QVERIFY(!QFile::exists(file + ".partial"));
  QVERIFY(window_->statusBar()->currentMessage().contains("Exported 1 rows"));
  QVERIFY(!window_->startExport(file, "yaml", &error));
  QVERIFY(error.contains("yaml"));
}

QTEST_MAIN(ShellTest)
#include "tst_shell.moc"

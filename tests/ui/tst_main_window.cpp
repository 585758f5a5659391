// MainWindow driven like a user would: offscreen, with mouse clicks and typed keys,
// over a project imported from SampleProject.h.

#include "ConversationListModel.h"
#include "ConversationPanel.h"
#include "MainWindow.h"
#include "SampleProject.h"
#include "TurnDelegate.h"
#include "TurnListModel.h"
#include "TurnPanel.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace collab;
using collab::ui::ConversationListModel;
using collab::ui::MainWindow;
using collab::ui::TurnListModel;

class MainWindowTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();

  void showsProjectInTitleAndStatusBar();
  void listsTheConversations();
  void selectsTheFirstConversationOnLoad();
  void clickingARowShowsItsTurns();
  void turnCardsShowMarkersAndWrapText();
  void searchBoxFiltersTheTable();
  void modelsPassTheModelTesterWhileUsed();
  void importAddsConversations();
  void failedImportReportsTheLineAndChangesNothing();
  void openProjectSwitchesProjects();
  void openingANonProjectReportsAndKeepsTheOldOne();
  void anEmptyProjectSaysHowToFillIt();
  void hasTheFileMenu();

private:
  QString writeFile(const QString& name, const QByteArray& content);
  QString countsText() const { return window_->findChild<QLabel*>("projectCounts")->text(); }
  QTableView* table() const { return window_->conversationPanel()->view(); }
  void clickRow(int row);

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void MainWindowTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  QVERIFY(dir_->isValid());
  window_ = std::make_unique<MainWindow>();
  window_->setProject(test::makeProject(dir_->filePath("sample.collab"), test::kSampleRows));
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void MainWindowTest::cleanup() {
  window_.reset();
  dir_.reset();
}

QString MainWindowTest::writeFile(const QString& name, const QByteArray& content) {
  const QString path = dir_->filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) qFatal("cannot write %s", qPrintable(path));
  return path;
}

void MainWindowTest::clickRow(int row) {
  const QModelIndex index = table()->model()->index(row, ConversationListModel::TitleColumn);
  const QRect rect = table()->visualRect(index);
  QVERIFY(rect.isValid());
  QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, rect.center());
}

void MainWindowTest::showsProjectInTitleAndStatusBar() {
  QCOMPARE(window_->windowTitle(), QString::fromUtf8("CollabLLM Workbench — sample"));
  QCOMPARE(countsText(), "3 trees · 13 nodes");
  QCOMPARE(window_->findChild<QLabel*>("projectPath")->text(), dir_->filePath("sample.collab"));
}

void MainWindowTest::listsTheConversations() {
  QAbstractItemModel* model = table()->model();
  QCOMPARE(model->rowCount(), test::kSampleTrees);
  QCOMPARE(model->index(0, ConversationListModel::TitleColumn).data().toString(), "Write a haiku about autumn leaves");
  QCOMPARE(model->index(1, ConversationListModel::TitleColumn).data().toString(),
           "How many tiles for a 3 by 4 metre bathroom floor?");
  QCOMPARE(model->index(2, ConversationListModel::TitleColumn).data().toString(), "Describe a zebra crossing");
  QCOMPARE(model->index(0, ConversationListModel::BranchesColumn).data().toString(), "2");
  QCOMPARE(model->index(0, ConversationListModel::BestMrColumn).data().toString(), "0.900");
  // The title column gets the width the numbers leave.
  QVERIFY(table()->columnWidth(ConversationListModel::TitleColumn) > table()->columnWidth(ConversationListModel::BestMrColumn));
}

void MainWindowTest::selectsTheFirstConversationOnLoad() {
  QCOMPARE(table()->selectionModel()->currentIndex().row(), 0);
  QVERIFY(table()->selectionModel()->isRowSelected(0, {}));
  QCOMPARE(window_->turnModel()->rowCount(), 4);
  QVERIFY(window_->turnPanel()->heading()->text().contains("Write a haiku about autumn leaves"));
}

void MainWindowTest::clickingARowShowsItsTurns() {
  clickRow(1);
  TurnListModel* turns = window_->turnModel();
  QCOMPARE(turns->rowCount(), 2);
  QCOMPARE(turns->index(0).data(TurnListModel::RoleNameRole).toString(), "user");
  QCOMPARE(turns->index(0).data().toString(), "How many tiles for a 3 by 4 metre bathroom floor?");
  QCOMPARE(turns->index(1).data(TurnListModel::RoleNameRole).toString(), "assistant");
  QVERIFY(turns->index(1).data().toString().startsWith("Twelve square metres"));
  QCOMPARE(turns->index(1).data(TurnListModel::MrRole).toDouble(), 0.5);
  QVERIFY(window_->turnPanel()->heading()->text().contains("How many tiles"));

  clickRow(0);
  QCOMPARE(turns->rowCount(), 4);
  QCOMPARE(turns->index(1).data(TurnListModel::BranchLabelRole).toString(), "2 of 2 alternatives");
  QCOMPARE(turns->index(3).data(TurnListModel::MrRole).toDouble(), 0.9);
}

void MainWindowTest::turnCardsShowMarkersAndWrapText() {
  QListView* view = window_->turnPanel()->view();
  const QModelIndex question = view->model()->index(1, 0);
  const QString markers = ui::TurnDelegate::markers(question);
  QVERIFY2(markers.contains("2 of 2 alternatives"), qPrintable(markers));
  QVERIFY2(markers.contains("2 sampled continuations"), qPrintable(markers));
  QVERIFY2(markers.contains("MR 0.800"), qPrintable(markers));
  QCOMPARE(ui::TurnDelegate::markers(view->model()->index(0, 0)), ""); // the first user turn has none

  // Cards are laid out one under the other and re-wrap when the panel narrows.
  const QRect first = view->visualRect(view->model()->index(0, 0));
  const QRect second = view->visualRect(question);
  QVERIFY(first.height() > view->fontMetrics().height());
  QVERIFY(second.top() >= first.bottom());
  const QModelIndex answer = view->model()->index(3, 0);
  const int wideHeight = view->visualRect(answer).height();
  QDockWidget* reader = window_->dock("readerDock");
  window_->resizeDocks({reader}, {reader->width() / 2}, Qt::Horizontal);
  QTRY_VERIFY(view->visualRect(answer).height() > wideHeight);
}

void MainWindowTest::searchBoxFiltersTheTable() {
  QLineEdit* search = window_->conversationPanel()->searchBox();
  // The table is filtered once typing pauses, not on every key.
  QTest::keyClicks(search, "zebra");
  QCOMPARE(window_->conversationModel()->textFilter(), "");
  QTRY_COMPARE(window_->conversationModel()->textFilter(), "zebra");
  QTRY_COMPARE(table()->model()->rowCount(), 1); // searched in the background
  QCOMPARE(table()->model()->index(0, ConversationListModel::TitleColumn).data().toString(), "Describe a zebra crossing");
  // The match becomes the current conversation.
  QTRY_COMPARE(window_->turnModel()->rowCount(), 2);
  QCOMPARE(window_->turnModel()->index(1).data().toString(), "A striped pedestrian crossing where cars must give way.");

  // Text of any turn counts, not only titles; a prefix is enough while typing.
  search->clear();
  QTest::keyClicks(search, "melanch");
  QTRY_COMPARE(window_->conversationModel()->textFilter(), "melanch");
  QTRY_COMPARE(table()->model()->rowCount(), 1);
  QCOMPARE(table()->model()->index(0, ConversationListModel::TitleColumn).data().toString(),
           "Write a haiku about autumn leaves");

  search->clear();
  QTest::keyClicks(search, "nothing matches this");
  QTRY_COMPARE(window_->conversationModel()->textFilter(), "nothing matches this");
  QTRY_VERIFY(!window_->conversationModel()->isLoading());
  QCOMPARE(table()->model()->rowCount(), 0);
  QCOMPARE(window_->turnModel()->rowCount(), 0);
  QVERIFY(window_->turnPanel()->heading()->text().contains("No conversation"));

  search->clear();
  QTRY_COMPARE(window_->conversationModel()->textFilter(), "");
  QCOMPARE(table()->model()->rowCount(), test::kSampleTrees);
  QCOMPARE(window_->turnModel()->rowCount(), 4);
}

void MainWindowTest::modelsPassTheModelTesterWhileUsed() {
  QAbstractItemModelTester conversations(window_->conversationModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester turns(window_->turnModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  clickRow(2);
  clickRow(0);
  QTest::keyClicks(window_->conversationPanel()->searchBox(), "tiles");
  QTRY_COMPARE(window_->conversationModel()->textFilter(), "tiles");
  QTRY_COMPARE(window_->conversationModel()->rowCount(), 1);
  QVERIFY(window_->importJsonl(writeFile("more.jsonl", test::manyRows(5).c_str())).isEmpty());
}

void MainWindowTest::importAddsConversations() {
  const QString error = window_->importJsonl(writeFile("more.jsonl", test::manyRows(2).c_str()));
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QCOMPARE(table()->model()->rowCount(), test::kSampleTrees + 2);
  QCOMPARE(countsText(), "5 trees · 17 nodes");
  QCOMPARE(table()->model()->index(4, ConversationListModel::TitleColumn).data().toString(), "Question 2 about the apple");
  QVERIFY(window_->statusBar()->currentMessage().contains("2 new trees"));
}

void MainWindowTest::failedImportReportsTheLineAndChangesNothing() {
  // Line 2 lacks its completion: the whole file is refused, line 1 included.
  const QString path = writeFile("bad.jsonl", QByteArray(test::manyRows(1).c_str()) +
                                                  R"({"prompt":[{"role":"user","content":"hi"}],"conv_id":"x"})" "\n");
  const QString error = window_->importJsonl(path);
  QVERIFY(error.contains("bad.jsonl:2"));
  QVERIFY2(error.contains("completion"), qPrintable(error));
  QCOMPARE(table()->model()->rowCount(), test::kSampleTrees);
  QCOMPARE(countsText(), "3 trees · 13 nodes");

  QVERIFY(!window_->importJsonl(dir_->filePath("missing.jsonl")).isEmpty());
}

void MainWindowTest::openProjectSwitchesProjects() {
  const QString other = dir_->filePath("other.collab");
  test::makeProject(other, test::manyRows(1), "other").reset();
  QVERIFY(window_->openProject(other).isEmpty());
  QCOMPARE(window_->windowTitle(), QString::fromUtf8("CollabLLM Workbench — other"));
  QCOMPARE(table()->model()->rowCount(), 1);
  QCOMPARE(window_->turnModel()->rowCount(), 2);
  QCOMPARE(window_->turnModel()->index(0).data().toString(), "Question 1 about the apple");
  QCOMPARE(countsText(), "1 tree · 2 nodes");
}

void MainWindowTest::openingANonProjectReportsAndKeepsTheOldOne() {
  const QString notes = writeFile("notes.collab", "just some notes\n");
  const QString error = window_->openProject(notes);
  QVERIFY2(error.contains("notes.collab"), qPrintable(error));
  QVERIFY(!window_->openProject(dir_->filePath("nowhere.collab")).isEmpty());
  QCOMPARE(table()->model()->rowCount(), test::kSampleTrees);
  QCOMPARE(window_->windowTitle(), QString::fromUtf8("CollabLLM Workbench — sample"));
}

void MainWindowTest::anEmptyProjectSaysHowToFillIt() {
  window_->setProject(std::make_unique<store::Project>(store::Project::create(test::fsPath(dir_->filePath("empty.collab")))));
  QCOMPARE(table()->model()->rowCount(), 0);
  QCOMPARE(window_->turnModel()->rowCount(), 0);
  QVERIFY(window_->turnPanel()->heading()->text().contains("Import JSONL"));
  QCOMPARE(countsText(), "0 trees · 0 nodes");
  QCOMPARE(window_->windowTitle(), QString::fromUtf8("CollabLLM Workbench — empty"));

  window_->setProject(nullptr);
  QCOMPARE(window_->windowTitle(), "CollabLLM Workbench");
  QVERIFY(window_->turnPanel()->heading()->text().contains("Open project"));
}

void MainWindowTest::hasTheFileMenu() {
  const QList<QAction*> menus = window_->menuBar()->actions();
  QStringList titles;
  for (QAction* menu : menus) titles << menu->text();
  QCOMPARE(titles, QStringList({"&File", "&Edit", "&Turn", "&View", "&Annotate", "&Tools", "&Runs", "&Demo"})); // Annotate, Tools: ToolPanels; Runs, Demo: RunPanels
  QStringList items;
  for (QAction* action : menus[0]->menu()->actions())
    if (!action->isSeparator()) items << action->text();
  QCOMPARE(items, QStringList({"&Open project…", "Open &recent", "&Import JSONL…", "&Export JSONL…", "&Quit"}));
}

QTEST_MAIN(MainWindowTest)
#include "tst_main_window.moc"

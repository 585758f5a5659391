// Every edit of a conversation tree through the document's undo stack: done, undone and
// redone, the project matches row for row (ids, texts, scores, preferences) what it was
// at each step; failed edits change nothing and leave no command behind.

#include "ConversationPanel.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "SampleProject.h"
#include "TreeNodeItem.h"
#include "TreePanel.h"
#include "TreeScene.h"
#include "TreeView.h"
#include "TurnActions.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <QAction>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace collab;
using collab::conversation::NodeId;
using collab::conversation::Role;
using collab::ui::MainWindow;

class UndoEditsTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();

  void editTurnText();
  void branchFromHere();
  void pruneABranch();
  void moveABranch();
  void markChosen();
  void failedEditsChangeNothing();
  void shortcutsEditAndUndo();
  void undoShowsTheConversationItChanges();

private:
  ui::ProjectDocument& document() const { return *window_->document(); }
  QUndoStack& stack() const { return *document().undoStack(); }
  NodeId nodeWithText(const char* start) const;
  std::string rows() const;
  ui::TreeScene* scene() const { return window_->treePanel()->view()->treeScene(); }
  // Undo and redo, checking the rows before and after at each step.
  void checkUndoRedo(const std::string& before, const std::string& after);

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void UndoEditsTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  window_ = std::make_unique<MainWindow>();
  window_->setProject(test::makeProject(dir_->filePath("sample.collab"), test::kSampleRows));
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void UndoEditsTest::cleanup() {
  window_.reset();
  dir_.reset();
}

NodeId UndoEditsTest::nodeWithText(const char* start) const {
  SQLite::Statement query(window_->project()->database(), "SELECT id FROM nodes WHERE content LIKE ? || '%'");
  query.bind(1, start);
  if (!query.executeStep()) qFatal("no node starts with %s", start);
  return query.getColumn(0).getInt64();
}

std::string UndoEditsTest::rows() const {
  std::string text;
  for (const char* table : {"nodes", "scores", "annotations", "preferences"}) {
    SQLite::Statement query(window_->project()->database(), std::string("SELECT * FROM ") + table + " ORDER BY id");
    text += std::string("# ") + table + "\n";
    while (query.executeStep()) {
      for (int c = 0; c < query.getColumnCount(); ++c)
        text += (query.getColumn(c).isNull() ? std::string("NULL") : query.getColumn(c).getString()) + "|";
      text += "\n";
    }
  }
  return text;
}

void UndoEditsTest::checkUndoRedo(const std::string& before, const std::string& after) {
  QCOMPARE(rows(), after);
  stack().undo();
  QCOMPARE(rows(), before);
  stack().redo();
  QCOMPARE(rows(), after);
  stack().undo();
  QCOMPARE(rows(), before);
}

void UndoEditsTest::editTurnText() {
  const NodeId crimson = nodeWithText("Crimson leaves");
  const std::string before = rows();
  QCOMPARE(document().editTurn(crimson, "Golden leaves fall slowly"), QString());
  QCOMPARE(stack().count(), 1);
  QCOMPARE(stack().undoText(), QStringLiteral("Edit turn %1").arg(crimson));
  QCOMPARE(document().currentNode(), std::optional<NodeId>(crimson));
  QVERIFY(scene()->itemFor(crimson)->look().excerpt.startsWith("Golden leaves"));
  QCOMPARE(window_->project()->nodes().search("golden").size(), std::size_t(1));
  checkUndoRedo(before, rows());
  QVERIFY(scene()->itemFor(crimson)->look().excerpt.startsWith("Crimson leaves"));
}

void UndoEditsTest::branchFromHere() {
  const NodeId asks = nodeWithText("Before I write it");
  const std::string before = rows();
  QCOMPARE(document().branchFrom(asks, Role::User, "Playful, with a pun."), QString());
  const NodeId added = *document().currentNode();
  QVERIFY(added != asks);
  QCOMPARE(window_->project()->nodes().find(added)->parentId, std::optional<NodeId>(asks));
  QVERIFY(window_->project()->nodes().find(added)->author.rfind("human:", 0) == 0);
  QVERIFY(scene()->itemFor(added));
  const std::string after = rows();
  checkUndoRedo(before, after);
  QVERIFY(!scene()->itemFor(added));
  QCOMPARE(document().currentNode(), std::optional<NodeId>(asks));
  stack().redo(); // the same id comes back
  QVERIFY(scene()->itemFor(added));
  QCOMPARE(document().branchFrom(asks, Role::User, "   "), QStringLiteral("A new turn needs some text."));
}

void UndoEditsTest::pruneABranch() {
  const NodeId asks = nodeWithText("Before I write it");
  const std::string before = rows();
  QCOMPARE(document().prune(asks), QString());
  // It, its two futures, the follow-up and its answer; the MR scores with them.
  QCOMPARE(window_->project()->counts().nodes, std::int64_t(13 - 5));
  QCOMPARE(document().currentNode(), std::optional<NodeId>(nodeWithText("Write a haiku")));
  QCOMPARE(scene()->visibleCount(), 4);
  checkUndoRedo(before, rows());
  QCOMPARE(scene()->visibleCount(), 9);
  QCOMPARE(document().currentNode(), std::optional<NodeId>(asks));
}

void UndoEditsTest::moveABranch() {
  const NodeId melancholy = nodeWithText("Melancholy, please"), crimson = nodeWithText("Crimson leaves");
  const std::string before = rows();
  QCOMPARE(document().moveBranch(melancholy, crimson), QString());
  QCOMPARE(window_->project()->nodes().find(melancholy)->parentId, std::optional<NodeId>(crimson));
  QCOMPARE(document().snapshot()->tree().pathTo(nodeWithText("Fallen maple")).size(), std::size_t(4));
  checkUndoRedo(before, rows());
  QCOMPARE(window_->project()->nodes().find(melancholy)->parentId, std::optional<NodeId>(nodeWithText("Before I write")));
}

void UndoEditsTest::markChosen() {
  const NodeId crimson = nodeWithText("Crimson leaves"), asks = nodeWithText("Before I write it");
  const std::string before = rows();
  QCOMPARE(document().markChosen(crimson), QString());
  QVERIFY(scene()->itemFor(crimson)->look().chosen);
  QVERIFY(scene()->itemFor(asks)->look().rejected);
  const std::string first = rows();
  // Changing one's mind replaces the earlier choice; undo brings it back.
  QCOMPARE(document().markChosen(asks), QString());
  QVERIFY(!scene()->itemFor(crimson)->look().chosen);
  QVERIFY(scene()->itemFor(asks)->look().chosen);
  checkUndoRedo(first, rows());
  QVERIFY(scene()->itemFor(crimson)->look().chosen);
  stack().undo();
  QCOMPARE(rows(), before);
  QVERIFY(!scene()->itemFor(crimson)->look().chosen);
}

void UndoEditsTest::failedEditsChangeNothing() {
  const NodeId root = nodeWithText("Write a haiku"), fallen = nodeWithText("Fallen maple");
  const std::string before = rows();
  const QString error = document().moveBranch(root, fallen);
  QVERIFY2(error.contains("inside the branch being moved"), qPrintable(error));
  QCOMPARE(document().markChosen(fallen).contains("no alternatives"), true);
  QCOMPARE(stack().count(), 0);
  QCOMPARE(rows(), before);
  QCOMPARE(document().editTurn(424242, "x"), QStringLiteral("Turn 424242 is not in the project any more."));
}

void UndoEditsTest::shortcutsEditAndUndo() {
  const NodeId asks = nodeWithText("Before I write it");
  window_->treePanel()->view()->setFocus();
  QTest::keyClick(window_.get(), Qt::Key_K, Qt::ControlModifier); // Turn › Mark as chosen
  QVERIFY(scene()->itemFor(asks)->look().chosen);
  // Delete in the conversation list prunes nothing; in the tree it prunes the turn.
  window_->conversationPanel()->view()->setFocus();
  QTest::keyClick(window_->conversationPanel()->view(), Qt::Key_Delete);
  QVERIFY(scene()->itemFor(asks));
  window_->treePanel()->view()->setFocus();
  QTest::keyClick(window_->treePanel()->view(), Qt::Key_Delete); // Turn › Prune branch
  QVERIFY(!scene()->itemFor(asks));
  QTest::keyClick(window_.get(), Qt::Key_Z, Qt::ControlModifier);
  QVERIFY(scene()->itemFor(asks));
  QVERIFY(scene()->itemFor(asks)->look().chosen);
  QTest::keyClick(window_.get(), Qt::Key_Z, Qt::ControlModifier);
  QVERIFY(!scene()->itemFor(asks)->look().chosen);
  QVERIFY(!window_->turnActions()->undo()->isEnabled());
  QVERIFY(window_->turnActions()->redo()->isEnabled());
}

void UndoEditsTest::undoShowsTheConversationItChanges() {
  const NodeId crimson = nodeWithText("Crimson leaves");
  QCOMPARE(document().editTurn(crimson, "Edited"), QString());
  QTableView* table = window_->conversationPanel()->view();
  QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(2, 1)).center());
  QCOMPARE(document().currentTree(), window_->conversationPanel()->currentTree());
  QVERIFY(document().currentTree() != window_->project()->nodes().find(crimson)->treeId);
  stack().undo();
  QCOMPARE(document().currentTree(), std::optional<conversation::TreeId>(window_->project()->nodes().find(crimson)->treeId));
  QCOMPARE(document().currentNode(), std::optional<NodeId>(crimson));
  QCOMPARE(table->currentIndex().row(), 0);
}

QTEST_MAIN(UndoEditsTest)
#include "tst_undo_edits.moc"

// The tree view driven like a user would: clicks and keys on the real window, offscreen,
// over the sample project (SampleProject.h) and a synthetic 5,000-node tree.

#include "MainWindow.h"
#include "ProjectDocument.h"
#include "RewardPanel.h"
#include "SampleProject.h"
#include "ScoreLegend.h"
#include "SyntheticTrees.h"
#include "TreeNodeItem.h"
#include "TreePanel.h"
#include "TreeScene.h"
#include "TreeView.h"
#include "TurnInspector.h"
#include "TurnListModel.h"
#include "TurnPanel.h"
#include "store/Transaction.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QListView>
#include <QStyleOptionGraphicsItem>
#include <QTest>
#include <QTextBrowser>

#include <map>

using namespace collab;
using collab::conversation::NodeId;
using collab::ui::MainWindow;
using collab::ui::TreeNodeItem;
using collab::ui::TreeView;

class TreeViewTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();

  void opensOnTheFirstAnswerOfTheBestPath();
  void clickingANodeShowsItEverywhere();
  void keyboardMovesThroughTheTree();
  void spaceCollapsesAndExpands();
  void coloursFollowTheChosenScore();
  void farAwayCardsAreDrawnAsPlainBlocks();
  void fiveThousandNodesLayOutWithoutOverlap();

private:
  TreeView* view() const { return window_->treePanel()->view(); }
  const ui::TreeSnapshot& snapshot() const { return *window_->document()->snapshot(); }
  NodeId nodeWithText(const char* start) const;
  void click(NodeId node);
  void key(Qt::Key key) { QTest::keyClick(view(), key); }
  NodeId current() const { return window_->document()->currentNode().value_or(0); }

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void TreeViewTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  window_ = std::make_unique<MainWindow>();
  window_->setProject(test::makeProject(dir_->filePath("sample.collab"), test::kSampleRows));
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TreeViewTest::cleanup() {
  window_.reset();
  dir_.reset();
}

NodeId TreeViewTest::nodeWithText(const char* start) const {
  for (const auto& node : snapshot().tree().nodes())
    if (node.content.rfind(start, 0) == 0) return node.id;
  qFatal("no node starts with %s", start);
}

void TreeViewTest::click(NodeId node) {
  TreeNodeItem* item = view()->treeScene()->itemFor(node);
  QVERIFY(item);
  view()->centerOn(item);
  QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, view()->mapFromScene(item->scenePos()));
}

void TreeViewTest::opensOnTheFirstAnswerOfTheBestPath() {
  // The haiku tree: "Before I write it" (MR 0.8) beats "Crimson leaves" (MR 0.3).
  const NodeId asks = nodeWithText("Before I write it");
  QCOMPARE(current(), asks);
  QVERIFY(view()->treeScene()->itemFor(asks)->isSelected());
  QCOMPARE(view()->treeScene()->visibleCount(), 9);
  QCOMPARE(window_->inspector()->title()->text(), QStringLiteral("Assistant turn %1").arg(asks));
  QVERIFY(window_->rewardPanel()->summary()->text().contains("MR 0.800"));
  QCOMPARE(window_->turnModel()->rowCount(), 4);
  QCOMPARE(window_->turnPanel()->view()->currentIndex().row(), 1);
}

void TreeViewTest::clickingANodeShowsItEverywhere() {
  const NodeId crimson = nodeWithText("Crimson leaves");
  click(crimson);
  QCOMPARE(current(), crimson);
  QVERIFY(view()->treeScene()->itemFor(crimson)->isSelected());
  QVERIFY(!view()->treeScene()->itemFor(nodeWithText("Before I write it"))->isSelected());
  QVERIFY(window_->inspector()->text()->toPlainText().startsWith("Crimson leaves drift down"));
  QVERIFY2(window_->inspector()->author()->text().startsWith("Dataset"), qPrintable(window_->inspector()->author()->text()));
  QVERIFY(window_->inspector()->placement()->text().contains("candidate 1 of 2"));
  QVERIFY(window_->rewardPanel()->summary()->text().contains("MR 0.300"));
  // The reader follows the path through the clicked candidate, which ends there.
  QCOMPARE(window_->turnModel()->rowCount(), 2);
  QCOMPARE(window_->turnPanel()->view()->currentIndex().row(), 1);

  // A sampled future is a node of its own.
  const NodeId future = nodeWithText("Too cheerful");
  click(future);
  QCOMPARE(current(), future);
  QVERIFY(window_->inspector()->placement()->text().contains("sampled future 1"));

  // Clicking a card of the reader moves the tree's selection too.
  click(nodeWithText("Before I write it"));
  QListView* reader = window_->turnPanel()->view();
  const QRect last = reader->visualRect(reader->model()->index(3, 0));
  QTest::mouseClick(reader->viewport(), Qt::LeftButton, {}, last.center());
  QCOMPARE(current(), nodeWithText("Fallen maple leaves"));
  QVERIFY(view()->treeScene()->itemFor(current())->isSelected());
}

void TreeViewTest::keyboardMovesThroughTheTree() {
  view()->setFocus();
  const NodeId asks = nodeWithText("Before I write it"), crimson = nodeWithText("Crimson leaves");
  key(Qt::Key_Up);
  QCOMPARE(current(), nodeWithText("Write a haiku"));
  key(Qt::Key_Down); // to the best answer, not the first
  QCOMPARE(current(), asks);
  key(Qt::Key_Left);
  QCOMPARE(current(), crimson);
  key(Qt::Key_Left); // no sibling further left: stays
  QCOMPARE(current(), crimson);
  key(Qt::Key_Right);
  QCOMPARE(current(), asks);
  key(Qt::Key_Down);
  QCOMPARE(current(), nodeWithText("Melancholy, please"));
  key(Qt::Key_Down);
  QCOMPARE(current(), nodeWithText("Fallen maple leaves"));
  QCOMPARE(window_->inspector()->title()->text(), QStringLiteral("Assistant turn %1").arg(current()));
  key(Qt::Key_Home);
  QCOMPARE(current(), nodeWithText("Write a haiku"));
  // A candidate without a follow-up goes down into its first sampled future.
  key(Qt::Key_Down);
  key(Qt::Key_Left);
  key(Qt::Key_Down);
  QCOMPARE(current(), nodeWithText("Too cheerful"));
  key(Qt::Key_Right);
  QCOMPARE(current(), nodeWithText("Not a haiku"));
}

void TreeViewTest::spaceCollapsesAndExpands() {
  view()->setFocus();
  const NodeId asks = nodeWithText("Before I write it");
  key(Qt::Key_Space);
  QVERIFY(view()->treeScene()->isCollapsed(asks));
  QCOMPARE(view()->treeScene()->visibleCount(), 5); // its 2 futures and 2 follow-up turns hidden
  QVERIFY(!view()->treeScene()->itemFor(nodeWithText("Fallen maple leaves")));
  QCOMPARE(view()->treeScene()->itemFor(asks)->look().hiddenBelow, 4);
  QVERIFY(view()->treeScene()->itemFor(asks)->isSelected());
  key(Qt::Key_Space);
  QCOMPARE(view()->treeScene()->visibleCount(), 9);
  // Moving to a hidden node (from the reader) unfolds what hid it.
  key(Qt::Key_Space);
  window_->document()->setCurrentNode(nodeWithText("Fallen maple leaves"));
  QCOMPARE(view()->treeScene()->visibleCount(), 9);
  QVERIFY(view()->treeScene()->itemFor(current())->isSelected());
}

void TreeViewTest::coloursFollowTheChosenScore() {
  ui::TreeScene* scene = view()->treeScene();
  const QColor best = scene->itemFor(nodeWithText("Before I write it"))->look().fill;
  const QColor worst = scene->itemFor(nodeWithText("Crimson leaves"))->look().fill;
  QVERIFY(best != worst);
  QVERIFY(best.green() > worst.green()); // higher MR, greener
  QCOMPARE(scene->itemFor(nodeWithText("Write a haiku"))->look().fill, ui::ScoreColourMap::missing());
  QVERIFY(view()->legend()->label().contains("MR"));
  QCOMPARE(scene->itemFor(nodeWithText("Before I write it"))->look().score, "MR 0.800");

  window_->treePanel()->colourBox()->setCurrentText("task"); // the sample has no task scores
  QCOMPARE(view()->legend()->label(), "task");
  QCOMPARE(scene->itemFor(nodeWithText("Before I write it"))->look().fill, ui::ScoreColourMap::missing());
  QCOMPARE(scene->itemFor(nodeWithText("Before I write it"))->look().score, "");
}

void TreeViewTest::farAwayCardsAreDrawnAsPlainBlocks() {
  // Drawn at a tenth of its size a card is one flat colour; at full size it has text.
  TreeNodeItem* item = view()->treeScene()->itemFor(nodeWithText("Before I write it"));
  auto coloursAt = [item](double scale) {
    QImage image(400, 200, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.translate(200, 100);
    painter.scale(scale, scale);
    QStyleOptionGraphicsItem option;
    item->paint(&painter, &option, nullptr);
    painter.end();
    const QRect card = QRectF(200 - TreeNodeItem::kWidth * scale / 2 + 1, 100 - TreeNodeItem::kHeight * scale / 2 + 1,
                              TreeNodeItem::kWidth * scale - 2, TreeNodeItem::kHeight * scale - 2)
                           .toAlignedRect()
                           .adjusted(1, 1, -1, -1);
    QSet<QRgb> colours;
    for (int y = card.top(); y <= card.bottom(); ++y)
      for (int x = card.left(); x <= card.right(); ++x) colours.insert(image.pixel(x, y));
    return colours.size();
  };
  QCOMPARE(coloursAt(0.1), 1);
  QVERIFY(coloursAt(1.0) > 10);
}

void TreeViewTest::fiveThousandNodesLayOutWithoutOverlap() {
  store::Project* project = window_->project();
  conversation::TreeId tree = 0;
  {
    store::Transaction transaction(project->database());
    tree = test::addSyntheticTree(*project, 5000, 7);
    transaction.commit();
  }
  QElapsedTimer timer;
  timer.start();
  window_->document()->setCurrentTree(tree);
  view()->treeScene()->expandAll();
  const qint64 ms = timer.elapsed();
  ui::TreeScene* scene = view()->treeScene();
  QCOMPARE(scene->visibleCount(), 5000);

  std::map<double, std::vector<double>> rows; // y -> x of every card on that row
  for (const auto& node : snapshot().tree().nodes()) {
    const QPointF at = scene->itemFor(node.id)->pos();
    rows[at.y()].push_back(at.x());
  }
  for (auto& [y, xs] : rows) {
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 1; i < xs.size(); ++i)
      QVERIFY2(xs[i] - xs[i - 1] >= TreeNodeItem::kWidth, qPrintable(QStringLiteral("cards overlap on row %1").arg(y)));
  }
  QVERIFY(rows.size() > 10);

  // Culling: at a readable zoom the view asks the scene's index for a small part.
  view()->resetTransform();
  view()->centerOn(scene->itemFor(snapshot().tree().roots().front()));
  const int onScreen = static_cast<int>(scene->items(view()->mapToScene(view()->viewport()->rect())).size());
  QVERIFY2(onScreen < 200, qPrintable(QString::number(onScreen)));
  qInfo("5,000-node tree: read, laid out and drawn into the scene in %lld ms; %d of %d items on screen",
        static_cast<long long>(ms), onScreen, static_cast<int>(scene->items().size()));
}

QTEST_MAIN(TreeViewTest)
#include "tst_tree_view.moc"

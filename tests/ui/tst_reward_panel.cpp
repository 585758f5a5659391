// The turn inspector, the reward panel, re-scoring and the comparison, over conversations
// simulated by the built-in engine (every reward part, sampled futures) and imported rows.

#include "AlternativesBoxPlot.h"
#include "ComparisonModel.h"
#include "ComparisonPanel.h"
#include "FuturesRewardPlot.h"
#include "MainWindow.h"
#include "PathMrPlot.h"
#include "ProjectDocument.h"
#include "RewardPanel.h"
#include "SampleProject.h"
#include "SimulatedProject.h"
#include "TurnInspector.h"
#include "TurnListModel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace collab;
using collab::conversation::NodeId;
using collab::ui::MainWindow;

class RewardPanelTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();

  void inspectorDescribesTheTurn();
  void showsTheMrOfTheCurrentAnswer();
  void otherTurnsSayWhatTheyHave();
  void rescoreRunsInTheBackgroundAndShowsOldAndNew();
  void rescoreOfAnImportedTurnFailsWhereItHappened();
  void comparesAnAnswerWithItsBestAlternative();
  void comparesAPinnedTurnWithTheCurrentOne();

private:
  ui::ProjectDocument& document() const { return *window_->document(); }
  const ui::TreeSnapshot& snapshot() const { return *document().snapshot(); }
  ui::RewardPanel* panel() const { return window_->rewardPanel(); }
  NodeId current() const { return document().currentNode().value_or(0); }
  std::vector<NodeId> turnSiblingsOf(NodeId node) const;

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void RewardPanelTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  auto project = test::makeSimulatedProject(dir_->filePath("simulated.collab"));
  test::importRows(*project, test::kSampleRows);
  window_ = std::make_unique<MainWindow>();
  window_->setProject(std::move(project));
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  QVERIFY(snapshot().record().source.rfind("simulate:", 0) == 0);
}

void RewardPanelTest::cleanup() {
  window_.reset();
  dir_.reset();
}

std::vector<NodeId> RewardPanelTest::turnSiblingsOf(NodeId node) const {
  std::vector<NodeId> result;
  for (NodeId sibling : snapshot().tree().siblings(node))
    if (snapshot().tree().at(sibling).kind == conversation::NodeKind::Turn) result.push_back(sibling);
  return result;
}

void RewardPanelTest::inspectorDescribesTheTurn() {
  ui::TurnInspector* inspector = window_->inspector();
  const conversation::Node& answer = snapshot().tree().at(current());
  QCOMPARE(inspector->title()->text(), QStringLiteral("Assistant turn %1").arg(answer.id));
  QVERIFY2(inspector->author()->text().startsWith("Policy — scripted/"), qPrintable(inspector->author()->text()));
  QVERIFY(inspector->tokens()->text().contains("whitespace words"));
  const std::vector<NodeId> siblings = turnSiblingsOf(answer.id);
  const auto position = std::find(siblings.begin(), siblings.end(), answer.id) - siblings.begin() + 1;
  QVERIFY(inspector->placement()->text().contains(QStringLiteral("candidate %1 of %2").arg(position).arg(siblings.size())));
  QCOMPARE(inspector->text()->toPlainText().left(20), QString::fromStdString(answer.content).left(20));
  // The user's turns were played by the persona, version recorded.
  document().setCurrentNode(snapshot().tree().roots().front());
  QVERIFY2(inspector->author()->text().contains("persona impatient-expert, version 1"), qPrintable(inspector->author()->text()));
  QVERIFY(inspector->author()->text().contains("rule-based"));
}

void RewardPanelTest::showsTheMrOfTheCurrentAnswer() {
  const reward::Score* mr = snapshot().latest(current(), "MR");
  QVERIFY(mr);
  QVERIFY2(panel()->summary()->text().contains(QStringLiteral("MR %1").arg(mr->value, 0, 'f', 3)), qPrintable(panel()->summary()->text()));
  QVERIFY(panel()->summary()->text().contains("over 3 sampled futures"));
  for (const char* part : {"task", "interactivity", "efficiency"}) QVERIFY(panel()->summary()->text().contains(part));
  QVERIFY(panel()->rationale()->text().contains("assistant turns engaged well"));
  QVERIFY(panel()->config()->toPlainText().contains(QString::fromStdString(mr->configHash)));
  QVERIFY(panel()->config()->toPlainText().contains("\"window\": 2"));
  QCOMPARE(panel()->futuresPlot()->futureCount(), 3);
  QCOMPARE(panel()->futuresPlot()->plottableCount(), 4); // task, interactivity, efficiency bars and the R* points
  int scored = 0;
  for (NodeId sibling : turnSiblingsOf(current())) scored += snapshot().latest(sibling, "MR") != nullptr;
  QVERIFY(scored >= 2);
  QCOMPARE(panel()->alternativesPlot()->boxCount(), scored);
  int onPath = 0;
  for (NodeId node : snapshot().activePath(current())) onPath += snapshot().latest(node, "MR") != nullptr;
  QCOMPARE(panel()->pathPlot()->pointCount(), onPath);
  QVERIFY(panel()->rescoreButton()->isEnabled());
}

void RewardPanelTest::otherTurnsSayWhatTheyHave() {
  const NodeId answer = current();
  document().setCurrentNode(snapshot().tree().roots().front());
  QVERIFY(panel()->summary()->text().contains("user turns have no reward"));
  QVERIFY(!panel()->rescoreButton()->isEnabled());
  QCOMPARE(panel()->futuresPlot()->futureCount(), 0);
  // A sampled future shows its own R*, and the task metric's word on it.
  const NodeId future = snapshot().futuresOf(answer).front();
  document().setCurrentNode(future);
  QVERIFY2(panel()->summary()->text().contains(QStringLiteral("R* %1").arg(*snapshot().value(future, "R*"), 0, 'f', 3)),
           qPrintable(panel()->summary()->text()));
  QVERIFY(panel()->rationale()->text().contains("Task metric"));
  QVERIFY(!panel()->rescoreButton()->isEnabled());
}

void RewardPanelTest::rescoreRunsInTheBackgroundAndShowsOldAndNew() {
  const NodeId answer = current();
  const double before = snapshot().latest(answer, "MR")->value;
  reward::RewardConfig singleTurn = reward::RewardConfig::fromJson(snapshot().latest(answer, "MR")->configJson);
  singleTurn.window = 0;
  QString error;
  ui::BackgroundTask* task = window_->startRescore(answer, singleTurn, &error);
  QVERIFY2(task, qPrintable(error));
  QVERIFY(!panel()->rescoreButton()->isEnabled()); // one at a time
  QVERIFY(!window_->startRescore(answer, singleTurn, &error));
  QVERIFY(error.contains("still running"));
  QSignalSpy finished(task, &ui::BackgroundTask::finished);
  QVERIFY(finished.wait(30000));
  QTRY_VERIFY(panel()->rescoreResult()->text().contains("→"));
  const QString shown = panel()->rescoreResult()->text();
  QVERIFY2(shown.contains(QString::number(before, 'f', 3)) && shown.contains("w=0") && shown.contains("w=2"), qPrintable(shown));
  // The new score is the turn's MR now: one future (w = 0 plays none), a new config.
  QCOMPARE(current(), answer);
  QCOMPARE(snapshot().latest(answer, "MR")->samples.size(), std::size_t(1));
  QVERIFY(snapshot().latest(answer, "MR")->configJson.find("\"window\":0") != std::string::npos);
  QCOMPARE(panel()->futuresPlot()->futureCount(), 1);
  QVERIFY(panel()->rescoreButton()->isEnabled());
  QVERIFY(panel()->config()->toPlainText().contains("\"window\": 0"));
}

void RewardPanelTest::rescoreOfAnImportedTurnFailsWhereItHappened() {
  // The haiku conversation of the sample rows: imported, so no hidden goal to play.
  std::optional<conversation::TreeId> haiku = window_->project()->trees().findByExternalId("collabllm:sample.jsonl", "c-haiku");
  QVERIFY(haiku);
  document().setCurrentTree(*haiku);
  QVERIFY(!panel()->rescoreButton()->isEnabled());
  QVERIFY(panel()->rescoreButton()->toolTip().contains("imported"));
  ui::BackgroundTask* task = window_->startRescore(current(), {});
  QSignalSpy finished(task, &ui::BackgroundTask::finished);
  QVERIFY(finished.wait(30000));
  QTRY_VERIFY(panel()->rescoreResult()->text().contains("Re-score failed"));
  QVERIFY(panel()->rescoreResult()->text().contains("imported"));
}

void RewardPanelTest::comparesAnAnswerWithItsBestAlternative() {
  ui::ComparisonModel* model = window_->comparisonPanel()->model();
  QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  const NodeId answer = current();
  QCOMPARE(model->index(0, 0).data(ui::TurnListModel::NodeIdRole).toLongLong(), answer);
  const NodeId rival = model->index(0, 1).data(ui::TurnListModel::NodeIdRole).toLongLong();
  QVERIFY(rival != answer);
  QCOMPARE(snapshot().tree().at(rival).parentId, snapshot().tree().at(answer).parentId);
  // B is the best-scored of the others.
  for (NodeId sibling : turnSiblingsOf(answer))
    if (sibling != answer) QVERIFY(*snapshot().value(rival, "MR") >= *snapshot().value(sibling, "MR"));
  QCOMPARE(model->fork(), snapshot().tree().at(answer).parentId);
  QVERIFY(model->index(0, 0).data(ui::TurnListModel::BreakdownRole).toString().contains("interactivity"));
  QVERIFY(window_->comparisonPanel()->heading()->text().contains(QString::number(rival)));
  QCOMPARE(window_->comparisonPanel()->breakdownPlot()->plottableCount(), 2); // A and B bars
  // Moving on re-compares.
  document().setCurrentNode(rival);
  QCOMPARE(model->index(0, 0).data(ui::TurnListModel::NodeIdRole).toLongLong(), rival);
}

void RewardPanelTest::comparesAPinnedTurnWithTheCurrentOne() {
  const NodeId answer = current();
  window_->comparisonPanel()->pin(answer);
  const std::vector<NodeId> path = snapshot().activePath(answer);
  const NodeId later = path.back(); // the last turn on the path: same branch, further down
  document().setCurrentNode(later);
  ui::ComparisonModel* model = window_->comparisonPanel()->model();
  QCOMPARE(model->index(0, 0).data(ui::TurnListModel::NodeIdRole).toLongLong(), answer);
  QVERIFY(window_->comparisonPanel()->heading()->text().contains("pinned"));
  // Rows go on as long as the longer branch; the shorter one's cells are empty.
  QCOMPARE(model->rowCount(), static_cast<int>(std::max(model->branch(0).size(), model->branch(1).size())));
  window_->comparisonPanel()->pin(std::nullopt);
  QVERIFY(!window_->comparisonPanel()->heading()->text().contains("pinned"));
}

QTEST_MAIN(RewardPanelTest)
#include "tst_reward_panel.moc"

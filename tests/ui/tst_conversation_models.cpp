// ConversationListModel and TurnListModel against real projects: the item-model contract
// (QAbstractItemModelTester), keyset paging, full-text filtering and the best path.

#include "ConversationListModel.h"
#include "SampleProject.h"
#include "TurnListModel.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace collab;
using collab::ui::ConversationListModel;
using collab::ui::TurnListModel;

class ConversationModelsTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase();

  void conversationModelPassesModelTester();
  void fetchesPagesAfterTheLastId();
  void fullLastPageEndsOnAnEmptyFetch();
  void textFilterRequeriesFromTheStart();
  void showsTreeSummaries();
  void tableViewFetchesMoreWhenScrolledToTheEnd();
  void showsAnnotationStatus();
  void sortsInTheStoreAndPagesInThatOrder();
  void searchesRunInTheBackground();

  void turnModelPassesModelTester();
  void turnModelFollowsBestPathByMr();
  void turnModelClearsForAMissingTree();

private:
  QTemporaryDir dir_;
  std::unique_ptr<store::Project> many_;   // 450 trees
  std::unique_ptr<store::Project> sample_; // the three of SampleProject.h
};

void ConversationModelsTest::initTestCase() {
  QVERIFY(dir_.isValid());
  many_ = test::makeProject(dir_.filePath("many.collab"), test::manyRows(450));
  sample_ = test::makeProject(dir_.filePath("sample.collab"), test::kSampleRows);
  QCOMPARE(many_->trees().count(), 450);
}

void ConversationModelsTest::conversationModelPassesModelTester() {
  ConversationListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setProject(many_.get());
  while (model.canFetchMore({})) model.fetchMore({});
  model.setTextFilter("kiwi");
  model.setPageSize(40);
  model.fetchMore({});
  model.setTextFilter("");
  model.reload();
  model.setProject(nullptr);
  QCOMPARE(model.rowCount(), 0);
}

void ConversationModelsTest::fetchesPagesAfterTheLastId() {
  ConversationListModel model;
  model.setProject(many_.get());
  QCOMPARE(model.rowCount(), 200);
  QVERIFY(model.canFetchMore({}));
  QVERIFY(!model.canFetchMore(model.index(0, 0))); // a flat table: no children anywhere
  model.fetchMore({});
  QCOMPARE(model.rowCount(), 400);
  QVERIFY(model.canFetchMore({}));
  model.fetchMore({});
  QCOMPARE(model.rowCount(), 450);
  QVERIFY(!model.canFetchMore({}));
  model.fetchMore({}); // a fetch too many changes nothing
  QCOMPARE(model.rowCount(), 450);

  // Every tree once, in id order: pages neither overlap nor leave gaps.
  for (int row = 1; row < model.rowCount(); ++row)
    QVERIFY(model.summaryAt(row).tree.id > model.summaryAt(row - 1).tree.id);
  QCOMPARE(model.index(449, ConversationListModel::TitleColumn).data().toString(), "Question 450 about the kiwi");
}

void ConversationModelsTest::fullLastPageEndsOnAnEmptyFetch() {
  ConversationListModel model;
  model.setProject(many_.get());
  model.setPageSize(150);
  QCOMPARE(model.rowCount(), 150);
  model.fetchMore({});
  model.fetchMore({});
  QCOMPARE(model.rowCount(), 450);
  // The third page was full, so the model cannot know yet that it was the last.
  QVERIFY(model.canFetchMore({}));
  model.fetchMore({});
  QCOMPARE(model.rowCount(), 450);
  QVERIFY(!model.canFetchMore({}));
}

void ConversationModelsTest::textFilterRequeriesFromTheStart() {
  ConversationListModel model;
  model.setProject(many_.get());
  model.fetchMore({});
  model.setTextFilter("  kiwi ");
  QCOMPARE(model.textFilter(), "kiwi");
  QCOMPARE(model.rowCount(), 150); // every third of 450
  QVERIFY(!model.canFetchMore({}));
  for (int row = 0; row < model.rowCount(); ++row)
    QVERIFY(model.index(row, ConversationListModel::TitleColumn).data().toString().endsWith("kiwi"));
  model.setTextFilter("Answer 450");
  QCOMPARE(model.rowCount(), 1);
  model.setTextFilter("durian");
  QCOMPARE(model.rowCount(), 0);
  QVERIFY(!model.canFetchMore({}));
  model.setTextFilter("");
  QCOMPARE(model.rowCount(), 200);
}

void ConversationModelsTest::showsTreeSummaries() {
  ConversationListModel model;
  model.setProject(sample_.get());
  QCOMPARE(model.rowCount(), test::kSampleTrees);
  QCOMPARE(model.columnCount(), 10);
  const QStringList headers = {"Id", "Title", "Task", "Persona", "Turns", "Branches", "Nodes", "Best MR", "Labels", "Source"};
  for (int column = 0; column < headers.size(); ++column)
    QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), headers[column]);

  auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
  QCOMPARE(cell(0, ConversationListModel::TitleColumn), "Write a haiku about autumn leaves");
  QVERIFY(cell(0, ConversationListModel::SourceColumn).contains("sample.jsonl"));
  QCOMPARE(cell(0, ConversationListModel::TurnsColumn), "4");
  QCOMPARE(cell(0, ConversationListModel::BranchesColumn), "2");
  QCOMPARE(cell(0, ConversationListModel::NodesColumn), "9");
  QCOMPARE(cell(0, ConversationListModel::BestMrColumn), "0.900");
  QCOMPARE(cell(1, ConversationListModel::BestMrColumn), "0.500");
  QCOMPARE(cell(2, ConversationListModel::BestMrColumn), ""); // never scored
  QCOMPARE(model.index(0, 0).data(ConversationListModel::TreeIdRole).toLongLong(), model.summaryAt(0).tree.id);
  QVERIFY(model.index(1, ConversationListModel::SourceColumn).data(Qt::ToolTipRole).toString().contains("c-tiles"));
  QCOMPARE(cell(0, ConversationListModel::PersonaColumn), ""); // imported: no simulated user
  QCOMPARE(cell(0, ConversationListModel::LabelsColumn), "");
}

void ConversationModelsTest::showsAnnotationStatus() {
  const QTemporaryDir dir;
  auto project = test::makeProject(dir.filePath("labels.collab"), test::kSampleRows);
  ConversationListModel model;
  model.setProject(project.get());
  const auto tree = model.summaryAt(0).tree.id;
  const auto root = project->nodes().roots(tree).front().id;
  const auto answers = project->nodes().children(root);
  project->annotations().add({0, tree, root, "ann", "clear-request", "true", ""});
  project->annotations().add({0, tree, answers[0].id, "ann", "guesses", "true", ""});
  project->annotations().addPreference({0, tree, answers[1].id, answers[0].id, "ann", "gui", ""});
  model.refreshTree(tree);
  QCOMPARE(model.index(0, ConversationListModel::LabelsColumn).data().toString(), "2 labels, 1 choice");
  model.setProject(nullptr);
}

void ConversationModelsTest::sortsInTheStoreAndPagesInThatOrder() {
  ConversationListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setProject(sample_.get());
  model.sort(ConversationListModel::BestMrColumn, Qt::DescendingOrder);
  QCOMPARE(model.index(0, ConversationListModel::BestMrColumn).data().toString(), "0.900");
  QCOMPARE(model.index(1, ConversationListModel::BestMrColumn).data().toString(), "0.500");
  QCOMPARE(model.index(2, ConversationListModel::BestMrColumn).data().toString(), "");
  model.sort(ConversationListModel::TitleColumn, Qt::AscendingOrder);
  QCOMPARE(model.index(0, ConversationListModel::TitleColumn).data().toString(), "Describe a zebra crossing");
  model.sort(ConversationListModel::PersonaColumn, Qt::AscendingOrder); // not sortable: nothing changes
  QCOMPARE(model.order(), store::TreeOrder::Title);

  // 450 trees by best MR, highest first, fetched page by page: each tree once, in order.
  model.setProject(many_.get());
  model.setPageSize(60);
  model.sort(ConversationListModel::BestMrColumn, Qt::DescendingOrder);
  while (model.canFetchMore({})) model.fetchMore({});
  QCOMPARE(model.rowCount(), 450);
  QSet<qint64> seen;
  for (int row = 0; row < model.rowCount(); ++row) {
    seen.insert(model.summaryAt(row).tree.id);
    if (row > 0) QVERIFY(*model.summaryAt(row).bestMr <= *model.summaryAt(row - 1).bestMr);
  }
  QCOMPARE(seen.size(), 450);
  // With a filter too.
  model.setTextFilter("kiwi");
  QCOMPARE(model.rowCount(), 60);
  while (model.canFetchMore({})) model.fetchMore({});
  QCOMPARE(model.rowCount(), 150);
  model.sort(ConversationListModel::IdColumn, Qt::DescendingOrder);
  QCOMPARE(model.index(0, ConversationListModel::TitleColumn).data().toString(), "Question 450 about the kiwi");
  model.setProject(nullptr);
}

void ConversationModelsTest::tableViewFetchesMoreWhenScrolledToTheEnd() {
  ConversationListModel model;
  model.setProject(many_.get());
  QTableView view;
  view.setModel(&model);
  view.resize(600, 400);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QCOMPARE(model.rowCount(), 200);
  view.scrollToBottom();
  QTRY_VERIFY(model.rowCount() > 200);
}

void ConversationModelsTest::turnModelPassesModelTester() {
  TurnListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  ConversationListModel trees;
  trees.setProject(sample_.get());
  for (int row = 0; row < trees.rowCount(); ++row) model.setTree(*sample_, trees.summaryAt(row).tree.id);
  model.clear();
  QCOMPARE(model.rowCount(), 0);
}

void ConversationModelsTest::turnModelFollowsBestPathByMr() {
  ConversationListModel trees;
  trees.setProject(sample_.get());
  TurnListModel model;
  model.setTree(*sample_, trees.summaryAt(0).tree.id);
  QCOMPARE(model.treeId(), trees.summaryAt(0).tree.id);
  QCOMPARE(model.rowCount(), 4);

  auto at = [&](int row, int role) { return model.index(row).data(role); };
  QCOMPARE(at(0, TurnListModel::RoleNameRole).toString(), "user");
  QCOMPARE(at(0, Qt::DisplayRole).toString(), "Write a haiku about autumn leaves");
  QVERIFY(!at(0, TurnListModel::MrRole).isValid());
  QCOMPARE(at(0, TurnListModel::BranchLabelRole).toString(), "");

  // The clarifying question (MR 0.8) beat the direct answer (MR 0.3) and is the second child.
  QCOMPARE(at(1, TurnListModel::RoleNameRole).toString(), "assistant");
  QCOMPARE(at(1, TurnListModel::TextRole).toString(), "Before I write it: should it be playful or melancholy?");
  QCOMPARE(at(1, TurnListModel::MrRole).toDouble(), 0.8);
  QCOMPARE(at(1, TurnListModel::MrStdRole).toDouble(), 0.1);
  QCOMPARE(at(1, TurnListModel::AlternativeIndexRole).toInt(), 2);
  QCOMPARE(at(1, TurnListModel::AlternativeCountRole).toInt(), 2);
  QCOMPARE(at(1, TurnListModel::BranchLabelRole).toString(), "2 of 2 alternatives");
  QCOMPARE(at(1, TurnListModel::ContinuationCountRole).toInt(), 2);
  QVERIFY(at(1, TurnListModel::AuthorRole).toString().contains("sample.jsonl"));

  // The sampled futures below the question are not alternatives to the real next turn.
  QCOMPARE(at(2, TurnListModel::TextRole).toString(), "Melancholy, please.");
  QCOMPARE(at(2, TurnListModel::AlternativeCountRole).toInt(), 1);
  QCOMPARE(at(3, TurnListModel::MrRole).toDouble(), 0.9);
  QCOMPARE(at(3, TurnListModel::ContinuationCountRole).toInt(), 0);
}

void ConversationModelsTest::turnModelClearsForAMissingTree() {
  TurnListModel model;
  ConversationListModel trees;
  trees.setProject(sample_.get());
  model.setTree(*sample_, trees.summaryAt(1).tree.id);
  QCOMPARE(model.rowCount(), 2);
  model.setTree(*sample_, 987654);
  QCOMPARE(model.rowCount(), 0);
  QVERIFY(!model.treeId());
}

void ConversationModelsTest::searchesRunInTheBackground() {
  ConversationListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setBackgroundQueries(true);
  model.setProject(many_.get());
  QCOMPARE(model.rowCount(), 200); // id order: read at once
  QVERIFY(!model.isLoading());
  QSignalSpy loaded(&model, &ConversationListModel::pageLoaded);
  model.setTextFilter("kiwi");
  QCOMPARE(model.rowCount(), 0);
  QVERIFY(model.isLoading());
  QVERIFY(!model.canFetchMore({}));
  QTRY_COMPARE(model.rowCount(), 150);
  QCOMPARE(loaded.size(), 1);
  QCOMPARE(loaded.first().first().toBool(), true);
  // A newer query wins; the older one's rows never show.
  model.setTextFilter("apple");
  model.setTextFilter("Answer 450");
  QTRY_VERIFY(!model.isLoading());
  QTest::qWait(50);
  QCOMPARE(model.rowCount(), 1);
  // Pages after the first come in the background too, in order.
  model.setTextFilter("");
  model.setPageSize(100);
  model.sort(ConversationListModel::BestMrColumn, Qt::DescendingOrder);
  QTRY_COMPARE(model.rowCount(), 100);
  model.fetchMore({});
  QTRY_COMPARE(model.rowCount(), 200);
  for (int row = 1; row < model.rowCount(); ++row) QVERIFY(*model.summaryAt(row).bestMr <= *model.summaryAt(row - 1).bestMr);
  model.setProject(nullptr);
}

QTEST_MAIN(ConversationModelsTest)
#include "tst_conversation_models.moc"

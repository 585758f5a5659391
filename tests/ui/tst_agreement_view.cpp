// The agreement view over a project annotated by two people: statistics per label, the
// items in dispute, merging an annotated copy, and the wiring inside the main window.

#include "MainWindow.h"
#include "SampleProject.h"
#include "ToolPanels.h"
#include "annotate/AgreementTableModel.h"
#include "annotate/AgreementView.h"
#include "annotate/AnnotationPanel.h"
#include "annotation/AnnotatorSession.h"

#include <SQLiteCpp/Database.h>
#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace collab;
using annotation::AnnotationItem;
using annotation::AnnotatorSession;
using conversation::NodeId;
using ui::AgreementTableModel;

class AgreementViewTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();
  void statisticsPerLabelMatchTheHandComputedValues();
  void disagreementsListTheAnswersAndOpenTheItem();
  void mergingACopyAddsItsAnnotator();
  void theMainWindowOffersThePanels();

private:
  NodeId node(const std::string& content) const;
  QString cell(int row, int column) const {
    return view_->model()->index(row, column).data().toString();
  }

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<store::Project> project_;
  std::unique_ptr<ui::AgreementView> view_;
  NodeId crimson_ = 0, ask_ = 0, fallen_ = 0, tiles_ = 0;
};

NodeId AgreementViewTest::node(const std::string& content) const {
  for (store::TreeId tree = 1; tree <= test::kSampleTrees; ++tree)
    for (const auto& n : project_->nodes().ofTree(tree))
      if (n.content == content && n.kind == conversation::NodeKind::Turn) return n.id;
  qFatal("no turn %s", content.c_str());
}

void AgreementViewTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  project_ = test::makeProject(dir_->filePath("p.collab"), test::kSampleRows);
  crimson_ = node("Crimson leaves drift down, the old oak lets go.");
  ask_ = node("Before I write it: should it be playful or melancholy?");
  fallen_ = node("Fallen maple leaves / the garden holds its last breath / cold rain on red paths");
  tiles_ = node("Twelve square metres: with 30 cm tiles that is about 134 tiles, plus ten percent spare.");
  // helpful, alice: yes yes no no; bob: yes no no no. Cohen's kappa 0.5, alpha 8/15 (see
  // tst_agreement for the working); one disagreement, on `ask_`.
  AnnotatorSession alice(*project_, "alice"), bob(*project_, "bob");
  const NodeId turns[] = {crimson_, ask_, fallen_, tiles_};
  const char* a[] = {"yes", "yes", "no", "no"};
  const char* b[] = {"yes", "no", "no", "no"};
  for (int i = 0; i < 4; ++i) {
    alice.set(AnnotationItem::turn(i < 3 ? 1 : 2, turns[i]), "helpful", a[i]);
    bob.set(AnnotationItem::turn(i < 3 ? 1 : 2, turns[i]), "helpful", b[i]);
  }
  view_ = std::make_unique<ui::AgreementView>();
  new QAbstractItemModelTester(view_->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, view_.get());
  view_->setProject(project_.get());
  view_->show();
  QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
}

void AgreementViewTest::cleanup() {
  view_.reset();
  project_.reset();
  dir_.reset();
}

void AgreementViewTest::statisticsPerLabelMatchTheHandComputedValues() {
  QCOMPARE(cell(0, AgreementTableModel::LabelColumn), QString("helpful"));
  QCOMPARE(cell(0, AgreementTableModel::AnnotatorsColumn), QString("alice, bob"));
  QCOMPARE(cell(0, AgreementTableModel::SharedColumn), QString("4"));
  QCOMPARE(cell(0, AgreementTableModel::CohenColumn), QString("0.500"));
  QCOMPARE(cell(0, AgreementTableModel::AlphaColumn), QString("0.533"));
  QCOMPARE(view_->model()->index(0, AgreementTableModel::AlphaColumn).data(AgreementTableModel::kValueRole).toDouble(),
           8.0 / 15.0);
  // Labels nobody answered: no statistic, and why.
  QCOMPARE(cell(1, AgreementTableModel::LabelColumn), QString("question"));
  QCOMPARE(cell(1, AgreementTableModel::FleissColumn), QString("—"));
  QCOMPARE(view_->model()->index(1, AgreementTableModel::FleissColumn).data(Qt::ToolTipRole).toString(),
           QString("Fleiss' kappa needs at least two annotators"));
  QVERIFY(view_->findChild<QLabel*>("agreementSummary")->text().startsWith("2 annotator(s): alice, bob · 1 disagreement(s)"));
}

void AgreementViewTest::disagreementsListTheAnswersAndOpenTheItem() {
  QTreeWidget* list = view_->disagreements();
  QCOMPARE(list->topLevelItemCount(), 1);
  QTreeWidgetItem* item = list->topLevelItem(0);
  QCOMPARE(item->text(0), QString("tree 1, turn %1").arg(ask_));
  QCOMPARE(item->text(1), QString("helpful"));
  QCOMPARE(item->text(2), QString("alice: Yes  |  bob: No"));
  QSignalSpy activated(view_.get(), &ui::AgreementView::itemActivated);
  emit list->itemActivated(item, 0);
  QCOMPARE(activated.count(), 1);
  QCOMPARE(activated.at(0).at(0).value<conversation::TreeId>(), conversation::TreeId(1));
  QCOMPARE(activated.at(0).at(1).value<std::optional<NodeId>>(), std::optional<NodeId>(ask_));
}

void AgreementViewTest::mergingACopyAddsItsAnnotator() {
  const QString copy = dir_->filePath("copy.collab");
  project_->database().exec("VACUUM INTO '" + copy.toStdString() + "'"); // a copy, as sent to an annotator
  {
    auto carol = store::Project::open(test::fsPath(copy));
    AnnotatorSession(carol, "carol").set(AnnotationItem::turn(1, crimson_), "helpful", "no");
  }
  const QString report = view_->mergeCopies({copy});
  QVERIFY2(report.startsWith(copy + ": 1 added, 0 notes added, 8 duplicates, 0 conflicts, 0 left out"), qPrintable(report));
  QCOMPARE(cell(0, AgreementTableModel::AnnotatorsColumn), QString("alice, bob, carol"));
  QCOMPARE(cell(0, AgreementTableModel::CohenColumn), QString("—")); // three annotators now
  QVERIFY(view_->model()->index(0, AgreementTableModel::AlphaColumn).data(AgreementTableModel::kValueRole).isValid());
  QCOMPARE(view_->disagreements()->topLevelItemCount(), 2);

  const QString missing = view_->mergeCopies({dir_->filePath("nothing.collab")});
  QVERIFY2(missing.contains("not merged") && missing.contains("no such file"), qPrintable(missing));
}

void AgreementViewTest::theMainWindowOffersThePanels() {
  ui::MainWindow window;
  window.setProject(test::makeProject(dir_->filePath("w.collab"), test::kSampleRows));
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QStringList menus;
  for (QAction* action : window.menuBar()->actions()) menus << action->text();
  QVERIFY2(menus.contains("&Annotate") && menus.contains("&Tools"), qPrintable(menus.join(',')));
  ui::ToolPanels* tools = window.tools();
  QVERIFY(!tools->annotationDock()->isVisible());
  QCOMPARE(tools->showPanel("annotation"), static_cast<QWidget*>(&window));
  QVERIFY(tools->annotationDock()->isVisible());
  // The panel follows the workbench: the first conversation is current, its first answer shown.
  QTRY_VERIFY(tools->annotationPanel()->currentItem().has_value());
  QCOMPARE(tools->annotationPanel()->currentItem()->tree, conversation::TreeId(1));
  QVERIFY(tools->showPanel("personas")->isVisible());
  QVERIFY(tools->showPanel("agreement")->isVisible());
  QVERIFY(!tools->showPanel("no-such-panel"));

  // Annotate › Export DPO pairs: the MR pair of the haiku turn, then alice's preference.
  annotation::AnnotatorSession(*window.project(), "alice")
      .set(AnnotationItem::turn(1, 1), "compare", annotation::withVerdict({}, crimson_, ask_, "a"));
  const QString pairs = dir_->filePath("pairs.jsonl");
  QCOMPARE(tools->exportPreferencePairs(pairs), QString());
  QFile file(pairs);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QList<QByteArray> rows = file.readAll().trimmed().split('\n');
  QCOMPARE(rows.size(), 2);
  QVERIFY2(rows[0].contains("\"score_chosen\":0.8"), rows[0].constData());
  QVERIFY2(rows[1].contains("\"annotator\":\"alice\"") && rows[1].contains("Crimson leaves"), rows[1].constData());
  QVERIFY(!QFile::exists(pairs + ".partial"));
  QVERIFY(!tools->exportPreferencePairs(dir_->filePath("no/such/folder/pairs.jsonl")).isEmpty());
}

QTEST_MAIN(AgreementViewTest)
#include "tst_agreement_view.moc"

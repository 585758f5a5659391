// The annotation panel and the label schema dialog driven by keys and clicks, offscreen:
// option shortcuts, ranking by keys and drops, A/B verdicts, notes, progress, the queue,
// the annotator from the settings.

#include "SampleProject.h"
#include "annotate/AnnotationPanel.h"
#include "annotate/AnnotatorIdentity.h"
#include "annotate/FreeTextControl.h"
#include "annotate/LabelSchemaDialog.h"
#include "annotate/OptionsControl.h"
#include "annotate/PairwiseControl.h"
#include "annotate/RankingControl.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/LabelSchemaStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>

using namespace collab;
using annotation::AnnotationItem;
using annotation::Json;
using collab::ui::AnnotationPanel;
using conversation::NodeId;


// An answer as its JSON text, so that QCOMPARE prints both sides when they differ.
inline QString shown(const collab::annotation::Json& value) { return QString::fromStdString(value.dump()); }
inline QString shown(const std::optional<collab::annotation::Json>& value) {
  return value ? shown(*value) : QStringLiteral("(no answer)");
}

class AnnotationPanelTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase();
  void init();
  void cleanup();

  void optionShortcutsAnnotateTheShownTurn();
  void pressingAChosenOptionAgainTakesItBack();
  void typingInANoteIsNotTakenForShortcuts();
  void rankingMovesWithAltArrowsAndWithDrops();
  void pairwiseVerdictsByKeysIncludingTieAndBothBad();
  void notesAreSavedAfterTypingAndWhenTheItemChanges();
  void progressCountsAndQueueModeMovesOn();
  void conversationLevelLabelsAndFreeText();
  void theAnnotatorComesFromTheSettings();
  void schemaDialogValidatesLiveAndSavingRebuildsThePanel();
  void schemaDialogRecordsAShortcutByKeyPress();

private:
  NodeId node(const std::string& content) const;
  std::optional<Json> value(const AnnotationItem& item, const char* label, const char* annotator = "alice") const;
  AnnotationItem turn(NodeId id) const { return AnnotationItem::turn(project_->nodes().find(id)->treeId, id); }
  void focusPanel();

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<store::Project> project_;
  std::unique_ptr<AnnotationPanel> panel_;
  NodeId question_ = 0, crimson_ = 0, ask_ = 0, fallen_ = 0, tiles_ = 0, zebra_ = 0;
};

void AnnotationPanelTest::initTestCase() {
  // Settings go to a folder of the test's own, never to the user's.
  static QTemporaryDir settings;
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
  QCoreApplication::setOrganizationName("CollabLLM-tests");
  QCoreApplication::setApplicationName("tst_annotation_panel");
}

void AnnotationPanelTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  project_ = test::makeProject(dir_->filePath("p.collab"), test::kSampleRows);
  question_ = node("Write a haiku about autumn leaves");
  crimson_ = node("Crimson leaves drift down, the old oak lets go.");
  ask_ = node("Before I write it: should it be playful or melancholy?");
  fallen_ = node("Fallen maple leaves / the garden holds its last breath / cold rain on red paths");
  tiles_ = node("Twelve square metres: with 30 cm tiles that is about 134 tiles, plus ten percent spare.");
  zebra_ = node("A striped pedestrian crossing where cars must give way.");
  panel_ = std::make_unique<AnnotationPanel>();
  panel_->setAnnotator("alice");
  panel_->setProject(project_.get());
  panel_->resize(560, 900);
  panel_->show();
  QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
  panel_->showItem(1, crimson_);
  focusPanel();
}

void AnnotationPanelTest::cleanup() {
  panel_.reset();
  project_.reset();
  dir_.reset();
}

NodeId AnnotationPanelTest::node(const std::string& content) const {
  for (store::TreeId tree = 1; tree <= test::kSampleTrees; ++tree)
    for (const auto& n : project_->nodes().ofTree(tree))
      if (n.content == content && n.kind == conversation::NodeKind::Turn) return n.id;
  qFatal("no turn %s", content.c_str());
}

std::optional<Json> AnnotationPanelTest::value(const AnnotationItem& item, const char* label, const char* annotator) const {
  return annotation::AnnotatorSession(*project_, annotator).value(item, label);
}

void AnnotationPanelTest::focusPanel() {
  panel_->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(panel_.get()));
  panel_->setFocus();
}

void AnnotationPanelTest::optionShortcutsAnnotateTheShownTurn() {
  QVERIFY(panel_->itemView()->toPlainText().contains("Crimson leaves drift down"));
  QTest::keyClick(panel_.get(), Qt::Key_Y); // helpful: yes
  QCOMPARE(shown(value(turn(crimson_), "helpful")), shown(Json("yes")));
  QTest::keyClick(panel_.get(), Qt::Key_N); // helpful: no, replacing yes
  QCOMPARE(shown(value(turn(crimson_), "helpful")), shown(Json("no")));
  QTest::keyClick(panel_.get(), Qt::Key_3); // quality 3
  QCOMPARE(shown(value(turn(crimson_), "quality")), shown(Json(3.0)));
  QTest::keyClick(panel_.get(), Qt::Key_R); // problems: wrong
  QTest::keyClick(panel_.get(), Qt::Key_L); // problems: too long, too
  QCOMPARE(shown(value(turn(crimson_), "problems")), shown(Json({"too-long", "wrong"})));
  // The buttons show what the keys chose.
  auto* helpful = qobject_cast<ui::OptionsControl*>(panel_->control("helpful"));
  QVERIFY(helpful->findChild<QPushButton*>("option_no")->isChecked());
  QVERIFY(!helpful->findChild<QPushButton*>("option_yes")->isChecked());
  QVERIFY(helpful->findChild<QPushButton*>("option_yes")->text().endsWith("(Y)"));
  // Clicking works as well as keys.
  QTest::mouseClick(helpful->findChild<QPushButton*>("option_partly"), Qt::LeftButton);
  QCOMPARE(shown(value(turn(crimson_), "helpful")), shown(Json("partly")));
  QVERIFY(panel_->errorText().isEmpty());
}

void AnnotationPanelTest::pressingAChosenOptionAgainTakesItBack() {
  QTest::keyClick(panel_.get(), Qt::Key_Q); // question: needed
  QCOMPARE(shown(value(turn(crimson_), "question")), shown(Json("needed")));
  QTest::keyClick(panel_.get(), Qt::Key_Q);
  QVERIFY(!value(turn(crimson_), "question"));
  QTest::keyClick(panel_.get(), Qt::Key_R);
  QTest::keyClick(panel_.get(), Qt::Key_R); // the last option of a multi-label off: no answer
  QVERIFY(!value(turn(crimson_), "problems"));
}

void AnnotationPanelTest::typingInANoteIsNotTakenForShortcuts() {
  QPlainTextEdit* note = panel_->noteEdit();
  note->setFocus();
  QTest::keyClicks(note, "Yes, nice");
  QCOMPARE(note->toPlainText(), QString("Yes, nice"));
  QVERIFY(!value(turn(crimson_), "helpful"));
  QVERIFY(!value(turn(crimson_), "problems")); // no N, no Y, no E...
}

void AnnotationPanelTest::rankingMovesWithAltArrowsAndWithDrops() {
  auto* ranking = qobject_cast<ui::RankingControl*>(panel_->control("candidates"));
  QVERIFY(ranking->isAnswerable());
  QCOMPARE(ranking->order(), (std::vector<NodeId>{crimson_, ask_}));
  QVERIFY(!value(turn(question_), "candidates")); // shown, not yet answered
  ranking->list()->setCurrentRow(1);
  QTest::keyClick(panel_.get(), Qt::Key_Up, Qt::AltModifier);
  // Ranked best first; stored on the turn the candidates answer.
  QCOMPARE(shown(value(turn(question_), "candidates")), shown(Json({ask_, crimson_})));
  QTest::keyClick(panel_.get(), Qt::Key_Down, Qt::AltModifier);
  QCOMPARE(shown(value(turn(question_), "candidates")), shown(Json({crimson_, ask_})));
  // A drop moves a row: the view's model reports it, and the new order is the answer.
  QVERIFY(ranking->list()->model()->moveRow({}, 1, {}, 0));
  QCOMPARE(shown(value(turn(question_), "candidates")), shown(Json({ask_, crimson_})));
  // Shown again for the other candidate of the same turn: the same ranking.
  panel_->showItem(1, ask_);
  ranking = qobject_cast<ui::RankingControl*>(panel_->control("candidates"));
  QCOMPARE(ranking->order(), (std::vector<NodeId>{ask_, crimson_}));
  // A turn with one candidate cannot be ranked.
  panel_->showItem(2, tiles_);
  QVERIFY(!qobject_cast<ui::RankingControl*>(panel_->control("candidates"))->isAnswerable());
}

void AnnotationPanelTest::pairwiseVerdictsByKeysIncludingTieAndBothBad() {
  auto* pairwise = qobject_cast<ui::PairwiseControl*>(panel_->control("compare"));
  QCOMPARE(pairwise->aBox()->currentText(), QString("#%1").arg(crimson_));
  QCOMPARE(pairwise->bBox()->currentText(), QString("#%1").arg(ask_));
  QTest::keyClick(panel_.get(), Qt::Key_B); // B is better
  QCOMPARE(*annotation::verdictOn(*value(turn(question_), "compare"), crimson_, ask_), std::string("b"));
  QTest::keyClick(panel_.get(), Qt::Key_T); // changed to a tie
  QCOMPARE(*annotation::verdictOn(*value(turn(question_), "compare"), crimson_, ask_), std::string("tie"));
  QTest::keyClick(panel_.get(), Qt::Key_X); // both bad
  QCOMPARE(*annotation::verdictOn(*value(turn(question_), "compare"), ask_, crimson_), std::string("both-bad"));
  QVERIFY(pairwise->findChild<QPushButton*>("verdict_both-bad")->isChecked());
  QCOMPARE(value(turn(question_), "compare")->size(), std::size_t(1)); // one pair, one verdict
  // A and B the same candidate: no verdict possible.
  pairwise->bBox()->setCurrentIndex(0);
  QVERIFY(!pairwise->findChild<QPushButton*>("verdict_a")->isEnabled());
  QTest::keyClick(panel_.get(), Qt::Key_A);
  QCOMPARE(value(turn(question_), "compare")->size(), std::size_t(1));
}

void AnnotationPanelTest::notesAreSavedAfterTypingAndWhenTheItemChanges() {
  QPlainTextEdit* note = panel_->noteEdit();
  note->setFocus();
  QTest::keyClicks(note, "too cheerful for autumn");
  annotation::AnnotatorSession alice(*project_, "alice");
  QTRY_COMPARE(alice.note(turn(crimson_)), std::string("too cheerful for autumn"));
  QTest::keyClicks(note, "!");
  panel_->showItem(2, tiles_); // leaving the item saves at once
  QCOMPARE(alice.note(turn(crimson_)), std::string("too cheerful for autumn!"));
  QCOMPARE(note->toPlainText(), QString());
  panel_->showItem(1, crimson_);
  QCOMPARE(note->toPlainText(), QString("too cheerful for autumn!"));
}

void AnnotationPanelTest::progressCountsAndQueueModeMovesOn() {
  // Assistant turns: two candidates and the final answer of tree 1, one answer each in trees 2, 3.
  QCOMPARE(panel_->progressText(), QString("0 of 5 assistant turns annotated"));
  QSignalSpy moved(panel_.get(), &AnnotationPanel::itemShown);
  panel_->setQueueMode(true);
  QTest::keyClick(panel_.get(), Qt::Key_Y);
  QCOMPARE(panel_->progressText(), QString("1 of 5 assistant turns annotated"));
  QCOMPARE(moved.count(), 0); // question and quality still to answer
  QTest::keyClick(panel_.get(), Qt::Key_E);
  QTest::keyClick(panel_.get(), Qt::Key_4);
  QTRY_COMPARE(moved.count(), 1);
  QCOMPARE(moved.at(0).at(1).value<std::optional<NodeId>>(), std::optional<NodeId>(ask_));
  QCOMPARE(panel_->currentItem(), std::optional(turn(ask_)));
  // Ranking the candidates counts for both of them.
  QTest::keyClick(panel_.get(), Qt::Key_Down, Qt::AltModifier);
  QCOMPARE(panel_->progressText(), QString("2 of 5 assistant turns annotated"));
  panel_->setQueueMode(false);
  QVERIFY(panel_->goToNextUnannotated());
  QCOMPARE(panel_->currentItem(), std::optional(turn(fallen_)));
  QVERIFY(panel_->goToNextUnannotated());
  QCOMPARE(panel_->currentItem(), std::optional(turn(tiles_)));
  QTest::keyClick(panel_.get(), Qt::Key_Return, Qt::ControlModifier); // Next, by key
  QCOMPARE(panel_->currentItem(), std::optional(turn(zebra_)));
}

void AnnotationPanelTest::conversationLevelLabelsAndFreeText() {
  panel_->levelBar()->setCurrentIndex(1);
  QVERIFY(panel_->level() == annotation::LabelLevel::Conversation);
  QVERIFY(!panel_->control("helpful"));
  QVERIFY(panel_->itemView()->toPlainText().contains("Fallen maple leaves")); // the best path, whole
  QCOMPARE(panel_->progressText(), QString("0 of 3 conversations annotated"));
  QTest::keyClick(panel_.get(), Qt::Key_G);
  QCOMPARE(shown(value(AnnotationItem::conversation(1), "outcome")), shown(Json("met")));
  auto* summary = qobject_cast<ui::FreeTextControl*>(panel_->control("summary"));
  summary->edit()->setFocus();
  QTest::keyClicks(summary->edit(), "Asked first, then got it right.");
  QTest::keyClick(summary->edit(), Qt::Key_Return);
  QCOMPARE(shown(value(AnnotationItem::conversation(1), "summary")), shown(Json("Asked first, then got it right.")));
  QCOMPARE(panel_->progressText(), QString("1 of 3 conversations annotated"));
}

void AnnotationPanelTest::theAnnotatorComesFromTheSettings() {
  QCOMPARE(QSettings().value(ui::AnnotatorIdentity::kSettingsKey).toString(), QString("alice"));
  QSettings().setValue(ui::AnnotatorIdentity::kSettingsKey, "bob");
  AnnotationPanel other;
  QCOMPARE(other.annotator(), QString("bob"));
  other.setProject(project_.get());
  other.showItem(1, crimson_);
  other.show();
  other.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&other));
  other.setFocus();
  QTest::keyClick(&other, Qt::Key_Y);
  QCOMPARE(shown(value(turn(crimson_), "helpful", "bob")), shown(Json("yes")));
  QVERIFY(!value(turn(crimson_), "helpful", "alice"));
  QVERIFY(other.findChild<QLabel*>("annotatorName")->text().contains("bob"));
}

void AnnotationPanelTest::schemaDialogValidatesLiveAndSavingRebuildsThePanel() {
  ui::LabelSchemaDialog dialog(annotation::currentLabelSchema(*project_));
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  QPushButton* ok = dialog.buttons()->button(QDialogButtonBox::Ok);
  QVERIFY(ok->isEnabled());
  dialog.labelList()->setCurrentRow(1); // question: needed (Q), needless (W), none (E)
  QCOMPARE(dialog.nameEdit()->text(), QString("question"));
  dialog.optionTable()->item(0, 2)->setText("y"); // the key of helpful's "yes"
  QCOMPARE(dialog.problems(),
           QStringList{"field `labels[1].options[0].shortcut`: `Y` is also the shortcut of `helpful` option `yes`"});
  QCOMPARE(dialog.problemList()->item(0)->text(), dialog.problems().first());
  QVERIFY(!ok->isEnabled());
  dialog.optionTable()->item(0, 2)->setText("K");
  QVERIFY(ok->isEnabled());

  dialog.addLabel(annotation::LabelKind::Label);
  QCOMPARE(dialog.nameEdit()->text(), QString("label"));
  dialog.nameEdit()->selectAll();
  QTest::keyClicks(dialog.nameEdit(), "polite");
  dialog.optionTable()->item(0, 2)->setText("O");
  dialog.optionTable()->item(1, 2)->setText("Shift+O");
  QVERIFY2(dialog.problems().isEmpty(), qPrintable(dialog.problems().join('\n')));
  dialog.kindBox()->setCurrentIndex(dialog.kindBox()->findText("ranking"));
  QCOMPARE(dialog.optionTable()->rowCount(), 0); // a ranking has no options
  dialog.kindBox()->setCurrentIndex(dialog.kindBox()->findText("label"));
  QCOMPARE(dialog.optionTable()->rowCount(), 2); // yes and no again, without keys
  dialog.optionTable()->item(0, 2)->setText("O");
  dialog.optionTable()->item(1, 2)->setText("Shift+O");
  QTest::mouseClick(ok, Qt::LeftButton);
  QCOMPARE(dialog.result(), int(QDialog::Accepted));

  annotation::saveLabelSchema(*project_, dialog.schema());
  panel_->reloadSchema();
  focusPanel();
  QVERIFY(panel_->control("polite"));
  QTest::keyClick(panel_.get(), Qt::Key_O);
  QCOMPARE(shown(value(turn(crimson_), "polite")), shown(Json("yes")));
  QTest::keyClick(panel_.get(), Qt::Key_K);
  QCOMPARE(shown(value(turn(crimson_), "question")), shown(Json("needed")));
}

void AnnotationPanelTest::schemaDialogRecordsAShortcutByKeyPress() {
  ui::LabelSchemaDialog dialog(annotation::currentLabelSchema(*project_));
  dialog.show();
  dialog.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&dialog));
  dialog.labelList()->setCurrentRow(0);
  dialog.optionTable()->setCurrentCell(1, 0); // helpful: partly
  dialog.shortcutRecorder()->setFocus();
  QTest::keyClick(dialog.shortcutRecorder(), Qt::Key_Z, Qt::ShiftModifier);
  // The recorder finishes a second after the last key.
  QTRY_COMPARE_WITH_TIMEOUT(dialog.optionTable()->item(1, 2)->text(), QString("Shift+Z"), 5000);
  QCOMPARE(dialog.schema().labels[0].options[1].shortcut, std::string("Shift+Z"));
}

QTEST_MAIN(AnnotationPanelTest)
#include "tst_annotation_panel.moc"

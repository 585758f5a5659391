// Annotating a project: answers checked against the schema, one per annotator, item and
// label; notes; the queue and its progress; human preference pairs and their export.

#include "AnnotatedProject.h"
#include "TestHelpers.h"
#include "annotation/AnnotationQueue.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/HumanPreferences.h"
#include "annotation/LabelAgreement.h"
#include "annotation/LabelSchemaStore.h"
#include "common/Error.h"
#include "io/Exporter.h"

#include <QtTest>

using namespace collab;
using namespace collab::annotation;
using collab::test::qs;
using conversation::NodeId;


// An answer as its JSON text, so that QCOMPARE prints both sides when they differ.
inline QString shown(const collab::annotation::Json& value) { return QString::fromStdString(value.dump()); }
inline QString shown(const std::optional<collab::annotation::Json>& value) {
  return value ? shown(*value) : QStringLiteral("(no answer)");
}

class TestAnnotatorSession : public QObject {
  Q_OBJECT
  test::ScratchProjects scratch_;
  std::optional<store::Project> project_;
  NodeId question_ = 0, leaves_ = 0, playful_ = 0, autumn_ = 0, rain_ = 0, sad_ = 0, tiles_ = 0;

  store::Project& project() { return *project_; }
  AnnotationItem turn(NodeId node) { return AnnotationItem::turn(project().nodes().find(node)->treeId, node); }

  QString errorOf(const std::function<void()>& action) {
    try {
      action();
    } catch (const Error& e) {
      return qs(e.what());
    }
    return {};
  }

private slots:
  void init() {
    project_.emplace(scratch_.next());
    test::importAnnotationRows(project());
    question_ = test::nodeWithText(project(), 1, "Write a haiku");
    leaves_ = test::nodeWithText(project(), 1, "Leaves fall.");
    playful_ = test::nodeWithText(project(), 1, "Playful or sad?");
    autumn_ = test::nodeWithText(project(), 1, "Autumn, you say?");
    sad_ = test::nodeWithText(project(), 1, "Sad.");
    rain_ = test::nodeWithText(project(), 1, "Cold rain on red paths.");
    tiles_ = test::nodeWithText(project(), 2, "About 134.");
  }
  void cleanup() { project_.reset(); }

  void oneAnswerPerAnnotatorItemAndLabel() {
    AnnotatorSession alice(project(), "alice"), bob(project(), "bob");
    alice.set(turn(playful_), "helpful", "yes");
    alice.set(turn(playful_), "helpful", "partly");
    bob.set(turn(playful_), "helpful", "no");
    QCOMPARE(shown(alice.value(turn(playful_), "helpful")), shown(Json("partly")));
    QCOMPARE(shown(bob.value(turn(playful_), "helpful")), shown(Json("no")));
    QCOMPARE(project().annotations().count(), std::int64_t(2));
    alice.clear(turn(playful_), "helpful");
    QVERIFY(!alice.value(turn(playful_), "helpful"));
    QCOMPARE(project().annotations().count(), std::int64_t(1));
  }

  void everyKindStoresItsValue() {
    AnnotatorSession alice(project(), "alice");
    const LabelDefinition& problems = *alice.schema().find("problems");
    Json chosen = toggledOption(toggledOption(Json(), "wrong"), "too-long");
    alice.set(turn(leaves_), "problems", chosen);
    QCOMPARE(shown(alice.value(turn(leaves_), "problems")), shown(Json({"too-long", "wrong"})));
    QCOMPARE(describeValue(problems, chosen), std::string("Too long, Wrong"));
    alice.set(turn(leaves_), "quality", optionValue(*alice.schema().find("quality"), {"4", "4", "4"}));
    QCOMPARE(shown(alice.value(turn(leaves_), "quality")), shown(Json(4.0)));
    alice.set(turn(question_), "candidates", Json({playful_, autumn_, leaves_}));
    alice.set(turn(question_), "compare", withVerdict(Json(), playful_, leaves_, "a"));
    alice.set(AnnotationItem::conversation(1), "summary", "asked the one question that mattered");
    alice.set(AnnotationItem::conversation(1), "outcome", "met");
    QCOMPARE(project().annotations().count(), std::int64_t(6));
  }

  void badAnswersAreRefusedWithTheReason() {
    AnnotatorSession alice(project(), "alice");
    const QString item = QString("tree 1, turn %1").arg(playful_);
    QCOMPARE(errorOf([&] { alice.set(turn(playful_), "helpful", "maybe"); }),
             item + ", label `helpful`: `maybe` is not an option of `helpful` (options: yes, partly, no)");
    QCOMPARE(errorOf([&] { alice.set(turn(playful_), "quality", 7); }),
             item + ", label `quality`: `7` is not an option of `quality` (options: 1, 2, 3, 4, 5)");
    QCOMPARE(errorOf([&] { alice.set(turn(playful_), "outcome", "met"); }),
             item + ": `outcome` is a conversation label, this is a turn");
    QCOMPARE(errorOf([&] { alice.set(turn(playful_), "polite", "yes"); }),
             item + ": `polite` is not a label of this project's schema");
    QCOMPARE(errorOf([&] { alice.set(turn(question_), "candidates", Json({playful_, tiles_})); }),
             QString("tree 1, turn %1, label `candidates`: node %2 is not one of the candidates answering this turn")
                 .arg(question_)
                 .arg(tiles_));
    QCOMPARE(errorOf([&] { alice.set(turn(question_), "candidates", Json({playful_, playful_})); }),
             QString("tree 1, turn %1, label `candidates`: node %2 is ranked twice").arg(question_).arg(playful_));
    QCOMPARE(errorOf([&] { alice.set(AnnotationItem::turn(2, playful_), "helpful", "yes"); }),
             QString("tree 2, turn %1: no such turn in this conversation").arg(playful_));
    QCOMPARE(errorOf([&] { AnnotatorSession nobody(project(), ""); }),
             QString("annotations need an annotator name; set one in the settings"));
    QCOMPARE(project().annotations().count(), std::int64_t(0));
  }

  void pairwiseVerdictsReadEitherWay() {
    Json value = withVerdict(Json(), playful_, leaves_, "a");
    QCOMPARE(*verdictOn(value, playful_, leaves_), std::string("a"));
    QCOMPARE(*verdictOn(value, leaves_, playful_), std::string("b"));
    value = withVerdict(value, leaves_, playful_, "tie"); // the same pair, replaced
    QCOMPARE(value.size(), std::size_t(1));
    QCOMPARE(*verdictOn(value, playful_, leaves_), std::string("tie"));
    value = withVerdict(value, playful_, autumn_, "both-bad");
    QCOMPARE(value.size(), std::size_t(2));
    QVERIFY(!verdictOn(value, leaves_, autumn_));
  }

  void notesAreKeptPerAnnotator() {
    AnnotatorSession alice(project(), "alice"), bob(project(), "bob");
    alice.setNote(turn(playful_), "good instinct");
    bob.setNote(turn(playful_), "too vague");
    alice.setNote(turn(playful_), "good instinct, short");
    QCOMPARE(alice.note(turn(playful_)), std::string("good instinct, short"));
    QCOMPARE(bob.note(turn(playful_)), std::string("too vague"));
    alice.setNote(turn(playful_), "");
    QCOMPARE(alice.note(turn(playful_)), std::string());
  }

  void theQueueWalksUnannotatedAssistantTurns() {
    const LabelSchema schema = currentLabelSchema(project());
    AnnotatorSession alice(project(), "alice");
    // Assistant turns: the three candidates and the final answer of tree 1, the answer of tree 2.
    QCOMPARE(queueProgress(project(), schema, LabelLevel::Turn, "alice").total, std::int64_t(5));
    QCOMPARE(queueProgress(project(), schema, LabelLevel::Turn, "alice").annotated, std::int64_t(0));
    std::optional<AnnotationItem> next = nextUnannotated(project(), schema, LabelLevel::Turn, "alice");
    QCOMPARE(*next, turn(leaves_));

    alice.set(turn(leaves_), "helpful", "no");
    QCOMPARE(*nextUnannotated(project(), schema, LabelLevel::Turn, "alice", turn(leaves_)), turn(playful_));
    // Ranking the candidates annotates all three at once: it is put on the turn they answer.
    alice.set(turn(question_), "candidates", Json({playful_, autumn_, leaves_}));
    QCOMPARE(queueProgress(project(), schema, LabelLevel::Turn, "alice").annotated, std::int64_t(3));
    QCOMPARE(*nextUnannotated(project(), schema, LabelLevel::Turn, "alice", turn(leaves_)), turn(rain_));
    // Another annotator's work does not count for alice, and goes round to the start.
    AnnotatorSession(project(), "bob").set(turn(rain_), "helpful", "yes");
    QCOMPARE(*nextUnannotated(project(), schema, LabelLevel::Turn, "alice", turn(tiles_)), turn(rain_));
    alice.set(turn(rain_), "quality", 5);
    alice.set(turn(tiles_), "helpful", "yes");
    QCOMPARE(queueProgress(project(), schema, LabelLevel::Turn, "alice").annotated, std::int64_t(5));
    QVERIFY(!nextUnannotated(project(), schema, LabelLevel::Turn, "alice", turn(rain_)));
  }

  void theQueueWalksConversations() {
    const LabelSchema schema = currentLabelSchema(project());
    AnnotatorSession alice(project(), "alice");
    alice.set(turn(leaves_), "helpful", "no"); // a turn label: the conversation is still to do
    QCOMPARE(*nextUnannotated(project(), schema, LabelLevel::Conversation, "alice"), AnnotationItem::conversation(1));
    alice.set(AnnotationItem::conversation(1), "summary", "fine");
    QCOMPARE(*nextUnannotated(project(), schema, LabelLevel::Conversation, "alice"), AnnotationItem::conversation(2));
    const QueueProgress progress = queueProgress(project(), schema, LabelLevel::Conversation, "alice");
    QCOMPARE(progress.annotated, std::int64_t(1));
    QCOMPARE(progress.total, std::int64_t(2));
  }

  void humanPreferencesComeFromVerdictsAndRankings() {
    AnnotatorSession alice(project(), "alice"), bob(project(), "bob");
    Json verdicts = withVerdict(Json(), playful_, leaves_, "a");
    verdicts = withVerdict(verdicts, autumn_, leaves_, "b");   // leaves better than autumn
    verdicts = withVerdict(verdicts, playful_, autumn_, "tie"); // no pair
    alice.set(turn(question_), "compare", verdicts);
    bob.set(turn(question_), "candidates", Json({autumn_, playful_, leaves_}));
    const auto pairs = humanPreferences(project(), 1, currentLabelSchema(project()));
    QCOMPARE(pairs.size(), std::size_t(3));
    QCOMPARE(pairs[0].chosen, playful_);
    QCOMPARE(pairs[0].rejected, leaves_);
    QCOMPARE(pairs[0].annotator, std::string("alice"));
    QCOMPARE(pairs[0].source, std::string("annotation:compare"));
    QCOMPARE(pairs[1].chosen, leaves_);
    QCOMPARE(pairs[1].rejected, autumn_);
    QCOMPARE(pairs[2].chosen, autumn_); // bob's ranking: first against last
    QCOMPARE(pairs[2].rejected, leaves_);
    QCOMPARE(pairs[2].annotator, std::string("bob"));
  }

  void dpoExportPutsHumanPairsNextToMrPairs() {
    AnnotatorSession(project(), "alice").set(turn(question_), "compare", withVerdict(Json(), autumn_, playful_, "a"));
    io::ExportOptions options;
    options.format = io::ExportFormat::Dpo;
    std::ostringstream mrOnly;
    io::exportJsonl(project(), mrOnly, options);
    options.humanPreferences = true;
    std::ostringstream both;
    io::exportJsonl(project(), both, options);

    std::vector<Json> rows;
    std::istringstream in(both.str());
    for (std::string line; std::getline(in, line);) rows.push_back(Json::parse(line));
    QCOMPARE(rows.size(), std::size_t(2));
    QCOMPARE(qs(rows[0].dump() + "\n"), qs(mrOnly.str())); // the MR pair, unchanged: 0.8 against 0.3
    const Json expected = Json::parse(
        "{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"}],"
        "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Autumn, you say?\"}],"
        "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Playful or sad?\"}],\"annotator\":\"alice\"}");
    QCOMPARE(qs(rows[1].dump()), qs(expected.dump()));
  }

  void agreementPerLabelWithTheItemsInDispute() {
    AnnotatorSession alice(project(), "alice"), bob(project(), "bob");
    // helpful on 4 turns, A: yes yes no no, B: yes no no no -> kappa = 0.5, alpha = 8/15
    // (the hand-worked two-coder examples of tst_agreement).
    const NodeId turns[] = {leaves_, playful_, autumn_, rain_};
    const char* a[] = {"yes", "yes", "no", "no"};
    const char* b[] = {"yes", "no", "no", "no"};
    for (int i = 0; i < 4; ++i) {
      alice.set(turn(turns[i]), "helpful", a[i]);
      bob.set(turn(turns[i]), "helpful", b[i]);
    }
    // The same verdict given on the pair in opposite orders is agreement.
    alice.set(turn(question_), "compare", withVerdict(Json(), playful_, leaves_, "a"));
    bob.set(turn(question_), "compare", withVerdict(Json(), leaves_, playful_, "b"));
    alice.set(AnnotationItem::conversation(1), "summary", "x");

    const AgreementReport report = computeAgreement(project(), currentLabelSchema(project()));
    QCOMPARE(report.annotators, (std::vector<std::string>{"alice", "bob"}));
    const LabelAgreement& helpful = report.labels[0];
    QCOMPARE(helpful.label, std::string("helpful"));
    QCOMPARE(helpful.sharedUnits, std::size_t(4));
    QCOMPARE(*helpful.cohen->value, 0.5);
    QVERIFY(std::abs(*helpful.alpha.value - 8.0 / 15.0) < 1e-12);
    const LabelAgreement& summary = *std::find_if(report.labels.begin(), report.labels.end(),
                                                  [](const auto& l) { return l.label == "summary"; });
    QCOMPARE(qs(summary.note), QString("free text is not compared"));

    QCOMPARE(report.disagreements.size(), std::size_t(1));
    const Disagreement& dispute = report.disagreements[0];
    QCOMPARE(dispute.item, turn(playful_));
    QCOMPARE(dispute.label, std::string("helpful"));
    QCOMPARE(dispute.answers, (std::vector<std::pair<std::string, std::string>>{{"alice", "Yes"}, {"bob", "No"}}));
  }
};

QTEST_GUILESS_MAIN(TestAnnotatorSession)
#include "tst_annotator_session.moc"

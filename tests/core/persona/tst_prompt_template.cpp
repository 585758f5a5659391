#include "common/Error.h"
#include "persona/NearestName.h"
#include "persona/PromptTemplate.h"
#include "TestHelpers.h"

#include <QtTest>

using namespace collab::persona;
using collab::test::qs;
using Kind = TemplateProblem::Kind;

Q_DECLARE_METATYPE(TemplateProblem::Kind)

namespace {

QStringList messages(const PromptTemplate& prompt) {
  QStringList list;
  for (const auto& problem : prompt.problems()) list << qs(problem.message());
  return list;
}

const QString kKnown = "(known: {task}, {goal}, {history}, {name}, {description}, {traits}, {persona})";
const QString kMissingGoal = "missing required placeholder `{goal}` (the hidden goal only the user knows)";
const QString kMissingHistory = "missing required placeholder `{history}` (the conversation so far)";

} // namespace

class TestPromptTemplate : public QObject {
  Q_OBJECT

private slots:
  void validationReportsEveryProblemWithItsPosition_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<Kind>("firstKind");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("unknown, near a known name")
        << "Goal: {goal}\nSo far: {histroy}" << Kind::UnknownPlaceholder
        << QStringList{"2:9 (byte 21): unknown placeholder `{histroy}`; did you mean `{history}`?", kMissingHistory};
    QTest::newRow("unknown, wrong case") << "{Goal} {history}" << Kind::UnknownPlaceholder
                                         << QStringList{"1:1 (byte 0): unknown placeholder `{Goal}`; did you mean `{goal}`?",
                                                        kMissingGoal};
    QTest::newRow("unknown, spaces inside the braces")
        << "{ goal } {history}" << Kind::UnknownPlaceholder
        << QStringList{"1:1 (byte 0): unknown placeholder `{ goal }`; did you mean `{goal}`?", kMissingGoal};
    QTest::newRow("unknown, far from every name")
        << "{goal} {history} {weather}" << Kind::UnknownPlaceholder
        << QStringList{"1:18 (byte 17): unknown placeholder `{weather}` " + kKnown};
    QTest::newRow("JSON example without escapes")
        << "{goal} {history}\nReply {\"response\": 1}" << Kind::UnknownPlaceholder
        << QStringList{"2:7 (byte 23): unknown placeholder `{\"response\": 1}` " + kKnown};
    QTest::newRow("missing both required") << "Just chat about {task}." << Kind::MissingPlaceholder
                                           << QStringList{kMissingGoal, kMissingHistory};
    QTest::newRow("unclosed at the end") << "{goal} {history} {task" << Kind::UnclosedBrace
                                         << QStringList{"1:18 (byte 17): `{` is not closed on its line; write `{{` for a literal brace"};
    QTest::newRow("unclosed before another brace")
        << "{goal {history}" << Kind::UnclosedBrace
        << QStringList{"1:1 (byte 0): `{` is not closed on its line; write `{{` for a literal brace", kMissingGoal};
    QTest::newRow("unclosed before a line break")
        << "{history} {goal\n}" << Kind::UnclosedBrace
        << QStringList{"1:11 (byte 10): `{` is not closed on its line; write `{{` for a literal brace",
                       "2:1 (byte 16): `}` closes nothing; write `}}` for a literal brace", kMissingGoal};
    QTest::newRow("stray closing brace") << "{goal} {history} }" << Kind::StrayClosingBrace
                                         << QStringList{"1:18 (byte 17): `}` closes nothing; write `}}` for a literal brace"};
    QTest::newRow("closing brace after a placeholder")
        << "{goal}{history}{task}}" << Kind::StrayClosingBrace
        << QStringList{"1:22 (byte 21): `}` closes nothing; write `}}` for a literal brace"};
    QTest::newRow("empty placeholder") << "{goal} {history} {}" << Kind::EmptyPlaceholder
                                       << QStringList{"1:18 (byte 17): empty placeholder `{}`; write `{{}}` for literal braces"};
    QTest::newRow("blank placeholder") << "{goal}\n{history}\n  { }" << Kind::EmptyPlaceholder
                                       << QStringList{"3:3 (byte 19): empty placeholder `{ }`; write `{{}}` for literal braces"};
    QTest::newRow("columns count UTF-8 characters, offsets bytes")
        << QString::fromUtf8("Ziel: {goal}\n\xC3\x9C" "bersicht \xE2\x80\x93 {histroy}") << Kind::UnknownPlaceholder
        << QStringList{"2:13 (byte 28): unknown placeholder `{histroy}`; did you mean `{history}`?", kMissingHistory};
    QTest::newRow("all problems, in order")
        << "{} {goal} } {Task} {history" << Kind::EmptyPlaceholder
        << QStringList{"1:1 (byte 0): empty placeholder `{}`; write `{{}}` for literal braces",
                       "1:11 (byte 10): `}` closes nothing; write `}}` for a literal brace",
                       "1:13 (byte 12): unknown placeholder `{Task}`; did you mean `{task}`?",
                       "1:20 (byte 19): `{` is not closed on its line; write `{{` for a literal brace", kMissingHistory};
  }

  void validationReportsEveryProblemWithItsPosition() {
    QFETCH(QString, text);
    QFETCH(Kind, firstKind);
    QFETCH(QStringList, expected);
    const PromptTemplate prompt(text.toStdString());
    QCOMPARE(messages(prompt), expected);
    QVERIFY(!prompt.isValid());
    QCOMPARE(prompt.problems().front().kind, firstKind);
  }

  void problemPositionFields() {
    const PromptTemplate prompt("{goal}\n\xC3\xA9t\xC3\xA9 {histroy}");
    QCOMPARE(prompt.problems().size(), std::size_t(2));
    const auto& unknown = prompt.problems()[0];
    QCOMPARE(unknown.line, std::size_t(2));
    QCOMPARE(unknown.column, std::size_t(5));
    QCOMPARE(unknown.offset, std::size_t(13));
    QCOMPARE(qs(unknown.detail), QString("unknown placeholder `{histroy}`; did you mean `{history}`?"));
    const auto& missing = prompt.problems()[1];
    QCOMPARE(missing.kind, Kind::MissingPlaceholder);
    QCOMPARE(missing.line, std::size_t(0));
    QCOMPARE(qs(missing.message()), kMissingHistory);
  }

  void validTemplates() {
    for (const char* text : {"{goal}{history}", "{{literal}} {goal} {history}", "{{{goal}}} {history} {{}}",
                             "{persona}\n{traits} {name} {description}\n{task}\n{goal}\n{history}\n{goal}"}) {
      const PromptTemplate prompt(text);
      QVERIFY2(prompt.isValid(), text);
    }
    const PromptTemplate prompt("{history} {goal} {{task}} {goal} {task}");
    QCOMPARE(prompt.placeholdersUsed(), (std::vector<std::string>{"history", "goal", "task"}));
  }

  void renderFillsValuesAndResolvesEscapes() {
    const PromptTemplate prompt("{{\"response\": \"{goal}\"}}\n{goal} again; {history}|{{}}");
    const std::string goal = "Ein Gedicht \xC3\xBC" "ber den Fr\xC3\xBChling \xE2\x9C\x93";
    const std::string rendered = prompt.render({{"goal", goal}, {"history", "user: {task} }{"}, {"unused", "x"}});
    QCOMPARE(qs(rendered), qs("{\"response\": \"" + goal + "\"}\n" + goal + " again; user: {task} }{|{}"));
  }

  void renderRefusesInvalidTemplatesAndMissingValues() {
    try {
      PromptTemplate("{goal} {histroy}").render({{"goal", "g"}, {"history", "h"}});
      QFAIL("an invalid template rendered");
    } catch (const collab::Error& e) {
      QCOMPARE(QString(e.what()), "cannot render an invalid prompt template:\n"
                                  "1:8 (byte 7): unknown placeholder `{histroy}`; did you mean `{history}`?\n" +
                                      kMissingHistory);
    }
    try {
      PromptTemplate("{goal} {history}").render({{"goal", "g"}});
      QFAIL("rendered without a value for {history}");
    } catch (const collab::Error& e) {
      QCOMPARE(QString(e.what()), QString("no value given for placeholder `{history}`"));
    }
  }

  void nearestNameSuggestsOnlyTypos() {
    const std::vector<std::string_view> names{"task", "goal", "history", "traits"};
    QCOMPARE(nearestName("histroy", names).value_or(""), std::string("history"));
    QCOMPARE(nearestName("HISTORY", names).value_or(""), std::string("history"));
    QCOMPARE(nearestName("trait", names).value_or(""), std::string("traits"));
    QCOMPARE(nearestName("tsk", names).value_or(""), std::string("task"));
    QVERIFY(!nearestName("weather", names));
    QVERIFY(!nearestName("go", names)); // two edits from "goal", but half of it
  }
};

QTEST_GUILESS_MAIN(TestPromptTemplate)
#include "tst_prompt_template.moc"

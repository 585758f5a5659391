// Label schemas: their shortcuts, their validation messages, their JSON, and where the
// project keeps them.

#include "annotation/LabelSchema.h"
#include "annotation/LabelSchemaJson.h"
#include "annotation/LabelSchemaStore.h"
#include "annotation/Shortcut.h"
#include "common/Error.h"
#include "TestHelpers.h"

#include <SQLiteCpp/Database.h>
#include <QtTest>

using namespace collab;
using namespace collab::annotation;
using collab::test::qs;

namespace {

QStringList messages(const LabelSchema& schema) {
  QStringList list;
  for (const auto& problem : validate(schema)) list << qs(problem.message());
  return list;
}

LabelDefinition yesNo(const std::string& name, const std::string& yesKey, LabelLevel level = LabelLevel::Turn) {
  return {name, LabelKind::Label, level, "", {{"yes", "Yes", yesKey}, {"no", "No", ""}}};
}

} // namespace

class TestLabelSchema : public QObject {
  Q_OBJECT

private slots:
  void shortcutsAreNormalized_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: not a shortcut
    QTest::newRow("letter") << "y" << "Y";
    QTest::newRow("digit") << "3" << "3";
    QTest::newRow("spaces and case") << "ctrl + y" << "Ctrl+Y";
    QTest::newRow("modifier order") << "Shift+Alt+Ctrl+f5" << "Ctrl+Alt+Shift+F5";
    QTest::newRow("plus key") << "+" << "+";
    QTest::newRow("ctrl plus") << "Ctrl++" << "Ctrl++";
    QTest::newRow("named key") << "alt+up" << "Alt+Up";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("modifier alone") << "Ctrl+" << "";
    QTest::newRow("unknown modifier") << "Hyper+A" << "";
    QTest::newRow("two letters") << "AB" << "";
    QTest::newRow("two keys") << "Ctrl+A+B" << "";
  }
  void shortcutsAreNormalized() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto normalized = normalizeShortcut(text.toStdString());
    QCOMPARE(normalized ? qs(*normalized) : QString(), expected);
  }

  void theDefaultSchemaIsValidAndHasEveryKind() {
    const LabelSchema schema = defaultLabelSchema();
    QCOMPARE(messages(schema), QStringList());
    for (auto kind : {LabelKind::Label, LabelKind::MultiLabel, LabelKind::Rating, LabelKind::Ranking,
                      LabelKind::Pairwise, LabelKind::FreeText})
      QVERIFY(std::any_of(schema.labels.begin(), schema.labels.end(), [&](const auto& l) { return l.kind == kind; }));
    QVERIFY(!schema.atLevel(LabelLevel::Conversation).empty());
  }

  void validationNamesEveryProblem_data() {
    QTest::addColumn<int>("case_");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("same shortcut, same level")
        << 0 << QStringList{"field `labels[1].options[0].shortcut`: `Y` is also the shortcut of `helpful` option `yes`"};
    QTest::newRow("same shortcut, other level") << 1 << QStringList{};
    QTest::newRow("same shortcut, spelt differently")
        << 2 << QStringList{"field `labels[1].options[0].shortcut`: `Shift+Y` is also the shortcut of `helpful` option `yes`"};
    QTest::newRow("bad shortcut")
        << 3 << QStringList{"field `labels[0].options[0].shortcut`: expected a key with optional Ctrl+, Alt+, Shift+, Meta+ "
                            "(such as `Y` or `Shift+2`), found `Ctrl+`"};
    QTest::newRow("reserved shortcut")
        << 4 << QStringList{"field `labels[0].options[0].shortcut`: `Alt+Up` is kept by the annotation panel"};
    QTest::newRow("names") << 5
                           << QStringList{"field `labels[0].name`: expected a name, found an empty one",
                                          "field `labels[2].name`: `helpful` is the name of an earlier label",
                                          "field `labels[3].name`: ` padded` starts or ends with a space"};
    QTest::newRow("option values")
        << 6 << QStringList{"field `labels[0].options[1].value`: `yes` is the value of an earlier option",
                            "field `labels[1].options[0].value`: a rating option's value is a number, found `good`"};
    QTest::newRow("option counts")
        << 7 << QStringList{"field `labels[0].options`: expected at least 2 options, found 1",
                            "field `labels[1].options`: a ranking label has no options, found 1",
                            "field `labels[2].options`: a pairwise label has the options a, b, tie, both-bad, in this order"};
  }
  void validationNamesEveryProblem() {
    QFETCH(int, case_);
    QFETCH(QStringList, expected);
    LabelSchema schema;
    switch (case_) {
    case 0: schema.labels = {yesNo("helpful", "Y"), {"polite", LabelKind::Label, LabelLevel::Turn, "", {{"y", "Y", "y"}, {"n", "N", "M"}}}}; break;
    case 1: schema.labels = {yesNo("helpful", "Y"), yesNo("met", "Y", LabelLevel::Conversation)}; break;
    case 2:
      schema.labels = {yesNo("helpful", "shift+y"), {"polite", LabelKind::Label, LabelLevel::Turn, "", {{"y", "Y", "Shift+Y"}, {"n", "N", "M"}}}};
      break;
    case 3: schema.labels = {yesNo("helpful", "Ctrl+")}; break;
    case 4: schema.labels = {yesNo("helpful", "alt+up")}; break;
    case 5:
      schema.labels = {yesNo("", "A"), yesNo("helpful", "B"), yesNo("helpful", "C"), yesNo(" padded", "D")};
      for (std::size_t i = 0; i < schema.labels.size(); ++i) schema.labels[i].options[1].shortcut = std::to_string(i);
      break;
    case 6:
      schema.labels = {{"helpful", LabelKind::Label, LabelLevel::Turn, "", {{"yes", "Yes", ""}, {"yes", "Also yes", ""}}},
                       {"quality", LabelKind::Rating, LabelLevel::Turn, "", {{"good", "Good", ""}, {"2", "2", ""}}}};
      break;
    case 7:
      schema.labels = {{"helpful", LabelKind::Label, LabelLevel::Turn, "", {{"yes", "Yes", ""}}},
                       {"order", LabelKind::Ranking, LabelLevel::Turn, "", {{"x", "X", ""}}},
                       {"ab", LabelKind::Pairwise, LabelLevel::Turn, "", {{"a", "A", ""}, {"b", "B", ""}}}};
      break;
    }
    QCOMPARE(messages(schema), expected);
  }

  void jsonRoundTrips() {
    const LabelSchema schema = defaultLabelSchema();
    const std::string text = toJson(schema).dump(2);
    QCOMPARE(parseLabelSchema(text, "schema.json"), schema);
    QVERIFY(text.find("\"format\": \"collab-label-schema/1\"") != std::string::npos);
  }

  void badJsonNamesTheFileAndField_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown kind")
        << "{\"labels\":[{\"name\":\"q\",\"kind\":\"likert\",\"level\":\"turn\"}]}"
        << "schema.json: field `labels[0].kind`: expected one of label, multi-label, rating, ranking, pairwise, "
           "free-text, found a string (\"likert\")";
    QTest::newRow("unknown field")
        << "{\"labels\":[{\"name\":\"q\",\"kind\":\"ranking\",\"level\":\"turn\",\"shortcut\":\"Q\"}]}"
        << "schema.json: field `labels[0].shortcut`: unknown field (known: description, kind, level, name, options)";
    QTest::newRow("option without value")
        << "{\"labels\":[{\"name\":\"q\",\"kind\":\"label\",\"level\":\"turn\",\"options\":[{\"text\":\"Yes\"},{\"value\":\"n\"}]}]}"
        << "schema.json: field `labels[0].options[0].value`: expected it to be present, found it missing";
    QTest::newRow("validation problems, every one")
        << "{\"labels\":[{\"name\":\"a\",\"kind\":\"label\",\"level\":\"turn\",\"options\":[{\"value\":\"y\",\"shortcut\":\"Y\"},"
           "{\"value\":\"n\",\"shortcut\":\"y\"}]},{\"name\":\"a\",\"kind\":\"free-text\",\"level\":\"turn\"}]}"
        << "schema.json: field `labels[1].name`: `a` is the name of an earlier label\n"
           "schema.json: field `labels[0].options[1].shortcut`: `Y` is also the shortcut of `a` option `y`";
    QTest::newRow("not JSON") << "{labels" << "";
  }
  void badJsonNamesTheFileAndField() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    try {
      parseLabelSchema(text.toStdString(), "schema.json");
      QFAIL("parsed");
    } catch (const InputError& e) {
      if (expected.isEmpty()) QVERIFY(qs(e.what()).startsWith("schema.json: not valid JSON"));
      else QCOMPARE(qs(e.what()), expected);
    }
  }

  void theProjectKeepsItsSchemaAsVersions() {
    test::ScratchProjects scratch;
    auto project = scratch.next();
    QVERIFY(!hasOwnLabelSchema(project));
    QCOMPARE(currentLabelSchema(project), defaultLabelSchema());

    LabelSchema mine;
    mine.labels = {yesNo("helpful", "Y")};
    saveLabelSchema(project, mine);
    QVERIFY(hasOwnLabelSchema(project));
    QCOMPARE(currentLabelSchema(project), mine);
    mine.labels.push_back(yesNo("polite", "P"));
    saveLabelSchema(project, mine);
    QCOMPARE(currentLabelSchema(project).labels.size(), std::size_t(2));
    QCOMPARE(project.database().execAndGet("SELECT count(*) FROM label_schemas").getInt(), 2);

    LabelSchema broken;
    broken.labels = {yesNo("helpful", "Y"), yesNo("helpful", "Q")};
    try {
      saveLabelSchema(project, broken);
      QFAIL("saved");
    } catch (const Error& e) {
      QCOMPARE(qs(e.what()), QString("the label schema cannot be saved:\nfield `labels[1].name`: `helpful` is the name "
                                     "of an earlier label"));
    }
    QCOMPARE(currentLabelSchema(project), mine);
  }
};

QTEST_GUILESS_MAIN(TestLabelSchema)
#include "tst_label_schema.moc"

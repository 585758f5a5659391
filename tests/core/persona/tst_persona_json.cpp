#include "common/Error.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaPrompt.h"
#include "TestHelpers.h"

#include <QtTest>

#include <cmath>

using namespace collab::persona;
using collab::test::qs;

namespace {

Persona sample() {
  Persona persona;
  persona.name = "Cl\xC3\xA9mence";
  persona.description = "Writes \"quotes\" and {braces}.";
  persona.traits.patience = 0.25;
  persona.traits.verbosity = 0.125;
  persona.traits.expertise = 1.0;
  persona.traits.cooperativeness = 0.0;
  persona.traits.clarity = 0.3;
  persona.traits.consistency = 0.7;
  persona.traits.mistakeRate = 0.05;
  persona.traits.tone = Tone::Hostile;
  persona.traits.disclosure = Disclosure::WhenAsked;
  persona.traits.fluency = Fluency::Intermediate;
  persona.traits.extra = {{"domain", "chemistry"}, {"age", "60s"}};
  persona.promptTemplate = "{persona}\n\nGoal: {goal}\n{{\"response\": \"...\"}}\n{history}\n";
  return persona;
}

// A minimal valid file with `patch` merged in (a null value removes the field).
std::string fileWith(const nlohmann::json& patch) {
  nlohmann::json json = {{"name", "x"}, {"prompt_template", "{goal} {history}"}};
  json.merge_patch(patch);
  return json.dump();
}

} // namespace

class TestPersonaJson : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private slots:
  void roundTripThroughTextAndFile() {
    const Persona persona = sample();
    QVERIFY(validate(persona).empty());
    QCOMPARE(parsePersona(toText(persona), "mem") == persona, true);

    const auto path = collab::test::pathIn(dir_, "p.json");
    writePersonaFile(path, persona);
    const Persona read = readPersonaFile(path);
    QCOMPARE(read == persona, true);
    QCOMPARE(qs(read.promptTemplate), qs(persona.promptTemplate));
    // The template is written as lines, so the file stays readable.
    const auto json = nlohmann::json::parse(collab::test::readFile(path));
    QCOMPARE(json["prompt_template"].size(), std::size_t(6));
    QCOMPARE(qs(json["prompt_template"][3].get<std::string>()), QString("{{\"response\": \"...\"}}"));
    QCOMPARE(qs(json["format"].get<std::string>()), QString(kPersonaFormat));
  }

  void validateListsEveryProblemByField() {
    Persona persona = sample();
    persona.name = " " + std::string(80, 'n');
    persona.traits.patience = std::nan("");
    persona.traits.consistency = 1.01;
    persona.traits.extra[""] = "nameless";
    persona.promptTemplate = "{history} {}";
    QStringList messages;
    for (const auto& problem : validate(persona)) messages << qs(problem.message());
    QCOMPARE(messages, (QStringList{"field `name`: `" + qs(persona.name) + "` starts or ends with a space",
                                    "field `name`: 81 bytes long, at most 80 allowed",
                                    "field `traits.patience`: expected a number in [0, 1], found nan",
                                    "field `traits.consistency`: expected a number in [0, 1], found 1.01",
                                    "field `traits.extra`: a free trait has an empty name",
                                    "field `prompt_template`: 1:11 (byte 10): empty placeholder `{}`; write `{{}}` for literal braces",
                                    "field `prompt_template`: missing required placeholder `{goal}` (the hidden goal only the user knows)"}));
    persona.name = "tab\there";
    QCOMPARE(qs(validate(persona).front().message()), QString("field `name`: contains a line break or control character"));
    persona.name.clear();
    QCOMPARE(qs(validate(persona).front().message()), QString("field `name`: expected a name, found an empty one"));
  }

  void missingTraitsTakeDefaultsAndTemplateMayBeOneString() {
    const Persona persona = parsePersona(fileWith({{"traits", {{"patience", 0.2}}}}), "mem");
    QCOMPARE(persona.traits.patience, 0.2);
    QCOMPARE(persona.traits.verbosity, Traits{}.verbosity);
    QVERIFY(persona.traits.tone == Tone::Neutral);
    QCOMPARE(qs(persona.promptTemplate), QString("{goal} {history}"));
  }

  void badFilesNameFileAndField_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    using J = nlohmann::json;
    QTest::newRow("not an object") << "[1]" << "bad.json: expected a persona object, found an array";
    QTest::newRow("missing fields") << "{}"
                                    << "bad.json: field `name`: expected it to be present, found it missing\n"
                                       "bad.json: field `prompt_template`: expected it to be present, found it missing";
    QTest::newRow("unknown field") << qs(fileWith({{"trats", J::object()}}))
                                   << "bad.json: field `trats`: unknown field; did you mean `traits`?";
    QTest::newRow("unknown field, far")
        << qs(fileWith({{"prompt", "x"}}))
        << "bad.json: field `prompt`: unknown field (known: format, name, description, traits, prompt_template)";
    QTest::newRow("wrong format") << qs(fileWith({{"format", "collab-persona/2"}}))
                                  << "bad.json: field `format`: expected \"collab-persona/1\", found a string (\"collab-persona/2\")";
    QTest::newRow("name not a string") << qs(fileWith({{"name", 7}}))
                                       << "bad.json: field `name`: expected a string, found a number (7)";
    QTest::newRow("name with a line break") << qs(fileWith({{"name", "a\nb"}}))
                                            << "bad.json: field `name`: contains a line break or control character";
    QTest::newRow("trait out of range") << qs(fileWith({{"traits", {{"patience", 1.5}}}}))
                                        << "bad.json: field `traits.patience`: expected a number in [0, 1], found 1.5";
    QTest::newRow("trait below range") << qs(fileWith({{"traits", {{"mistakeRate", -0.1}}}}))
                                       << "bad.json: field `traits.mistakeRate`: expected a number in [0, 1], found -0.1";
    QTest::newRow("trait not a number")
        << qs(fileWith({{"traits", {{"verbosity", "high"}}}}))
        << "bad.json: field `traits.verbosity`: expected a number in [0, 1], found a string (\"high\")";
    QTest::newRow("unknown trait")
        << qs(fileWith({{"traits", {{"patiense", 0.2}}}}))
        << "bad.json: field `traits.patiense`: unknown trait; did you mean `patience`? (free traits go in `traits.extra`)";
    QTest::newRow("tone not in the set")
        << qs(fileWith({{"traits", {{"tone", "grumpy"}}}}))
        << "bad.json: field `traits.tone`: expected one of neutral, friendly, formal, casual, curt, hostile, found a string (\"grumpy\")";
    QTest::newRow("tone misspelt")
        << qs(fileWith({{"traits", {{"tone", "frendly"}}}}))
        << "bad.json: field `traits.tone`: expected one of neutral, friendly, formal, casual, curt, hostile, found a string "
           "(\"frendly\"); did you mean `friendly`?";
    QTest::newRow("disclosure not a string")
        << qs(fileWith({{"traits", {{"disclosure", true}}}}))
        << "bad.json: field `traits.disclosure`: expected one of upfront, gradual, when-asked, found a boolean (true)";
    QTest::newRow("extra trait not text") << qs(fileWith({{"traits", {{"extra", {{"domain", 3}}}}}}))
                                          << "bad.json: field `traits.extra.domain`: expected a string, found a number (3)";
    QTest::newRow("template line not a string")
        << qs(fileWith({{"prompt_template", {"{goal} {history}", 3}}}))
        << "bad.json: field `prompt_template[1]`: expected a string, found a number (3)";
    QTest::newRow("template problems, all of them")
        << qs(fileWith({{"prompt_template", {"Goal: {goal}", "{histroy} }"}}}))
        << "bad.json: field `prompt_template`: 2:1 (byte 13): unknown placeholder `{histroy}`; did you mean `{history}`?\n"
           "bad.json: field `prompt_template`: 2:11 (byte 23): `}` closes nothing; write `}}` for a literal brace\n"
           "bad.json: field `prompt_template`: missing required placeholder `{history}` (the conversation so far)";
    QTest::newRow("several fields at once")
        << qs(fileWith({{"traits", {{"patience", 2}, {"clarity", -1}}}, {"description", J::array()}}))
        << "bad.json: field `description`: expected a string, found an array\n"
           "bad.json: field `traits.patience`: expected a number in [0, 1], found 2\n"
           "bad.json: field `traits.clarity`: expected a number in [0, 1], found -1";
  }

  void badFilesNameFileAndField() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    try {
      parsePersona(text.toStdString(), "bad.json");
      QFAIL("a bad persona was read");
    } catch (const PersonaFileError& e) {
      QCOMPARE(QString(e.what()), expected);
      QCOMPARE(qs(e.source()), QString("bad.json"));
      QCOMPARE(e.problems().size(), std::size_t(expected.count("bad.json: ")));
    }
  }

  void syntaxErrorsNameTheLine() {
    try {
      parsePersona("{\n  \"name\": \"x\",\n  oops\n}", "broken.json");
      QFAIL("broken JSON was read");
    } catch (const collab::InputError& e) {
      QCOMPARE(e.line(), std::size_t(3));
      // The rest is nlohmann's wording, which changes between its versions.
      QVERIFY2(QString(e.what()).startsWith("broken.json:3: invalid JSON: syntax error while parsing object key"),
               e.what());
    }
  }

  void fileErrorsNameThePath() {
    const auto path = collab::test::writeFile(dir_, "typo.json", fileWith({{"traits", {{"tone", "curtt"}}}}));
    try {
      readPersonaFile(path);
      QFAIL("a bad persona file was read");
    } catch (const PersonaFileError& e) {
      QCOMPARE(qs(e.what()), qs(path.string() + ": field `traits.tone`: expected one of neutral, friendly, formal, "
                                                "casual, curt, hostile, found a string (\"curtt\"); did you mean `curt`?"));
    }
    const auto missing = collab::test::pathIn(dir_, "missing.json");
    QVERIFY_THROWS_EXCEPTION(collab::InputError, readPersonaFile(missing));
  }

  void renderPromptFoldsThePersonaIn() {
    Persona persona = sample();
    persona.promptTemplate = "{name}|{goal}|{task}|{history}\n{persona}";
    const std::string text = renderPrompt(persona, {"Write a poem", "A haiku about rain", "user: hi"});
    const std::string expected = persona.name + "|A haiku about rain|Write a poem|user: hi\n"
                                 "You are " + persona.name + ". " + persona.description +
                                 "\nYour traits:\n" + describeTraits(persona.traits);
    QCOMPARE(qs(text), qs(expected));
    QCOMPARE(qs(describeTraits(persona.traits)),
             QString("- patience (tolerance for questions and slow progress): 0.25 of 1 (low: ends the chat early)\n"
                     "- verbosity (how much the user writes per message): 0.12 of 1 (low: a few words)\n"
                     "- expertise (knowledge of the task's domain): 1 of 1 (high: an expert)\n"
                     "- cooperativeness (willingness to answer questions): 0 of 1 (low: evasive)\n"
                     "- clarity (how precisely wishes are stated): 0.3 of 1 (low: vague and partial)\n"
                     "- consistency (stability of the requirements): 0.7 of 1 (high: sticks to what they said)\n"
                     "- mistakeRate (how often details are wrong): 0.05 of 1 (low: rarely wrong)\n"
                     "- tone: hostile\n"
                     "- disclosure (when details of the goal are given away): when-asked\n"
                     "- fluency in the conversation's language: intermediate\n"
                     "- age: 60s\n"
                     "- domain: chemistry"));
    persona.promptTemplate = "{goal}";
    QVERIFY_THROWS_EXCEPTION(collab::Error, renderPrompt(persona, {}));
  }
};

QTEST_GUILESS_MAIN(TestPersonaJson)
#include "tst_persona_json.moc"

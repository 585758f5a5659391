#include "common/Error.h"
#include "persona/DefaultPersonas.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaPrompt.h"
#include "persona/PersonaVersions.h"
#include "TestHelpers.h"

#include <QtTest>

#include <cmath>

using namespace collab::persona;
using collab::test::qs;

namespace {

const std::filesystem::path kDefaults = COLLAB_SOURCE_DIR "/resources/personas";

const Persona& named(const std::vector<Persona>& personas, const std::string& name) {
  for (const auto& persona : personas)
    if (persona.name == name) return persona;
  throw std::runtime_error("no default persona " + name);
}

double numericDistance(const Traits& a, const Traits& b) {
  double sum = 0;
  for (const auto& trait : numericTraits()) sum += std::abs(a.*trait.field - b.*trait.field);
  return sum;
}

} // namespace

class TestDefaultPersonas : public QObject {
  Q_OBJECT
  collab::test::ScratchProjects projects_;
  QTemporaryDir dir_;

private slots:
  void allLoadValidateAndRender() {
    const auto personas = loadDefaultPersonas(kDefaults);
    QVERIFY(personas.size() >= 8);
    for (const auto& persona : personas) {
      const auto problems = validate(persona);
      QVERIFY2(problems.empty(), (persona.name + ": " + (problems.empty() ? "" : problems[0].message())).c_str());
      const std::string prompt = renderPrompt(persona, {"TASK-TEXT", "GOAL-TEXT", "HISTORY-TEXT"});
      // Every simulator reads the same reply format and the same way to end the chat.
      for (const char* part : {"GOAL-TEXT", "HISTORY-TEXT", "\"current_answer\"", "\"thought\"", "\"response\"",
                               "[[TERMINATE CHAT]]", "{\n"})
        QVERIFY2(prompt.find(part) != std::string::npos, (persona.name + " lacks " + part).c_str());
      QVERIFY2(prompt.find("{{") == std::string::npos, persona.name.c_str());
    }
  }

  void filesAreInTheExportFormat() {
    // Each default file is byte for byte what exporting its persona writes, so the defaults
    // double as examples of the import/export format.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kDefaults)) {
      if (entry.path().extension() != ".json") continue;
      ++files;
      const Persona persona = readPersonaFile(entry.path());
      QCOMPARE(qs(toText(persona)), qs(collab::test::readFile(entry.path())));
      QCOMPARE(qs(entry.path().stem().string()), qs(persona.name));
    }
    QVERIFY(files >= 8);
  }

  void personasReallyDiffer() {
    const auto personas = loadDefaultPersonas(kDefaults);
    for (std::size_t i = 0; i < personas.size(); ++i)
      for (std::size_t j = i + 1; j < personas.size(); ++j) {
        const auto& a = personas[i];
        const auto& b = personas[j];
        const std::string pair = a.name + " / " + b.name;
        QVERIFY2(numericDistance(a.traits, b.traits) >= 0.75, pair.c_str());
        QVERIFY2(a.promptTemplate != b.promptTemplate, pair.c_str());
        QVERIFY2(a.description != b.description, pair.c_str());
      }
  }

  void eachPersonaHasTheTraitsItIsNamedFor() {
    const auto personas = loadDefaultPersonas(kDefaults);
    const auto& generic = named(personas, "generic-user");
    QVERIFY(generic.traits.clarity < 0.5); // vague at first
    QVERIFY(generic.traits.mistakeRate > 0); // sometimes wrong
    QVERIFY(generic.traits.verbosity < 0.5); // minimises effort
    QVERIFY(named(personas, "impatient-expert").traits.patience < 0.2);
    QVERIFY(named(personas, "impatient-expert").traits.expertise > 0.9);
    QVERIFY(named(personas, "curious-novice").traits.expertise < 0.2);
    QVERIFY(named(personas, "curious-novice").traits.disclosure == Disclosure::WhenAsked);
    QVERIFY(named(personas, "verbose-oversharer").traits.verbosity > 0.9);
    QVERIFY(named(personas, "terse-cooperator").traits.verbosity < 0.1);
    QVERIFY(named(personas, "terse-cooperator").traits.cooperativeness > 0.9);
    QVERIFY(named(personas, "non-native-speaker").traits.fluency == Fluency::Basic);
    QVERIFY(named(personas, "mind-changer").traits.consistency < 0.2);
    QVERIFY(named(personas, "evasive-skeptic").traits.cooperativeness < 0.2);
    QVERIFY(named(personas, "evasive-skeptic").traits.tone == Tone::Hostile);
    QVERIFY(named(personas, "busy-manager").traits.disclosure == Disclosure::Upfront);
  }

  void loaderErrorsNameTheFolderOrFile() {
    QVERIFY_THROWS_EXCEPTION(collab::InputError, loadDefaultPersonas(collab::test::pathIn(dir_, "nowhere")));
    const std::filesystem::path folder = collab::test::pathIn(dir_, "dup");
    std::filesystem::create_directory(folder);
    try {
      loadDefaultPersonas(folder);
      QFAIL("an empty folder loaded");
    } catch (const collab::InputError& e) {
      QCOMPARE(qs(e.what()), qs(folder.string() + ": no persona files (*.json) in the folder"));
    }
    Persona persona = loadDefaultPersonas(kDefaults).front();
    writePersonaFile(folder / "a.json", persona);
    writePersonaFile(folder / "b.json", persona);
    try {
      loadDefaultPersonas(folder);
      QFAIL("two personas of one name loaded");
    } catch (const collab::InputError& e) {
      QCOMPARE(qs(e.what()), qs((folder / "b.json").string() + ": persona `" + persona.name +
                                "` is already defined in " + (folder / "a.json").string()));
    }
    persona.traits.patience = 3;
    writePersonaFile(folder / "b.json", persona);
    try {
      loadDefaultPersonas(folder);
      QFAIL("an invalid persona loaded");
    } catch (const PersonaFileError& e) {
      QCOMPARE(qs(e.what()), qs((folder / "b.json").string() +
                                ": field `traits.patience`: expected a number in [0, 1], found 3"));
    }
  }

  void savingCreatesAVersionOnlyOnChange() {
    auto project = projects_.next();
    auto& repository = project.personas();
    Persona persona = loadDefaultPersonas(kDefaults).front();

    const auto first = saveVersion(repository, persona);
    QVERIFY(first.created);
    QCOMPARE(first.version.version, 1);
    const auto again = saveVersion(repository, persona);
    QVERIFY(!again.created);
    QCOMPARE(again.version.id, first.version.id);

    persona.traits.patience = persona.traits.patience / 2;
    const auto second = saveVersion(repository, persona);
    QVERIFY(second.created);
    QCOMPARE(second.version.version, 2);
    persona.promptTemplate += "\nOne more line.";
    QCOMPARE(saveVersion(repository, persona).version.version, 3);
    persona.description += " More.";
    QCOMPARE(saveVersion(repository, persona).version.version, 4);
    QCOMPARE(saveVersion(repository, persona).created, false);

    const auto history = repository.history(persona.name);
    QCOMPARE(history.size(), std::size_t(4));
    QCOMPARE(fromVersion(history.back()) == persona, true);
    QCOMPARE(fromVersion(history[1]).traits.patience, persona.traits.patience);
  }

  void reformattedStoredTraitsAreNotAChange() {
    auto project = projects_.next();
    Persona persona = loadDefaultPersonas(kDefaults).back();
    auto stored = toVersion(persona);
    // Same content, other spacing, as another writer might store it.
    stored.traitsJson = nlohmann::json::parse(stored.traitsJson).dump(4);
    project.personas().addVersion(stored);
    QVERIFY(!saveVersion(project.personas(), persona).created);

    persona.traits.extra["note"] = "new";
    QVERIFY(saveVersion(project.personas(), persona).created);
  }

  void invalidPersonasAreNotSaved() {
    auto project = projects_.next();
    Persona persona = loadDefaultPersonas(kDefaults).front();
    persona.promptTemplate = "{goal}";
    QVERIFY_THROWS_EXCEPTION(collab::Error, saveVersion(project.personas(), persona));
    QCOMPARE(project.personas().count(), std::int64_t(0));
  }

  void seedingAProjectIsIdempotent() {
    auto project = projects_.next();
    const auto personas = loadDefaultPersonas(kDefaults);
    QCOMPARE(seedPersonas(project.personas(), personas), int(personas.size()));
    QCOMPARE(seedPersonas(project.personas(), personas), 0);
    QCOMPARE(project.personas().count(), std::int64_t(personas.size()));
    std::vector<std::string> names;
    for (const auto& persona : personas) names.push_back(persona.name);
    QCOMPARE(project.personas().names(), names);
    for (const auto& persona : personas)
      QCOMPARE(fromVersion(*project.personas().latest(persona.name)) == persona, true);
  }
};

QTEST_GUILESS_MAIN(TestDefaultPersonas)
#include "tst_default_personas.moc"

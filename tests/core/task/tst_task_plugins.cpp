// Task plugins: the loader (plugin.json, dlopen, API version, clear errors), a plugin built
// against the installed headers alone, and the collabllm-tasks plugin's families on small
// CollabLLM rows (tests/data/collabllm-rows): character BLEU, final-answer accuracy, and
// the pass rate of unit tests run in the sandbox.
#include "common/Error.h"
#include "reward/SentenceBleu.h"
#include "task/PluginLoader.h"

#include <QtTest>

using namespace collab;
using namespace collab::task;
using conversation::Role;

namespace {

const std::filesystem::path kCollabllmPlugin = COLLAB_BUILD_DIR "/plugins/collabllm-tasks";
const std::filesystem::path kRows = COLLAB_TEST_DATA_DIR "/collabllm-rows";

QString q(const std::string& text) { return QString::fromStdString(text); }

double scoreOf(const TaskFamily& family, const TaskInstance& task, const std::string& assistantText) {
  return family.score(task, family.extractArtefact({{Role::User, task.firstUserMessage}, {Role::Assistant, assistantText}})).value;
}

} // namespace

class TestTaskPlugins : public QObject {
  Q_OBJECT
  TaskRegistry registry_;

private slots:
  void initTestCase() {
    const auto added = loadTaskPlugin(kCollabllmPlugin, registry_);
    QCOMPARE(added, (std::vector<std::string>{"collabllm-documents", "collabllm-math", "collabllm-code"}));
  }

  void findsPluginFoldersOnItsRoots() {
    const auto found = findPluginDirectories({COLLAB_BUILD_DIR "/plugins", "/nowhere/at/all"});
    QVERIFY(std::find(found.begin(), found.end(), kCollabllmPlugin) != found.end());
    const auto metadata = readPluginMetadata(kCollabllmPlugin);
    QCOMPARE(q(metadata.name), QString("collabllm-tasks"));
    QCOMPARE(metadata.families.size(), std::size_t(3));
  }

  void rowsBecomeTasks() {
    const TaskFamily& documents = registry_.family("collabllm-documents");
    QCOMPARE(documents.size().value_or(0), std::uint64_t(3));
    const TaskInstance task = documents.generate(7, 1);
    QCOMPARE(q(task.id), QString("collabllm-documents/7/1"));
    QVERIFY(q(task.firstUserMessage).startsWith("Write a two-sentence reminder"));
    QVERIFY(q(task.reference).startsWith("A quick reminder"));
    QCOMPARE(q(task.split), QString("test")); // from the row
    QVERIFY(task.goal.empty());
    // A dataset has as many tasks as rows, whatever is asked for.
    QCOMPARE(registry_.tasks("collabllm-documents", 7, 100).size(), std::size_t(3));
    QCOMPARE(registry_.tasks("collabllm-documents", 7, 100, "train").size(), std::size_t(2));
    QCOMPARE(q(registry_.byId("collabllm-math/7/2").reference), QString("Each payment is 12000 / 24 = \\boxed{500} dollars."));
    QVERIFY_THROWS_EXCEPTION(Error, documents.generate(7, 3));
  }

  void documentsAreScoredByCharacterBleu() {
    const TaskFamily& documents = registry_.family("collabllm-documents");
    const TaskInstance task = documents.generate(1, 0);
    QCOMPARE(scoreOf(documents, task, task.reference), 1.0);
    const std::string draft = "Hello team, the new coffee machine comes on Monday. Rinse your cups.";
    QCOMPARE(scoreOf(documents, task, draft), reward::charBleu(task.reference, draft));
    QVERIFY(scoreOf(documents, task, draft) > 0.05 && scoreOf(documents, task, draft) < 0.9);
  }

  void mathIsScoredByItsFinalAnswer() {
    const TaskFamily& math = registry_.family("collabllm-math");
    const TaskInstance muffins = math.generate(1, 0), dice = math.generate(1, 1), loan = math.generate(1, 2);
    QCOMPARE(scoreOf(math, muffins, "She has 30 muffins left."), 1.0);
    QCOMPARE(scoreOf(math, muffins, "She has 42 muffins, so 30... no wait, 31 left."), 0.0);
    QCOMPARE(scoreOf(math, dice, "6 of 36 outcomes: \\boxed{\\frac{1}{6}}"), 1.0);
    QCOMPARE(scoreOf(math, dice, "It is \\boxed{\\frac{1}{3}}."), 0.0);
    QCOMPARE(scoreOf(math, loan, "Each payment is $500."), 1.0);
    QCOMPARE(scoreOf(math, loan, "I need the interest rate first. What is it?"), 0.0);
    QVERIFY(q(math.score(loan, "$499.99").detail).contains("differs from the reference's 500"));
  }

  void codeIsScoredByThePassRateOfItsTests() {
    const TaskFamily& code = registry_.family("collabllm-code");
    const TaskInstance mean = code.generate(1, 0);
    QCOMPARE(scoreOf(code, mean, "Here it is:\n\n" + mean.reference), 1.0);
    const std::string noCheck = "```python\ndef task_func(numbers):\n    return sum(numbers) / len(numbers)\n```";
    const TaskScore partial = code.score(mean, noCheck);
    QCOMPARE(partial.value, 0.75); // ZeroDivisionError instead of ValueError: 3 of 4
    QCOMPARE(q(partial.detail), QString("3 of 4 tests passed"));
    const TaskScore broken = code.score(mean, "```python\ndef task_func(numbers)\n    return 0\n```");
    QCOMPARE(broken.value, 0.0);
    QVERIFY2(q(broken.detail).startsWith("the code does not run: SyntaxError"), broken.detail.c_str());
  }

  void settingsCanPointAFamilyAtOtherRows() {
    TaskRegistry registry;
    const std::map<std::string, nlohmann::json> overrides = {
        {"collabllm-math", {{"rows", (kRows / "math.jsonl").string()}}}};
    loadTaskPlugin(kCollabllmPlugin, registry, overrides);
    QCOMPARE(registry.family("collabllm-math").size().value_or(0), std::uint64_t(3));
  }

  void badRowsAreReportedWithTheirLine() {
    TaskRegistry registry;
    try {
      loadTaskPlugin(kCollabllmPlugin, registry, {{"collabllm-math", {{"rows", (kRows / "bad-row.jsonl").string()}}}});
      QFAIL("a bad row must stop the family");
    } catch (const Error& e) {
      QVERIFY2(q(e.what()).contains("family collabllm-math: " + q((kRows / "bad-row.jsonl").string()) +
                                     ":2: field `single_turn_completion`: expected a string, found a number (4)"),
               e.what());
    }
  }

  void aPluginBuiltFromTheInstalledHeadersAlone() {
    TaskRegistry registry;
    QCOMPARE(loadTaskPlugin(COLLAB_ECHO_PLUGIN_DIR, registry), std::vector<std::string>{"echo"});
    const TaskFamily& echo = registry.family("echo");
    const auto tasks = registry.tasks("echo", 3, 10, "train");
    QCOMPARE(tasks.size(), std::size_t(3));
    QCOMPARE(echo.score(tasks[1], "2").value, 1.0);
    QCOMPARE(q(registry.byId("echo/3/4").firstUserMessage), QString("Say 4."));
  }

  void brokenPluginsAreClearErrors() {
    TaskRegistry registry;
    try {
      loadTaskPlugin(COLLAB_TEST_DATA_DIR "/plugins/bad-format", registry);
      QFAIL("a bad plugin.json must be refused");
    } catch (const InputError& e) {
      QCOMPARE(q(e.what()), QString(COLLAB_TEST_DATA_DIR "/plugins/bad-format/plugin.json: field `api_version`: "
                                                        "expected an integer, found \"one\""));
    }
    try {
      loadTaskPlugin(COLLAB_TEST_DATA_DIR "/plugins/future-api", registry);
      QFAIL("a plugin for another API version must be refused");
    } catch (const Error& e) {
      QVERIFY2(q(e.what()).contains("plugin.json says API version 99, this workbench has 1"), e.what());
    }
    QCOMPARE(registry.names().size(), std::size_t(3)); // the built-in families only
  }
};

QTEST_GUILESS_MAIN(TestTaskPlugins)
#include "tst_task_plugins.moc"

#include "common/Error.h"
#include "task/MathFamily.h"
#include "task/TaskRegistry.h"

#include <QtTest>

#include <set>

using namespace collab::task;

namespace {

constexpr std::uint64_t kSeed = 2026;

std::string fingerprint(const TaskInstance& task) {
  std::string text = task.firstUserMessage;
  for (const auto& [key, value] : task.goalValues()) text += "|" + key + "=" + value;
  return text;
}

// Mean task score of a scripted assistant that knows the first `known` attributes of
// each task's goal (all of them with -1).
double meanScore(const TaskFamily& family, const std::vector<TaskInstance>& tasks, int known) {
  double sum = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    std::vector<std::string> keys;
    for (const auto& attribute : tasks[i].goal)
      if (known < 0 || static_cast<int>(keys.size()) < known) keys.push_back(attribute.key);
    sum += family.score(tasks[i], family.writeArtefact(tasks[i], keys, 1000 + i)).value;
  }
  return sum / static_cast<double>(tasks.size());
}

} // namespace

class TestTaskFamilies : public QObject {
  Q_OBJECT
  TaskRegistry registry_;

private slots:
  void builtInFamiliesAreRegistered() {
    QCOMPARE(registry_.names(), (std::vector<std::string>{"documents", "math", "code"}));
    try {
      registry_.family("poetry");
      QFAIL("unknown family accepted");
    } catch (const collab::Error& e) {
      QCOMPARE(QString(e.what()), QString("unknown task family \"poetry\" (known: documents, math, code)"));
    }
  }

  void tasksAreAPureFunctionOfSeedAndIndex() {
    for (const auto& name : registry_.names()) {
      const TaskFamily& family = registry_.family(name);
      for (std::uint64_t i : {0, 1, 17, 4999}) {
        const TaskInstance a = family.generate(kSeed, i), b = family.generate(kSeed, i);
        QCOMPARE(QString::fromStdString(a.id), QString::fromStdString(name + "/2026/" + std::to_string(i)));
        QCOMPARE(fingerprint(a), fingerprint(b));
        QCOMPARE(a.reference, b.reference);
        QVERIFY(fingerprint(a) != fingerprint(family.generate(kSeed + 1, i)) || a.reference != family.generate(kSeed + 1, i).reference);
      }
    }
  }

  void thousandsOfDistinctTasksWithSplits() {
    for (const auto& name : registry_.names()) {
      std::set<std::string> distinct;
      int test = 0;
      constexpr int kCount = 3000;
      for (int i = 0; i < kCount; ++i) {
        const TaskInstance task = registry_.family(name).generate(kSeed, static_cast<std::uint64_t>(i));
        distinct.insert(fingerprint(task));
        test += task.split == "test";
        QVERIFY(!task.goal.empty());
        for (const auto& attribute : task.goal) QVERIFY(!attribute.cues.empty() && !attribute.answer.empty());
      }
      qInfo("%s: %zu distinct tasks of %d, %d in the test split", name.c_str(), distinct.size(), kCount, test);
      // Code goals are drawn from four functions' choices (about 11,000 combinations), so
      // repeats among 3,000 draws are expected; the other families hardly repeat.
      QVERIFY(distinct.size() >= (name == "code" ? 1000u : 2000u));
      QVERIFY(test > kCount * 0.15 && test < kCount * 0.25);
      for (const auto& task : registry_.tasks(name, kSeed, 50, "test")) QCOMPARE(QString::fromStdString(task.split), QString("test"));
    }
  }

  void referenceScoresFull() {
    for (const auto& name : registry_.names()) {
      const TaskFamily& family = registry_.family(name);
      for (const auto& task : registry_.tasks(name, kSeed, name == "code" ? 8 : 50))
        QCOMPARE(family.score(task, task.reference).value, 1.0);
    }
  }

  // Collaboration must matter: knowing the hidden goal (which only asking reveals) beats
  // answering at once, and each attribute learnt helps.
  void knowingTheGoalBeatsAnsweringAtOnce() {
    for (const auto& name : registry_.names()) {
      const TaskFamily& family = registry_.family(name);
      // Code tasks run Python in a sandbox for every score: fewer of them.
      const auto tasks = registry_.tasks(name, kSeed, name == "code" ? 30 : 300, "test");
      const double blind = meanScore(family, tasks, 0);
      const double informed = meanScore(family, tasks, -1);
      const double half = meanScore(family, tasks, 1);
      qInfo("%s (%s): answer at once %.3f, one attribute known %.3f, whole goal known %.3f", name.c_str(),
            family.metric().c_str(), blind, half, informed);
      QVERIFY(informed > blind + 0.15);
      QVERIFY(half >= blind);
    }
    const TaskFamily& math = registry_.family("math");
    const auto mathTasks = registry_.tasks("math", kSeed, 200, "test");
    QCOMPARE(meanScore(math, mathTasks, -1), 1.0);
    QVERIFY(meanScore(math, mathTasks, 0) < 0.1);
  }

  // The simulated user accepts a document written for its goal, whatever the wording,
  // and hardly ever one written without asking.
  void documentsMeetTheGoalWhenWrittenForIt() {
    const TaskFamily& documents = registry_.family("documents");
    int blindAccepted = 0;
    for (const auto& task : registry_.tasks("documents", kSeed, 200, "test")) {
      std::vector<std::string> all;
      for (const auto& attribute : task.goal) all.push_back(attribute.key);
      auto accepts = [&](const std::string& artefact) {
        return documents.meetsGoal(task, artefact, documents.score(task, artefact));
      };
      for (std::uint64_t style : {1, 2, 3}) QVERIFY(accepts(documents.writeArtefact(task, all, style)));
      QVERIFY(accepts(task.reference));
      blindAccepted += accepts(documents.writeArtefact(task, {}, 1));
      all.pop_back(); // without the must-mention fact
      QVERIFY(!accepts(documents.writeArtefact(task, all, 1)));
    }
    QCOMPARE(blindAccepted, 0);
  }

  void artefactsAreTheLastAnswer() {
    const collab::conversation::Messages chat = {
        {collab::conversation::Role::User, "How many tiles do I need for my floor?"},
        {collab::conversation::Role::Assistant, "What are the floor's dimensions?"},
        {collab::conversation::Role::User, "2.4 by 1.8 m, 30 cm tiles, 10% extra."},
        {collab::conversation::Role::Assistant, "That's 48 tiles, so 53 with the extra."},
        {collab::conversation::Role::User, "Thanks!"}};
    QCOMPARE(registry_.family("math").extractArtefact(chat), std::string("That's 48 tiles, so 53 with the extra."));
    QCOMPARE(registry_.family("documents").extractArtefact(chat), std::string("That's 48 tiles, so 53 with the extra."));
  }

  void lastNumberReadsWhatPeopleWrite() {
    QCOMPARE(lastNumber("The payment is 1,234.50 per month.").value(), 1234.5);
    QCOMPARE(lastNumber("52.8, rounded up to 53.").value(), 53.0);
    QCOMPARE(lastNumber("lists like 1,2,3").value(), 3.0);
    QVERIFY(!lastNumber("no digits here").has_value());
    QCOMPARE(lastNumber("0.5% of 18000").value(), 18000.0);
  }

  void codeIsScoredByHiddenTests() {
    const TaskFamily& code = registry_.family("code");
    const TaskInstance task = code.generate(kSeed, 3);
    const collab::conversation::Messages chat = {{collab::conversation::Role::User, task.firstUserMessage},
                                                 {collab::conversation::Role::Assistant, code.writeArtefact(task, {}, 0)}};
    const std::string artefact = code.extractArtefact(chat);
    QVERIFY(artefact.rfind("```python\n", 0) == 0);
    const TaskScore blind = code.score(task, artefact);
    QVERIFY2(blind.detail.find("hidden tests passed") != std::string::npos, blind.detail.c_str());
    const TaskScore broken = code.score(task, "```python\ndef oops(:\n```");
    QCOMPARE(broken.value, 0.0);
    QVERIFY2(broken.detail.find("SyntaxError") != std::string::npos, broken.detail.c_str());
    const TaskScore looping = code.score(task, "```python\nwhile True: pass\n```");
    QCOMPARE(looping.value, 0.0);
  }
};

QTEST_GUILESS_MAIN(TestTaskFamilies)
#include "tst_task_families.moc"

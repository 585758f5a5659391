// Determinism under seeds: the same tasks, personas and reward seed build the same project
// content (trees, candidates, sampled futures, scores), on every run; another seed does not.
#include "ProjectDump.h"
#include "TestHelpers.h"
#include "persona/ReferencePersona.h"
#include "simulate/ConversationSampler.h"
#include "task/TaskRegistry.h"

#include <QtTest>

using namespace collab;

namespace {

std::string build(test::ScratchProjects& projects, unsigned long long seed) {
  store::Project project = projects.next();
  const task::TaskRegistry registry;
  simulate::SamplerSettings settings;
  settings.traits = persona::referencePersona().traits; // vague, cooperative-ish: the rolls matter
  settings.traits.mistakeRate = 0.8;                   // and some mistakes
  settings.reward.seed = seed;
  settings.reward.samples = 2;
  for (const char* family : {"documents", "math", "code"})
    for (const auto& task : registry.tasks(family, 11, 2, "test"))
      simulate::sampleConversation(project, registry.family(family), task, settings);
  return test::projectDump(project);
}

} // namespace

class TestDeterminism : public QObject {
  Q_OBJECT
  test::ScratchProjects projects_;

private slots:
  void theSameSeedBuildsTheSameProject() {
    const std::string first = build(projects_, 5);
    QVERIFY(first.size() > 1000);
    QCOMPARE(build(projects_, 5), first);
    QVERIFY(build(projects_, 6) != first);
  }
};

QTEST_GUILESS_MAIN(TestDeterminism)
#include "tst_determinism.moc"

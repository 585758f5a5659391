// Re-scoring one assistant turn: the same settings give the stored MR back exactly; other
// settings give a new MR stored beside the old one with its own config.

#include "common/Error.h"
#include "io/Importer.h"
#include "persona/DefaultPersonas.h"
#include "simulate/ConversationSampler.h"
#include "simulate/TurnRescorer.h"
#include "store/Project.h"
#include "task/TaskRegistry.h"
#include "TestHelpers.h"

#include <QtTest>

#include <sstream>

using namespace collab;

namespace {

// One simulated documents conversation played by the impatient expert.
conversation::TreeId simulateOne(store::Project& project) {
  const auto personas = persona::loadDefaultPersonas(std::filesystem::path(COLLAB_SOURCE_DIR) / "resources/personas");
  const auto expert = std::find_if(personas.begin(), personas.end(), [](const auto& p) { return p.name == "impatient-expert"; });
  persona::seedPersonas(project.personas(), {*expert});
  simulate::SamplerSettings settings;
  settings.traits = expert->traits;
  settings.personaLabel = "impatient-expert@v1";
  settings.reward.personaVersion = settings.personaLabel;
  const task::TaskRegistry registry;
  const auto task = registry.tasks("documents", 7, 1).front();
  return simulate::sampleConversation(project, registry.family("documents"), task, settings).tree;
}

// The first assistant candidate that has an MR, and that MR.
std::pair<conversation::NodeId, reward::Score> firstScoredCandidate(store::Project& project, conversation::TreeId tree) {
  for (const auto& node : project.nodes().ofTree(tree))
    if (node.role == conversation::Role::Assistant && node.kind == conversation::NodeKind::Turn)
      for (const auto& score : project.scores().forNode(node.id))
        if (score.kind == "MR") return {node.id, score};
  return {0, {}};
}

} // namespace

class TestTurnRescorer : public QObject {
  Q_OBJECT
  test::ScratchProjects projects_;

private slots:
  void theSameSettingsGiveTheStoredMrBack() {
    store::Project project = projects_.next();
    const auto tree = simulateOne(project);
    const auto [node, stored] = firstScoredCandidate(project, tree);
    QVERIFY(node != 0);
    const simulate::Rescored again = simulate::rescoreTurn(project, node, reward::RewardConfig{});
    QVERIFY(again.previous);
    QCOMPARE(again.previous->value, stored.value);
    QCOMPARE(again.current.value, stored.value);
    QCOMPARE(again.current.configHash, stored.configHash);
    QCOMPARE(again.estimate.samples.size(), std::size_t(3));
  }

  void otherSettingsStoreANewScoreBesideTheOld() {
    store::Project project = projects_.next();
    const auto tree = simulateOne(project);
    const auto [node, stored] = firstScoredCandidate(project, tree);
    const auto scoresBefore = project.scores().count();
    reward::RewardConfig singleTurn;
    singleTurn.window = 0; // the single-turn ablation
    const simulate::Rescored rescored = simulate::rescoreTurn(project, node, singleTurn);
    QCOMPARE(rescored.estimate.samples.size(), std::size_t(1));
    QVERIFY(rescored.current.configHash != stored.configHash);
    QVERIFY(rescored.current.configJson.find("\"window\":0") != std::string::npos);
    QVERIFY(rescored.current.configJson.find("impatient-expert@v1") != std::string::npos);
    QCOMPARE(project.scores().count(), scoresBefore + 4); // MR, task, efficiency, interactivity
    const auto scores = project.scores().forNode(node);
    QCOMPARE(scores.back().kind, std::string("interactivity"));
    const auto latestMr = std::find_if(scores.rbegin(), scores.rend(), [](const auto& s) { return s.kind == "MR"; });
    QCOMPARE(latestMr->value, rescored.current.value);
    QCOMPARE(latestMr->samples.size(), std::size_t(1));
    QCOMPARE(rescored.previous->value, stored.value);
  }

  void refusesWhatCannotBeReplayed() {
    store::Project project = projects_.next();
    const auto tree = simulateOne(project);
    const auto root = project.nodes().roots(tree).front();
    try {
      simulate::rescoreTurn(project, root.id, {});
      QFAIL("a user turn was re-scored");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("only assistant turns") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, simulate::rescoreTurn(project, 987654, {}));

    std::istringstream rows("{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],\"completion\":\"hello\",\"conv_id\":\"x\"}");
    io::importJsonl(project, rows, "rows.jsonl", io::ImportOptions{});
    const auto imported = project.trees().findByExternalId("collabllm:rows.jsonl", "x");
    QVERIFY(imported);
    const auto answer = project.nodes().children(project.nodes().roots(*imported).front().id).front();
    try {
      simulate::rescoreTurn(project, answer.id, {});
      QFAIL("an imported turn was re-scored");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("imported") != std::string::npos, e.what());
    }
  }

  // A turn of a conversation imported from CollabLLM rows is replayed on the row's
  // single-turn task, by the collabllm-tasks family its data shows (a "#### N" answer:
  // math). The futures' scripted assistant writes the reference answer: accuracy 1.
  void rescoresAnImportedTurnOverItsSingleTurnTask() {
    store::Project project = projects_.next();
    std::istringstream rows(
        R"({"prompt":[{"role":"user","content":"Help me with muffins?"}],"completion":"How many boxes?","conv_id":"m",)"
        R"("single_turn_prompt":"Mia buys 7 boxes of 6 muffins and gives away 12. How many are left?",)"
        R"("single_turn_completion":"7 * 6 = 42, 42 - 12 = 30.\n#### 30","single_turn_metadata":{}})");
    io::importJsonl(project, rows, "rows.jsonl", io::ImportOptions{});
    const auto imported = project.trees().findByExternalId("collabllm:rows.jsonl", "m");
    QVERIFY(imported);
    const auto answer = project.nodes().children(project.nodes().roots(*imported).front().id).front();
    reward::RewardConfig config;
    config.samples = 2;
    config.window = 1;
    const simulate::Rescored rescored = simulate::rescoreTurn(project, answer.id, config);
    QCOMPARE(rescored.estimate.samples.size(), std::size_t(2));
    QCOMPARE(rescored.estimate.task, 1.0);
    QVERIFY(!rescored.previous);
    QCOMPARE(rescored.current.kind, std::string("MR"));
  }
};

QTEST_GUILESS_MAIN(TestTurnRescorer)
#include "tst_turn_rescorer.moc"

// "Try it" in the persona editor: a persona's reply to a recorded conversation, computed
// without writing to the project.

#include "ProjectDump.h"
#include "TestHelpers.h"
#include "io/Importer.h"
#include "persona/PersonaJson.h"
#include "simulate/ConversationSampler.h"
#include "simulate/PersonaTrial.h"
#include "simulate/PromptText.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "task/TaskRegistry.h"

#include <QtTest>

#include <sstream>

using namespace collab;
using namespace collab::simulate;
using conversation::Role;

namespace {

persona::Persona personaFile(const char* name) {
  return persona::readPersonaFile(std::filesystem::path(COLLAB_SOURCE_DIR) / "resources/personas" / name);
}

} // namespace

class TestPersonaTrial : public QObject {
  Q_OBJECT
  test::ScratchProjects scratch_;
  task::TaskRegistry registry_;

private slots:
  void theRuleSimulatorRepliesAsThePersonaWithoutWriting() {
    auto project = scratch_.next();
    const auto& math = registry_.family("math");
    const auto task = registry_.tasks("math", 7, 1, "test").front();
    const auto sampled = sampleConversation(project, math, task, SamplerSettings{});
    const std::string before = test::projectDump(project);

    const TrialInput input = prepareTrial(project, sampled.tree, std::nullopt);
    QVERIFY2(input.problem.empty(), input.problem.c_str());
    QVERIFY(input.task);
    QCOMPARE(QString::fromStdString(input.task->id), QString::fromStdString(task.id));
    QVERIFY(input.conversation.back().role == Role::Assistant);
    QCOMPARE(input.conversation.front().content, task.firstUserMessage);

    const persona::Persona expert = personaFile("impatient-expert.json");
    const TrialResult result = runTrial(input, expert, 3);
    QVERIFY(result.reply);
    // The same reply as the persona's simulator gives directly.
    RuleBasedUserSimulator direct(math, expert.traits, 3);
    QCOMPARE(QString::fromStdString(result.reply->text),
             QString::fromStdString(direct.reply(*input.task, input.conversation).text));
    // The prompt an LLM-backed simulator would get: the persona, the goal, the history.
    QVERIFY(result.prompt.find("You are impatient-expert.") != std::string::npos);
    QVERIFY(result.prompt.find(formatHistory(input.conversation)) != std::string::npos);
    QVERIFY(result.prompt.find(task.goal.front().value) != std::string::npos);
    QCOMPARE(QString::fromStdString(test::projectDump(project)), QString::fromStdString(before));
  }

  void aChosenTurnCutsTheConversationThere() {
    auto project = scratch_.next();
    const auto task = registry_.tasks("documents", 7, 1, "test").front();
    const auto sampled = sampleConversation(project, registry_.family("documents"), task, SamplerSettings{});
    const auto roots = project.nodes().roots(sampled.tree);
    const auto firstAnswers = project.nodes().children(roots.front().id);
    const conversation::NodeId candidate = firstAnswers.back().id;
    const TrialInput input = prepareTrial(project, sampled.tree, candidate);
    QCOMPARE(input.conversation.size(), std::size_t(2));
    QCOMPARE(input.conversation.back().content, firstAnswers.back().content);
    // A user turn: the reply is to the assistant turn before it.
    QCOMPARE(prepareTrial(project, sampled.tree, roots.front().id).problem,
             std::string("the conversation has no assistant turn for the user to reply to"));
  }

  void anImportedConversationGetsThePromptButNoRuleReply() {
    auto project = scratch_.next();
    std::istringstream rows("{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"}],\"completion\":\"Leaves fall.\","
                            "\"conv_id\":\"h\",\"single_turn_prompt\":\"Write a haiku\",\"single_turn_completion\":"
                            "\"A sad haiku about rain\"}\n");
    io::importJsonl(project, rows, "rows.jsonl", io::ImportOptions{});
    const TrialInput input = prepareTrial(project, 1, std::nullopt);
    QVERIFY(!input.task);
    const TrialResult result = runTrial(input, personaFile("generic-user.json"), 0);
    QVERIFY(!result.reply);
    QVERIFY(result.noReplyReason.find("built-in tasks only") != std::string::npos);
    QVERIFY(result.prompt.find("USER: Write a haiku\n\nASSISTANT: Leaves fall.") != std::string::npos);
    QVERIFY(result.prompt.find("A sad haiku about rain") != std::string::npos);
  }

  void anInvalidTemplateIsAnError() {
    auto project = scratch_.next();
    std::istringstream rows("{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"completion\":\"a\",\"conv_id\":\"c\"}\n");
    io::importJsonl(project, rows, "rows.jsonl", io::ImportOptions{});
    persona::Persona broken = personaFile("generic-user.json");
    broken.promptTemplate = "{goal} {histroy}";
    QVERIFY_THROWS_EXCEPTION(Error, runTrial(prepareTrial(project, 1, std::nullopt), broken, 0));
  }
};

QTEST_GUILESS_MAIN(TestPersonaTrial)
#include "tst_persona_trial.moc"

// Saving a demo conversation (chat or auto-play, one or two checkpoints) as a tree: the
// turns with their authors, shared turns once, a task score per branch, all or nothing.

#include "TestHelpers.h"
#include "common/Error.h"
#include "simulate/DemoTreeWriter.h"
#include "task/TaskRegistry.h"

#include <QtTest>

using namespace collab;
using namespace collab::simulate;
using conversation::Role;

namespace {

AuthoredTurn user(const std::string& text, const std::string& author = "simulator:rule/generic-user@v1") {
  return {{Role::User, text}, author, "{}"};
}
AuthoredTurn policy(const std::string& text, const std::string& author) {
  return {{Role::Assistant, text}, author, R"({"checkpoint":"/runs/x"})"};
}

} // namespace

class TestDemoTreeWriter : public QObject {
  Q_OBJECT
  test::ScratchProjects scratch_;
  task::TaskRegistry registry_;

  DemoConversation pair() {
    DemoConversation demo;
    demo.title = "Auto-play: base vs trained";
    demo.source = "demo:play";
    demo.task = registry_.byId("math/1/0");
    const std::string first = demo.task.firstUserMessage;
    demo.branches = {{{user(first), policy("The answer is 3.", "policy:run/base"), user("Wrong. [[TERMINATE CHAT]]")}, 0.0},
                     {{user(first), policy("Which rate?", "policy:run/trained"), user("5%."), policy("The answer is 4.", "policy:run/trained")},
                      1.0}};
    return demo;
  }

private slots:
  void sidesAreBranchesSharingTheirCommonTurns() {
    auto project = scratch_.next();
    const auto persona = project.personas().addVersion({0, 0, "generic-user", 0, "", "{}", "", ""});
    DemoConversation demo = pair();
    demo.persona = persona;
    const auto tree = saveDemoConversation(project, demo);

    const auto record = project.trees().find(tree);
    QVERIFY(record);
    QCOMPARE(record->source, std::string("demo:play"));
    QCOMPARE(record->personaVersionId, std::optional<std::int64_t>(persona.id));
    QVERIFY(record->metadataJson.find("generic-user@v1") != std::string::npos);
    const auto roots = project.nodes().roots(tree);
    QCOMPARE(roots.size(), std::size_t(1));
    QCOMPARE(roots[0].content, demo.task.firstUserMessage);
    const auto replies = project.nodes().children(roots[0].id);
    QCOMPARE(replies.size(), std::size_t(2));
    QCOMPARE(replies[0].author, std::string("policy:run/base"));
    QCOMPARE(replies[1].author, std::string("policy:run/trained"));
    QCOMPARE(replies[1].genParamsJson, std::string(R"({"checkpoint":"/runs/x"})"));
    QCOMPARE(project.nodes().ofTree(tree).size(), std::size_t(6));
    std::vector<double> scores;
    for (const auto& s : project.scores().forTree(tree)) scores.push_back(s.value);
    QCOMPARE(scores, (std::vector<double>{0.0, 1.0}));
    const auto summary = project.trees().list({});
    QCOMPARE(summary.front().branches, std::int64_t(2));
    QCOMPARE(summary.front().task, std::string("math/1/0"));
  }

  void aChatByAHumanHasNoPersonaNorScore() {
    auto project = scratch_.next();
    DemoConversation demo;
    demo.title = "Chat";
    demo.source = "demo:chat";
    demo.task = registry_.byId("math/1/0");
    demo.branches = {{{user("hello", "human:ann"), policy("Which rate?", "policy:run/trained")}, std::nullopt}};
    const auto tree = saveDemoConversation(project, demo);
    QCOMPARE(project.nodes().roots(tree).front().author, std::string("human:ann"));
    QVERIFY(project.scores().forTree(tree).empty());
    QVERIFY(!project.trees().find(tree)->personaVersionId);
  }

  void nothingToSaveIsRefusedAndLeavesTheProjectAsItWas() {
    auto project = scratch_.next();
    DemoConversation demo = pair();
    demo.branches = {{}, {}};
    QVERIFY_THROWS_EXCEPTION(Error, saveDemoConversation(project, demo));
    QCOMPARE(project.trees().count(), std::int64_t(0));
  }
};

QTEST_MAIN(TestDemoTreeWriter)
#include "tst_demo_tree_writer.moc"

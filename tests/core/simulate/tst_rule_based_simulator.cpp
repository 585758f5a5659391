#include "simulate/RuleBasedUserSimulator.h"
#include "task/TaskRegistry.h"

#include <QtTest>

using namespace collab;
using namespace collab::simulate;
using conversation::Role;

namespace {

persona::Traits traits(double patience, double cooperativeness, double verbosity = 0.3) {
  persona::Traits t;
  t.patience = patience;
  t.cooperativeness = cooperativeness;
  t.verbosity = verbosity;
  return t;
}

} // namespace

class TestRuleBasedSimulator : public QObject {
  Q_OBJECT
  task::TaskRegistry registry_;
  const task::TaskFamily& math() { return registry_.family("math"); }

private slots:
  void answersWhatIsAskedAndNothingElse() {
    const auto task = math().generate(1, 0);
    RuleBasedUserSimulator user(math(), traits(0.5, 1.0), 7);
    const auto& first = task.goal.front();
    conversation::Messages chat = {{Role::User, task.firstUserMessage},
                                   {Role::Assistant, "Could you tell me " + first.description + "?"}};
    const SimulatedReply reply = user.reply(task, chat);
    // What was asked (and whatever else the question's words cue), stated in the user's words.
    QVERIFY(!reply.revealed.empty() && reply.revealed.front() == first.key);
    for (const auto& key : reply.revealed)
      QVERIFY(QString::fromStdString(reply.text).contains(QString::fromStdString(task.attribute(key)->answer)));
    QVERIFY(reply.revealed.size() < task.goal.size());
    QVERIFY(!reply.terminated);

    chat.back().content = "What is your favourite colour?";
    QVERIFY(user.reply(task, chat).revealed.empty());
    QVERIFY(QString::fromStdString(user.reply(task, chat).text).contains("go ahead"));
  }

  void anOverSharerVolunteersMore() {
    const auto task = math().generate(1, 0);
    RuleBasedUserSimulator user(math(), traits(0.5, 1.0, 0.9), 7);
    const conversation::Messages chat = {{Role::User, task.firstUserMessage},
                                         {Role::Assistant, "Could you tell me " + task.goal.front().description + "?"}};
    RuleBasedUserSimulator terse(math(), traits(0.5, 1.0, 0.1), 7);
    QCOMPARE(user.reply(task, chat).revealed.size(), terse.reply(task, chat).revealed.size() + 1);
  }

  void anImpatientUserAsksForTheAnswerThenLeaves() {
    const auto task = math().generate(1, 0);
    RuleBasedUserSimulator user(math(), traits(0.0, 1.0), 7);
    QCOMPARE(user.questionTolerance(), 1);
    conversation::Messages chat = {{Role::User, task.firstUserMessage}};
    std::vector<SimulatedReply> replies;
    for (const auto& attribute : task.goal) {
      chat.push_back({Role::Assistant, "Could you tell me " + attribute.description + "?"});
      replies.push_back(user.reply(task, chat));
      chat.push_back({Role::User, replies.back().text});
      if (replies.back().terminated) break;
    }
    QCOMPARE(replies.size(), std::size_t(3));
    QVERIFY(!replies[0].revealed.empty());
    QCOMPARE(QString::fromStdString(replies[1].text), QString("Please just give me the answer."));
    QVERIFY(replies[2].terminated);
    QVERIFY(QString::fromStdString(replies[2].text).endsWith(kTerminateChat));
  }

  void judgesAnswersWithTheTaskMetric() {
    const auto task = math().generate(1, 0);
    RuleBasedUserSimulator user(math(), traits(0.5, 1.0), 7);
    conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, "It is " + task.reference + "."}};
    const SimulatedReply happy = user.reply(task, chat);
    QVERIFY(happy.terminated);
    QVERIFY(QString::fromStdString(happy.text).startsWith("Thanks"));

    chat.back().content = "It is 1.";
    const SimulatedReply correction = user.reply(task, chat);
    QVERIFY(!correction.terminated);
    QCOMPARE(correction.revealed.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(correction.text).startsWith("That's not quite it."));
  }

  void isDeterministic() {
    const auto task = registry_.family("documents").generate(3, 5);
    const conversation::Messages chat = {{Role::User, task.firstUserMessage},
                                         {Role::Assistant, "Who is it for, and which tone?"}};
    RuleBasedUserSimulator a(registry_.family("documents"), traits(0.5, 0.4), 11), b(registry_.family("documents"), traits(0.5, 0.4), 11);
    QCOMPARE(a.reply(task, chat).text, b.reply(task, chat).text);
  }
};

QTEST_GUILESS_MAIN(TestRuleBasedSimulator)
#include "tst_rule_based_simulator.moc"

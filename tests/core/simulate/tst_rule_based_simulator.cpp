#include "simulate/ConversationFacts.h"
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

// "Could you tell me X?" about an attribute whose question cues no other attribute.
std::string soloQuestion(const task::TaskInstance& task, const task::GoalAttribute& attribute) {
  const std::string question = "Could you tell me " + attribute.description + "?";
  return attributesAskedAbout(task, question) == std::vector<std::string>{attribute.key} ? question : "";
}

// A math task whose first two attributes can each be asked about alone.
task::TaskInstance taskWithSoloQuestions(const task::TaskFamily& family) {
  for (std::uint64_t index = 0;; ++index) {
    task::TaskInstance task = family.generate(1, index);
    if (task.goal.size() >= 2 && !soloQuestion(task, task.goal[0]).empty() && !soloQuestion(task, task.goal[1]).empty())
      return task;
  }
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

  // Disclosure decides what is volunteered beyond the question.
  void disclosureDecidesWhatIsVolunteered() {
    const auto task = math().generate(1, 0);
    const conversation::Messages chat = {{Role::User, task.firstUserMessage},
                                         {Role::Assistant, "Could you tell me " + task.goal.front().description + "?"}};
    auto revealedWith = [&](persona::Disclosure disclosure, double verbosity) {
      persona::Traits t = traits(0.5, 1.0, verbosity);
      t.disclosure = disclosure;
      return RuleBasedUserSimulator(math(), t, 7).reply(task, chat).revealed.size();
    };
    const std::size_t asked = revealedWith(persona::Disclosure::Gradual, 0.1);
    QCOMPARE(revealedWith(persona::Disclosure::Upfront, 0.1), task.goal.size()); // everything at once
    QCOMPARE(revealedWith(persona::Disclosure::Gradual, 0.9), asked + 1);         // an over-sharer: one more
    QCOMPARE(revealedWith(persona::Disclosure::WhenAsked, 0.9), asked);           // never more than asked
  }

  // Vague users, asked several things at once, answer in part.
  void vagueUsersAnswerInPart() {
    const auto task = math().generate(1, 0);
    QVERIFY(task.goal.size() >= 3);
    std::string question = "Could you tell me " + task.goal[0].description;
    for (std::size_t i = 1; i < task.goal.size(); ++i) question += " and " + task.goal[i].description;
    const conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, question + "?"}};
    persona::Traits clear = traits(0.5, 1.0), vague = traits(0.5, 1.0);
    clear.clarity = 1.0;
    vague.clarity = 0.0;
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      const auto precise = RuleBasedUserSimulator(math(), clear, seed).reply(task, chat);
      const auto partial = RuleBasedUserSimulator(math(), vague, seed).reply(task, chat);
      QCOMPARE(precise.revealed.size(), task.goal.size());
      QCOMPARE(partial.revealed.size(), std::size_t(1));
      QCOMPARE(partial.revealed.front(), task.goal.front().key);
    }
  }

  // A user who has not made up their mind states a value, then takes it back unasked.
  void inconsistentUsersChangeTheirMind() {
    const auto task = taskWithSoloQuestions(math());
    const auto& first = task.goal[0];
    conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, soloQuestion(task, first)}};
    persona::Traits steady = traits(1.0, 1.0), changing = traits(1.0, 1.0);
    steady.consistency = 1.0;
    changing.consistency = 0.0;
    QCOMPARE(RuleBasedUserSimulator(math(), steady, 3).reply(task, chat).revealed, std::vector<std::string>{first.key});
    RuleBasedUserSimulator user(math(), changing, 3);
    const SimulatedReply undecided = user.reply(task, chat);
    QVERIFY(undecided.revealed.empty()); // what it said is not what it will want
    QVERIFY2(std::find(first.wrongAnswers.begin(), first.wrongAnswers.end(), undecided.text) != first.wrongAnswers.end(),
             undecided.text.c_str());
    chat.push_back({Role::User, undecided.text});
    chat.push_back({Role::Assistant, "Noted. " + soloQuestion(task, task.goal[1])});
    const SimulatedReply next = user.reply(task, chat);
    QVERIFY2(QString::fromStdString(next.text).startsWith("Actually, I've changed my mind: " + QString::fromStdString(first.answer)),
             next.text.c_str());
    QCOMPARE(next.revealed.front(), first.key);
  }

  // A user who makes mistakes states a wrong value and corrects it only when the answer is wrong.
  void mistakenUsersCorrectWhenTheAnswerIsWrong() {
    const auto task = taskWithSoloQuestions(math());
    const auto& first = task.goal[0];
    conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, soloQuestion(task, first)}};
    persona::Traits careful = traits(1.0, 1.0), careless = traits(1.0, 1.0);
    careful.mistakeRate = 0.0;
    careless.mistakeRate = 1.0;
    QCOMPARE(QString::fromStdString(RuleBasedUserSimulator(math(), careful, 3).reply(task, chat).text),
             QString::fromStdString(first.answer));
    RuleBasedUserSimulator user(math(), careless, 3);
    const SimulatedReply mistaken = user.reply(task, chat);
    QVERIFY(mistaken.revealed.empty());
    QVERIFY2(std::find(first.wrongAnswers.begin(), first.wrongAnswers.end(), mistaken.text) != first.wrongAnswers.end(),
             mistaken.text.c_str());
    QVERIFY(QString::fromStdString(mistaken.thought).contains("stated wrongly"));
    chat.push_back({Role::User, mistaken.text});
    chat.push_back({Role::Assistant, soloQuestion(task, task.goal[1])});
    QVERIFY(!QString::fromStdString(user.reply(task, chat).text).contains("changed my mind")); // no spontaneous fix
    chat.push_back({Role::User, "ok"});
    chat.push_back({Role::Assistant, "It is 1."});
    const SimulatedReply judged = user.reply(task, chat);
    QCOMPARE(QString::fromStdString(judged.text), "That's not quite it. " + QString::fromStdString(first.answer));
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

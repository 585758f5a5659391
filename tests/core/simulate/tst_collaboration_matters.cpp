#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"
#include "task/TaskRegistry.h"

#include <QtTest>

using namespace collab;
using namespace collab::simulate;
using conversation::Role;
using Behaviour = ScriptedPolicy::Behaviour;

namespace {

persona::Traits userTraits(double patience, double cooperativeness) {
  persona::Traits t;
  t.patience = patience;
  t.cooperativeness = cooperativeness;
  t.verbosity = 0.3;
  return t;
}

struct Outcome {
  double task = 0, total = 0, tokens = 0;
};

// Whole conversations (at most 14 messages, as the reference caps them) from the task's
// first message, scored as one: the mean over `tasks`.
Outcome play(const task::TaskFamily& family, const std::vector<task::TaskInstance>& tasks, Behaviour behaviour,
             const persona::Traits& traits, double lambda) {
  Outcome mean;
  reward::RewardConfig config;
  config.tokenLambda = lambda;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    ScriptedPolicy policy(family, behaviour, i);
    RuleBasedUserSimulator user(family, traits, i);
    const conversation::Messages history = {{Role::User, tasks[i].firstUserMessage}};
    const Rollout rollout = playOut(tasks[i], history, policy, user, 13);
    const auto r = reward::conversationReward(family, tasks[i], history, rollout.messages, config);
    mean.task += r.task / static_cast<double>(tasks.size());
    mean.total += r.total / static_cast<double>(tasks.size());
    mean.tokens += r.tokens / static_cast<double>(tasks.size());
  }
  return mean;
}

} // namespace

class TestCollaborationMatters : public QObject {
  Q_OBJECT
  task::TaskRegistry registry_;

private slots:
  // The built-in suite is one where collaboration pays: asking the right questions and
  // then answering beats answering at once on the task, and beats asking everything once
  // an impatient user and the tokens spent are counted.
  void askingTheRightQuestionsPays() {
    for (const std::string name : {"documents", "math", "code"}) {
      const task::TaskFamily& family = registry_.family(name);
      const auto tasks = registry_.tasks(name, 99, name == "code" ? 12 : 60, "test");
      const double lambda = name == "documents" ? 1e-4 * 10 : 5e-4 * 10; // short texts: scaled to bite
      const persona::Traits patient = userTraits(0.9, 1.0), impatient = userTraits(0.1, 0.9);
      const Outcome atOnce = play(family, tasks, Behaviour::AnswerAtOnce, patient, lambda);
      const Outcome asks = play(family, tasks, Behaviour::AskThenAnswer, patient, lambda);
      const Outcome asksImpatient = play(family, tasks, Behaviour::AskThenAnswer, impatient, lambda);
      const Outcome everythingImpatient = play(family, tasks, Behaviour::AskEverything, impatient, lambda);
      qInfo("%-9s task: at once %.3f, ask-then-answer %.3f | impatient user R*: ask-then-answer %.3f (%.0f tokens), "
            "ask-everything %.3f (%.0f tokens)",
            name.c_str(), atOnce.task, asks.task, asksImpatient.total, asksImpatient.tokens, everythingImpatient.total,
            everythingImpatient.tokens);
      QVERIFY(asks.task > atOnce.task);
      QVERIFY(asksImpatient.total > everythingImpatient.total);
    }
  }

  // MR sees what a single-turn reward cannot. Scored on task and tokens only (as the
  // reference's offline document data), a window of 2 ranks a clarifying question above a
  // blind answer; the single-turn reward (window 0) ranks them the other way round.
  void multiturnRewardPrefersTheRightQuestion() {
    const task::TaskFamily& math = registry_.family("math");
    const auto task = math.generate(5, 0);
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    std::string question = "Could you tell me " + task.goal[0].description;
    for (std::size_t i = 1; i < task.goal.size(); ++i) question += ", " + task.goal[i].description;
    question += "?";
    const std::string blind = math.writeArtefact(task, {}, 0);
    QCOMPARE(math.score(task, blind).value, 0.0);
    ScriptedPolicy policy(math, Behaviour::AskThenAnswer);
    reward::SimulatorFactory simulators = [&](int sample) -> std::unique_ptr<UserSimulator> {
      return std::make_unique<RuleBasedUserSimulator>(math, userTraits(0.8, 1.0), 100 + static_cast<std::uint64_t>(sample));
    };
    reward::RewardConfig config;
    config.tokenLambda = 5e-3;
    config.interactivityWeight = 0.0;
    const auto askMr = reward::estimateMultiturnReward(math, task, history, question, policy, simulators, config);
    const auto blindMr = reward::estimateMultiturnReward(math, task, history, blind, policy, simulators, config);
    qInfo("w=2: MR(question) %.3f (task %.2f), MR(blind answer) %.3f (task %.2f)", askMr.mean, askMr.task, blindMr.mean,
          blindMr.task);
    QCOMPARE(askMr.samples.size(), std::size_t(3));
    QCOMPARE(askMr.task, 1.0);
    QVERIFY(askMr.mean > blindMr.mean);
    QVERIFY(!askMr.samples[0].future.empty() && askMr.samples[0].future.size() <= 4);
    QVERIFY(!askMr.samples[0].thoughts.empty());
    QVERIFY(QString::fromStdString(askMr.configJson).contains("\"window\":2"));

    config.window = 0;
    const auto askSingle = reward::estimateMultiturnReward(math, task, history, question, policy, simulators, config);
    const auto blindSingle = reward::estimateMultiturnReward(math, task, history, blind, policy, simulators, config);
    qInfo("w=0: R(question) %.3f, R(blind answer) %.3f", askSingle.mean, blindSingle.mean);
    QCOMPARE(askSingle.samples.size(), std::size_t(1));
    QVERIFY(askSingle.samples[0].future.empty());
    QVERIFY(blindSingle.mean > askSingle.mean);
  }

  void interactivityJudgeRatesEachTurn() {
    const auto task = registry_.family("math").generate(5, 0);
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    std::string why;
    const double blind = reward::ruleInteractivity(task, history, {{Role::Assistant, "It is 5."}}, &why);
    QCOMPARE(blind, 1.0 / 3);
    QVERIFY(QString::fromStdString(why).contains("1 answered before asking"));
    const double asks = reward::ruleInteractivity(
        task, history, {{Role::Assistant, "Could you tell me " + task.goal[0].description + "?"}});
    QCOMPARE(asks, 1.0);
    const double idle = reward::ruleInteractivity(task, history, {{Role::Assistant, "What is your favourite colour?"}});
    QCOMPARE(idle, 1.0 / 3);
  }
};

QTEST_GUILESS_MAIN(TestCollaborationMatters)
#include "tst_collaboration_matters.moc"

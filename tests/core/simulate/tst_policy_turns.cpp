// Policy turns of several tasks in one call: the default Policy::respondToTurns groups
// them by task and returns the replies in the order asked; MR estimated for the
// candidates of several turns (tasks of different families, histories, reward configs)
// in one lock-step play equals MR estimated turn by turn, future for future.
#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"
#include "task/TaskRegistry.h"

#include <QtTest>

#include <set>

using namespace collab;
using namespace collab::simulate;
using conversation::Role;

namespace {

// A policy that samples: the reply to a conversation depends on its task and its random
// stream only (a scripted behaviour chosen by the stream), as a sampling model's does.
// It records the tasks and streams of each respondInStreams call, and how many tasks each
// respondToTurns call (one lock-step round) asked about.
class StreamedPolicy : public Policy {
public:
  struct Call {
    std::string task;
    std::vector<std::uint64_t> streams;
  };

  explicit StreamedPolicy(const task::TaskRegistry& registry) : registry_(registry) {}

  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) override {
    return respondInStreams(task, {conversation}, {0}).front();
  }
  std::vector<std::string> respondToTurns(const std::vector<PolicyTurn>& turns) override {
    std::set<std::string> tasks;
    for (const PolicyTurn& turn : turns) tasks.insert(turn.task->id);
    tasksPerRound.push_back(tasks.size());
    return Policy::respondToTurns(turns);
  }
  std::vector<std::string> respondInStreams(const task::TaskInstance& task,
                                            const std::vector<conversation::Messages>& conversations,
                                            const std::vector<std::uint64_t>& streams) override {
    calls.push_back({task.id, streams});
    std::vector<std::string> replies;
    for (std::size_t i = 0; i < conversations.size(); ++i) replies.push_back(reply(task, conversations[i], streams[i]));
    return replies;
  }
  std::string reply(const task::TaskInstance& task, const conversation::Messages& conversation, std::uint64_t stream) const {
    constexpr ScriptedPolicy::Behaviour kBehaviours[] = {ScriptedPolicy::Behaviour::AnswerAtOnce,
                                                         ScriptedPolicy::Behaviour::AskThenAnswer,
                                                         ScriptedPolicy::Behaviour::AskEverything};
    ScriptedPolicy scripted(registry_.family(task.family), kBehaviours[stream % 3], stream);
    return scripted.respond(task, conversation);
  }

  std::vector<Call> calls;
  std::vector<std::size_t> tasksPerRound;

private:
  const task::TaskRegistry& registry_;
};

// A turn of `family`'s task `index`, after its opening, with three candidates.
struct Opening {
  const task::TaskFamily* family;
  task::TaskInstance task;
  conversation::Messages history;
  std::vector<std::string> candidates;
};

Opening openingOf(const task::TaskRegistry& registry, const std::string& family, std::uint64_t index) {
  Opening o{&registry.family(family), registry.family(family).generate(5, index), {}, {}};
  o.history = {{Role::User, o.task.firstUserMessage}};
  for (const auto behaviour : {ScriptedPolicy::Behaviour::AnswerAtOnce, ScriptedPolicy::Behaviour::AskThenAnswer,
                               ScriptedPolicy::Behaviour::AskEverything})
    o.candidates.push_back(ScriptedPolicy(*o.family, behaviour, index).respond(o.task, o.history));
  return o;
}

reward::SimulatorFactory rulesUsers(const task::TaskFamily& family, std::uint64_t seed) {
  return [&family, seed](int sample) -> std::unique_ptr<UserSimulator> {
    persona::Traits traits;
    traits.mistakeRate = 0.5; // the rolls matter: futures differ by simulator seed
    return std::make_unique<RuleBasedUserSimulator>(family, traits, seed + static_cast<std::uint64_t>(sample));
  };
}

} // namespace

class TestPolicyTurns : public QObject {
  Q_OBJECT
  task::TaskRegistry registry_;

private slots:
  void theDefaultGroupsTurnsByTaskAndAnswersInOrder() {
    StreamedPolicy policy(registry_);
    const auto math = registry_.family("math").generate(1, 0);
    const auto code = registry_.family("code").generate(1, 0);
    const auto documents = registry_.family("documents").generate(1, 0);
    const conversation::Messages a = {{Role::User, math.firstUserMessage}};
    const conversation::Messages b = {{Role::User, code.firstUserMessage}};
    const conversation::Messages c = {{Role::User, documents.firstUserMessage}};
    const std::vector<PolicyTurn> turns = {{&math, &a, 4}, {&code, &b, 5}, {&math, &a, 6},
                                           {&documents, &c, 7}, {&code, &b, 8}};
    const std::vector<std::string> replies = policy.respondToTurns(turns);
    QCOMPARE(replies.size(), turns.size());
    for (std::size_t i = 0; i < turns.size(); ++i)
      QCOMPARE(replies[i], policy.reply(*turns[i].task, *turns[i].conversation, turns[i].stream));
    // One call per task, in the order the tasks first appear, each with its streams in order.
    QCOMPARE(policy.calls.size(), std::size_t(3));
    QCOMPARE(policy.calls[0].task, math.id);
    QCOMPARE(policy.calls[0].streams, (std::vector<std::uint64_t>{4, 6}));
    QCOMPARE(policy.calls[1].task, code.id);
    QCOMPARE(policy.calls[1].streams, (std::vector<std::uint64_t>{5, 8}));
    QCOMPARE(policy.calls[2].task, documents.id);
    QCOMPARE(policy.calls[2].streams, (std::vector<std::uint64_t>{7}));
  }

  // Tasks of the three families, with their own windows (w = 0 among them: no futures),
  // samples and seeds, scored in one lock step and turn by turn (each future to its end).
  void candidatesOfSeveralTurnsScoreAsTurnByTurn() {
    std::vector<Opening> openings;
    for (const char* family : {"documents", "math", "code"})
      for (std::uint64_t index : {0, 1}) openings.push_back(openingOf(registry_, family, index));
    std::vector<reward::CandidateTurn> turns;
    for (std::size_t t = 0; t < openings.size(); ++t) {
      const Opening& o = openings[t];
      reward::RewardConfig config;
      config.window = static_cast<int>(t % 4); // 0, 1, 2, 3, 0, 1
      config.samples = 2 + static_cast<int>(t % 2);
      config.seed = 30 + t;
      turns.push_back({o.family, &o.task, &o.history, o.candidates, rulesUsers(*o.family, 100 * t), config, {}});
    }
    StreamedPolicy policy(registry_);
    const auto together = reward::estimateMultiturnRewardsOfTurns(turns, policy);
    // The first round asks about every task with a window (four of the six), in one call.
    QVERIFY(!policy.tasksPerRound.empty());
    QCOMPARE(policy.tasksPerRound.front(), std::size_t(4));

    QCOMPARE(together.size(), turns.size());
    std::set<std::string> futures;
    for (std::size_t t = 0; t < turns.size(); ++t) {
      const reward::CandidateTurn& turn = turns[t];
      StreamedPolicy alone(registry_);
      const auto oneByOne = reward::estimateMultiturnRewards(*turn.family, *turn.task, *turn.history, turn.candidates, alone,
                                                             turn.makeSimulator, turn.config, {},
                                                             RolloutBatching::OneByOne);
      QCOMPARE(together[t].size(), turn.candidates.size());
      for (std::size_t j = 0; j < turn.candidates.size(); ++j) {
        QCOMPARE(together[t][j].samples.size(), oneByOne[j].samples.size());
        for (std::size_t s = 0; s < oneByOne[j].samples.size(); ++s) {
          QCOMPARE(together[t][j].samples[s].future, oneByOne[j].samples[s].future);
          QCOMPARE(together[t][j].samples[s].reward.total, oneByOne[j].samples[s].reward.total);
          std::string text;
          for (const auto& message : oneByOne[j].samples[s].future) text += message.content + "\n";
          futures.insert(text);
        }
        QCOMPARE(together[t][j].mean, oneByOne[j].mean);
        QCOMPARE(together[t][j].std, oneByOne[j].std);
        QCOMPARE(together[t][j].configJson, oneByOne[j].configJson);
        const int window = turn.config.window;
        for (const auto& sample : together[t][j].samples) QVERIFY(static_cast<int>(sample.future.size()) <= 2 * window);
      }
    }
    QVERIFY2(futures.size() > 10, "the futures differ: a stream or simulator given to the wrong future would show");
  }
};

QTEST_GUILESS_MAIN(TestPolicyTurns)
#include "tst_policy_turns.moc"

// The built-in policy's language: acts read from text and rendered back agree, the
// vocabulary round-trips through tokenizer.json, observations mark exactly the act
// tokens as targets, and a policy saved as a checkpoint loads and acts the same.

#include "policy/ActPolicy.h"
#include "policy/ActVocabulary.h"
#include "policy/DialogueAct.h"
#include "policy/PolicyData.h"
#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "train/Trainers.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <set>

using namespace collab;
using namespace collab::policy;
using conversation::Role;

namespace {

// A policy that samples at full temperature (so futures differ) after a little SFT on the
// scripted behaviours: a random network writes no valid act, and so always the same
// fallback; a trained one mixes asking and answering.
ActPolicy sampledPolicy(const task::TaskRegistry& tasks) {
  EpisodeSource source;
  source.tasksPerFamily = 4;
  ActVocabulary vocabulary = vocabularyFor(tasks, source, 2);
  auto lm = std::make_shared<model::CausalLmImpl>(builtinPolicyConfig(vocabulary.size()));
  lm->initialiseRandomly(11);
  EpisodeSource data = source;
  data.tasksPerFamily = 12;
  const auto sft = scriptedSftData(tasks, data, vocabulary, 1);
  train::LoopSettings loop;
  loop.epochs = 6;
  loop.optimiser.learningRate = 3e-3;
  loop.optimiser.totalSteps = train::stepsFor(sft.size(), loop);
  train::trainSft(*lm, sft, loop);
  model::SamplingParams sampling;
  sampling.temperature = 1.0;
  return ActPolicy(lm, vocabulary, tasks, sampling, 3);
}

// Passes every call on to a policy, noting how many tasks each respondToTurns call (one
// lock-step round of rollouts) brought together.
class TaskCountingPolicy : public simulate::Policy {
public:
  explicit TaskCountingPolicy(simulate::Policy& inner) : inner_(inner) {}
  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) override {
    return inner_.respond(task, conversation);
  }
  std::vector<std::string> respondInStreams(const task::TaskInstance& task,
                                            const std::vector<conversation::Messages>& conversations,
                                            const std::vector<std::uint64_t>& streams) override {
    return inner_.respondInStreams(task, conversations, streams);
  }
  std::vector<std::string> respondToTurns(const std::vector<simulate::PolicyTurn>& turns) override {
    std::set<const task::TaskInstance*> tasks;
    for (const auto& turn : turns) tasks.insert(turn.task);
    tasksPerCall.push_back(tasks.size());
    return inner_.respondToTurns(turns);
  }
  void beginRelatedCalls() override { inner_.beginRelatedCalls(); }
  void endRelatedCalls() override { inner_.endRelatedCalls(); }

  std::vector<std::size_t> tasksPerCall;

private:
  simulate::Policy& inner_;
};

} // namespace

class ActPolicyTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void renderedActsReadBack() {
    const task::TaskRegistry tasks;
    for (const auto& name : tasks.names()) {
      const auto& family = tasks.family(name);
      const auto task = family.generate(1, 3);
      const conversation::Messages start = {{Role::User, task.firstUserMessage}};
      std::vector<std::string> keys;
      for (const auto& a : task.goal) keys.push_back(a.key);
      for (const DialogueAct& act : {DialogueAct{DialogueAct::Kind::Ask, {keys.front()}}, DialogueAct{DialogueAct::Kind::Ask, keys},
                                     DialogueAct{DialogueAct::Kind::Chat, {}}, DialogueAct{DialogueAct::Kind::Answer, {}}}) {
        const std::string text = renderAct(family, task, start, act, 1);
        const DialogueAct read = readAct(task, text);
        QVERIFY2(read.kind == act.kind, qPrintable(QString::fromStdString(name + ": " + text)));
        if (act.kind == DialogueAct::Kind::Ask)
          for (const auto& key : act.keys)
            QVERIFY2(std::find(read.keys.begin(), read.keys.end(), key) != read.keys.end(), qPrintable(QString::fromStdString(text)));
      }
    }
  }

  void vocabularyRoundTripsAndEncodesTargets() {
    const task::TaskRegistry tasks;
    EpisodeSource source;
    source.tasksPerFamily = 6;
    const ActVocabulary vocabulary = vocabularyFor(tasks, source, 1);
    QTemporaryDir dir;
    const std::string path = (std::filesystem::path(dir.path().toStdString()) / "tokenizer.json").string();
    vocabulary.writeTokenizerJson(path);
    const ActVocabulary read = ActVocabulary::fromTokenizerJson(path);
    QCOMPARE(read.size(), vocabulary.size());
    for (std::int64_t i = 0; i < vocabulary.size(); ++i) QCOMPARE(read.word(i), vocabulary.word(i));

    const auto task = tasks.family("math").generate(1, 2);
    const auto key = task.goal.front().key;
    const conversation::Messages conversation = {{Role::User, task.firstUserMessage},
                                                 {Role::Assistant, "Could you tell me " + task.goal.front().description + "?"},
                                                 {Role::User, task.goal.front().answer}};
    const auto encoded = vocabulary.encode(task, conversation);
    std::vector<std::string> acts, words;
    for (std::size_t i = 0; i < encoded.ids.size(); ++i) {
      words.push_back(vocabulary.word(encoded.ids[i]));
      if (encoded.actTokens[i]) acts.push_back(words.back());
    }
    // "ask", the key (and any other attribute whose cue words the description shares), "<eos>"
    QVERIFY(acts.size() >= 3);
    QCOMPARE(acts.front(), std::string("ask"));
    QCOMPARE(acts.back(), std::string("<eos>"));
    QVERIFY(std::find(acts.begin(), acts.end(), key) != acts.end());
    QCOMPARE(words.back(), std::string("assistant"));
    QVERIFY(std::find(words.begin(), words.end(), "said") != words.end()); // the answer was understood
    QCOMPARE(vocabulary.decodeAct(vocabulary.encodeAct({DialogueAct::Kind::Ask, {key}})), (DialogueAct{DialogueAct::Kind::Ask, {key}}));
    QCOMPARE(vocabulary.decodeAct({vocabulary.id("user")}).kind, DialogueAct::Kind::Chat); // ill-formed: never an answer
  }

  void savedPoliciesActTheSame() {
    const task::TaskRegistry tasks;
    EpisodeSource source;
    source.tasksPerFamily = 4;
    ActVocabulary vocabulary = vocabularyFor(tasks, source, 2);
    auto lm = std::make_shared<model::CausalLmImpl>(builtinPolicyConfig(vocabulary.size()));
    lm->initialiseRandomly(5);
    ActPolicy policy(lm, vocabulary, tasks, {}, 9);
    QTemporaryDir dir;
    const std::string path = (std::filesystem::path(dir.path().toStdString()) / "policy").string();
    policy.save(path);
    ActPolicy loaded = ActPolicy::load(path, tasks, {}, 9);
    const auto task = tasks.family("documents").generate(1, 1);
    const conversation::Messages start = {{Role::User, task.firstUserMessage}};
    QCOMPARE(loaded.sampleActs(task, start, 5), policy.sampleActs(task, start, 5));
  }

  // The demo's streaming (collab chat, collab play) shows the act's words as they are
  // drawn without changing what is drawn: the same replies, call after call.
  void streamingDrawsTheSameReplies() {
    const task::TaskRegistry tasks;
    EpisodeSource source;
    source.tasksPerFamily = 4;
    ActVocabulary vocabulary = vocabularyFor(tasks, source, 2);
    auto lm = std::make_shared<model::CausalLmImpl>(builtinPolicyConfig(vocabulary.size()));
    lm->initialiseRandomly(5);
    ActPolicy plain(lm, vocabulary, tasks, {}, 9), streaming(lm, vocabulary, tasks, {}, 9);
    const auto task = tasks.family("math").generate(1, 0);
    const conversation::Messages start = {{Role::User, task.firstUserMessage}};
    for (int call = 0; call < 3; ++call) {
      std::vector<std::string> words;
      const std::string reply = streaming.respond(task, start, [&](const std::string& w) { words.push_back(w); });
      QCOMPARE(reply, plain.respond(task, start));
      QVERIFY(!words.empty());
      QVERIFY(std::find(words.begin(), words.end(), "<eos>") == words.end()); // the end token is not a word
    }
  }

  // MR of several candidates with every future played in one batch per turn equals MR
  // with the futures played one sequence at a time, sample by sample: the policy draws
  // each turn from the sample's own stream, not from its place in a batch.
  void batchedRolloutsScoreAsOneByOne() {
    const task::TaskRegistry tasks;
    ActPolicy policy = sampledPolicy(tasks);
    const task::TaskFamily& family = tasks.family("math");
    const auto task = family.generate(7, 1);
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    std::vector<std::string> candidates;
    for (const DialogueAct& act : policy.sampleActs(task, history, 4)) candidates.push_back(policy.render(task, history, act));
    const reward::SimulatorFactory users = [&](int sample) -> std::unique_ptr<simulate::UserSimulator> {
      return std::make_unique<simulate::RuleBasedUserSimulator>(family, persona::Traits{}, 100 + sample);
    };
    reward::RewardConfig config;
    config.samples = 5;
    config.window = 3;
    config.seed = 42;
    const auto together = reward::estimateMultiturnRewards(family, task, history, candidates, policy, users, config, {},
                                                           simulate::RolloutBatching::Together);
    // Batched, the policy read most tokens from its prefix cache (shared openings, earlier
    // turns); one by one it reads every conversation whole.
    const model::PrefixCache::Counts counts = policy.prefixCounts();
    QVERIFY2(counts.reused > 2 * counts.read, qPrintable(QString("read %1, reused %2").arg(counts.read).arg(counts.reused)));
    const auto oneByOne = reward::estimateMultiturnRewards(family, task, history, candidates, policy, users, config, {},
                                                           simulate::RolloutBatching::OneByOne);
    QCOMPARE(policy.prefixCounts().read, counts.read);
    QCOMPARE(together.size(), candidates.size());
    std::set<std::string> futures;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      QCOMPARE(together[j].samples.size(), std::size_t(5));
      for (std::size_t s = 0; s < 5; ++s) {
        QCOMPARE(together[j].samples[s].future, oneByOne[j].samples[s].future);
        std::string text;
        for (const auto& message : together[j].samples[s].future) text += message.content + "\n";
        futures.insert(text);
      }
      QCOMPARE(together[j].mean, oneByOne[j].mean);
      QCOMPARE(together[j].std, oneByOne[j].std);
      // Alone, a candidate scores the same as in company.
      const auto alone = reward::estimateMultiturnReward(family, task, history, candidates[j], policy, users, config);
      QCOMPARE(alone.mean, together[j].mean);
    }
    QVERIFY2(futures.size() > 3, qPrintable(QString("only %1 distinct futures in 20: %2").arg(futures.size()).arg(QString::fromStdString(*futures.begin()))));
  }
  // A call of more rows than a batch holds is served in batches of equal size, each row
  // drawn from its own stream: the same replies as in one batch, and as in lanes (batches
  // at once, on threads of their own).
  void aLargeCallIsServedInBatchesWithTheSameReplies() {
    const task::TaskRegistry tasks;
    ActPolicy policy = sampledPolicy(tasks);
    std::vector<task::TaskInstance> instances;
    for (const char* name : {"documents", "math", "code"}) instances.push_back(tasks.family(name).generate(3, 1));
    std::vector<conversation::Messages> openings;
    for (const auto& instance : instances) openings.push_back({{Role::User, instance.firstUserMessage}});
    std::vector<simulate::PolicyTurn> turns;
    for (std::uint64_t stream = 0; stream < 30; ++stream)
      turns.push_back({&instances[stream % 3], &openings[stream % 3], stream});
    policy.setMaxBatchRows(0);
    policy.setLanes(1);
    const std::uint64_t before = policy.generations();
    const std::vector<std::string> oneBatch = policy.respondToTurns(turns);
    QCOMPARE(policy.generations() - before, std::uint64_t(1));
    policy.setMaxBatchRows(8);
    const std::vector<std::string> inBatches = policy.respondToTurns(turns);
    QCOMPARE(policy.generations() - before, std::uint64_t(1 + 4)); // 8 + 8 + 8 + 6 rows
    QCOMPARE(inBatches, oneBatch);
    policy.setLanes(3);
    const std::vector<std::string> inLanes = policy.respondToTurns(turns);
    QCOMPARE(policy.generations() - before, std::uint64_t(1 + 4 + 3 * 2)); // 10 rows a lane: 5 + 5
    QCOMPARE(inLanes, oneBatch);
    // The rows differ (the policy mostly opens with the same small talk, not always), so a
    // reply given to another row would show.
    const std::size_t distinct = std::set<std::string>(oneBatch.begin(), oneBatch.end()).size();
    QVERIFY2(distinct >= 2, qPrintable(QString("only %1 distinct replies of 30").arg(distinct)));
  }

  // MR of the candidates of several tasks (two of each family, each with its own history,
  // reward seed and window), their futures played together, each policy call one batch
  // over the rows of every task, equals MR turn by turn with every future played one
  // sequence at a time.
  void crossTaskBatchedRolloutsScoreAsOneByOne() {
    const task::TaskRegistry tasks;
    ActPolicy policy = sampledPolicy(tasks);
    struct Opening {
      const task::TaskFamily* family;
      task::TaskInstance task;
      conversation::Messages history;
      std::vector<std::string> candidates;
    };
    std::vector<Opening> openings;
    for (const char* name : {"documents", "math", "code"})
      for (std::uint64_t index : {2, 3}) {
        Opening o{&tasks.family(name), tasks.family(name).generate(7, index), {}, {}};
        o.history = {{Role::User, o.task.firstUserMessage}};
        for (const DialogueAct& act : policy.sampleActs(o.task, o.history, 3))
          o.candidates.push_back(policy.render(o.task, o.history, act));
        openings.push_back(std::move(o));
      }
    std::vector<reward::CandidateTurn> turns;
    for (std::size_t t = 0; t < openings.size(); ++t) {
      const Opening& o = openings[t];
      reward::RewardConfig config;
      config.samples = 3;
      config.window = 2 + static_cast<int>(t % 2);
      config.seed = 50 + t;
      const task::TaskFamily& family = *o.family;
      const reward::SimulatorFactory users = [&family, t](int sample) -> std::unique_ptr<simulate::UserSimulator> {
        persona::Traits traits;
        traits.mistakeRate = 0.5; // the users' rolls matter too: futures differ by simulator
        return std::make_unique<simulate::RuleBasedUserSimulator>(family, traits, 10 * t + sample);
      };
      turns.push_back({o.family, &o.task, &o.history, o.candidates, users, config, {}});
    }

    TaskCountingPolicy counting(policy);
    policy.setLanes(1);
    const std::uint64_t generationsBefore = policy.generations();
    const auto together = reward::estimateMultiturnRewardsOfTurns(turns, counting);
    // Every lock-step round was one batched generation, the first over the rows of all six tasks.
    QCOMPARE(policy.generations() - generationsBefore, std::uint64_t(counting.tasksPerCall.size()));
    QVERIFY(!counting.tasksPerCall.empty());
    QCOMPARE(counting.tasksPerCall.front(), openings.size());
    QVERIFY(counting.tasksPerCall.size() <= 3); // at most w = 3 policy turns per future
    // In two lanes (each round's rows split over two threads, each lane with its own
    // prefix cache): the same estimates.
    policy.setLanes(2);
    const auto inLanes = reward::estimateMultiturnRewardsOfTurns(turns, policy);
    for (std::size_t t = 0; t < turns.size(); ++t)
      for (std::size_t j = 0; j < turns[t].candidates.size(); ++j) {
        QCOMPARE(inLanes[t][j].mean, together[t][j].mean);
        for (std::size_t s = 0; s < together[t][j].samples.size(); ++s)
          QCOMPARE(inLanes[t][j].samples[s].future, together[t][j].samples[s].future);
      }

    std::set<std::string> futures;
    for (std::size_t t = 0; t < turns.size(); ++t) {
      const reward::CandidateTurn& turn = turns[t];
      const auto oneByOne = reward::estimateMultiturnRewards(*turn.family, *turn.task, *turn.history, turn.candidates,
                                                             policy, turn.makeSimulator, turn.config, {},
                                                             simulate::RolloutBatching::OneByOne);
      QCOMPARE(together[t].size(), turn.candidates.size());
      for (std::size_t j = 0; j < turn.candidates.size(); ++j) {
        QCOMPARE(together[t][j].samples.size(), oneByOne[j].samples.size());
        for (std::size_t s = 0; s < oneByOne[j].samples.size(); ++s) {
          QCOMPARE(together[t][j].samples[s].future, oneByOne[j].samples[s].future);
          std::string text;
          for (const auto& message : oneByOne[j].samples[s].future) text += message.content + "\n";
          futures.insert(turn.task->id + text);
        }
        QCOMPARE(together[t][j].mean, oneByOne[j].mean);
        QCOMPARE(together[t][j].std, oneByOne[j].std);
      }
    }
    // Futures differ (two or more a task on average), so a reply drawn from another row's
    // stream, or a row encoded with another task, would show.
    QVERIFY2(futures.size() >= 2 * openings.size(), qPrintable(QString("only %1 distinct futures in 54").arg(futures.size())));
  }
};

QTEST_APPLESS_MAIN(ActPolicyTest)
#include "tst_act_policy.moc"

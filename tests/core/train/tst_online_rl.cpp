// Online DPO and PPO on the built-in policy with MR as the reward: round 2 samples with
// the weights round 1 trained, steps count on across rounds, and every round reports the
// mr/* and TRL metrics; PPO's first update starts at ratio 1 and zero KL.

#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "train/OnlineDpo.h"
#include "train/Ppo.h"

#include <QtTest>

#include <cmath>

using namespace collab;

namespace {

// A little SFT on the scripted behaviours: a random network writes no valid act; a
// trained one mixes asking and answering, so candidates differ and MR tells them apart.
policy::ActPolicy smallPolicy(const task::TaskRegistry& tasks) {
  policy::EpisodeSource source;
  source.tasksPerFamily = 12;
  policy::ActVocabulary vocabulary = policy::vocabularyFor(tasks, source, 2);
  auto lm = std::make_shared<model::CausalLmImpl>(policy::builtinPolicyConfig(vocabulary.size()));
  lm->initialiseRandomly(11);
  const auto sft = policy::scriptedSftData(tasks, source, vocabulary, 1);
  train::LoopSettings loop;
  loop.epochs = 6;
  loop.optimiser.learningRate = 3e-3;
  loop.optimiser.totalSteps = train::stepsFor(sft.size(), loop);
  train::trainSft(*lm, sft, loop);
  return policy::ActPolicy(lm, vocabulary, tasks, {}, 3);
}

std::shared_ptr<model::CausalLmImpl> copyOf(model::CausalLmImpl& model) {
  auto copy = std::make_shared<model::CausalLmImpl>(model.config(), model::CausalLmImpl::Weights::Unset);
  at::NoGradGuard noGrad;
  auto target = copy->named_parameters();
  for (const auto& item : model.named_parameters()) target[item.key()].copy_(item.value());
  return copy;
}

at::Tensor flatWeights(model::CausalLmImpl& model) {
  std::vector<at::Tensor> all;
  for (const auto& p : model.parameters()) all.push_back(p.detach().flatten().clone());
  return at::cat(all);
}

policy::EpisodeSource roundSource() {
  policy::EpisodeSource source;
  source.families = {"math", "documents"};
  source.tasksPerFamily = 3;
  source.taskSeed = 50;
  source.maxExchanges = 3;
  return source;
}

reward::RewardConfig smallReward() {
  reward::RewardConfig r;
  r.window = 1;
  r.samples = 2;
  r.tokenLambda = 5e-4;
  return r;
}

} // namespace

class OnlineRlTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void onlineDpoSamplesWithTheUpdatedWeights() {
    const task::TaskRegistry tasks;
    policy::ActPolicy policy = smallPolicy(tasks);
    const auto reference = copyOf(policy.model());
    train::OnlineDpoSettings s;
    s.rounds = 2;
    s.source = roundSource();
    s.sampling.candidates = 4;
    s.sampling.reward = smallReward();
    s.epochs = 2;
    s.batchSize = 4;
    s.optimiser.learningRate = 1e-2;
    s.seed = 3;
    std::map<int, at::Tensor> atRoundStart;
    at::Tensor afterRoundOne;
    std::map<int, std::map<std::string, double>> rounds;
    std::map<int, std::int64_t> roundStep;
    std::vector<std::int64_t> steps;
    train::RoundHooks hooks;
    hooks.onRoundStart = [&](int round) { atRoundStart[round] = flatWeights(policy.model()); };
    hooks.onStep = [&](std::int64_t step, const std::map<std::string, double>& m) {
      steps.push_back(step);
      if (m.at("round") == 1.0) afterRoundOne = flatWeights(policy.model());
      for (const char* key : {"loss", "rewards/chosen", "rewards/margins", "logps/chosen", "learning_rate", "grad_norm"})
        QVERIFY2(m.count(key), key);
    };
    hooks.onRound = [&](int round, std::int64_t step, const std::map<std::string, double>& m) {
      rounds[round] = m;
      roundStep[round] = step;
    };
    const std::int64_t taken = train::trainOnlineDpo(policy, *reference, tasks, s, hooks);

    QCOMPARE(rounds.size(), std::size_t(2));
    QVERIFY2(afterRoundOne.defined(), "round 1 found no pair to train on");
    // Round 2 drew its candidates with the weights round 1 left, not the starting ones.
    QVERIFY(at::equal(atRoundStart[2], afterRoundOne));
    QVERIFY(!at::equal(atRoundStart[2], atRoundStart[1]));
    QVERIFY(at::equal(atRoundStart[1], flatWeights(*reference)));
    // One step count across rounds: round 2's updates go on from round 1's last step.
    QCOMPARE(roundStep[1], std::int64_t(0));
    QVERIFY(roundStep[2] > 0);
    QCOMPARE(steps.size(), static_cast<std::size_t>(taken));
    for (std::size_t i = 0; i < steps.size(); ++i) QCOMPARE(steps[i], static_cast<std::int64_t>(i + 1));
    for (const auto& [round, m] : rounds) {
      for (const char* key : {"mr/mean", "mr/task", "mr/eff", "mr/int", "num_turns/mean", "tokens/assistant_mean", "pairs"})
        QVERIFY2(m.count(key) && std::isfinite(m.at(key)), key);
      QVERIFY(m.at("candidates") >= 6); // at least one per conversation
      QVERIFY(m.at("num_turns/mean") >= 1.0);
      QVERIFY(m.at("tokens/assistant_mean") > 0.0);
      QVERIFY(m.at("mr/eff") <= 0.0);
    }
  }

  void ppoOnMrStartsFromTheReference() {
    const task::TaskRegistry tasks;
    policy::ActPolicy policy = smallPolicy(tasks);
    const auto reference = copyOf(policy.model());
    train::MrPpoSettings s;
    s.rounds = 2;
    s.source = roundSource();
    s.sampling.candidates = 3;
    s.sampling.distinct = false;
    s.sampling.continueWith = policy::TurnSampling::Continue::First;
    s.sampling.reward = smallReward();
    s.ppo.epochs = 2;
    s.ppo.batchSize = 8;
    s.optimiser.learningRate = 3e-3;
    s.seed = 5;
    std::map<int, std::map<std::string, double>> rounds;
    std::vector<std::map<std::string, double>> steps;
    train::RoundHooks hooks;
    hooks.onStep = [&](std::int64_t, const std::map<std::string, double>& m) { steps.push_back(m); };
    hooks.onRound = [&](int round, std::int64_t, const std::map<std::string, double>& m) { rounds[round] = m; };
    train::trainPpoOnMr(policy, *reference, tasks, s, hooks);

    QCOMPARE(rounds.size(), std::size_t(2));
    for (const auto& [round, m] : rounds) {
      for (const char* key : {"objective/kl", "objective/scores", "objective/rlhf_reward", "objective/non_score_reward",
                              "mr/mean", "mr/task", "mr/eff", "mr/int", "num_turns/mean", "tokens/assistant_mean"})
        QVERIFY2(m.count(key) && std::isfinite(m.at(key)), key);
      // Every draw is a response (no deduplication): 3 per turn, scored by its MR.
      QCOMPARE(m.at("responses"), m.at("candidates"));
      QCOMPARE(std::fmod(m.at("candidates"), 3.0), 0.0);
      QVERIFY(std::abs(m.at("objective/scores") - m.at("mr/mean")) < 1e-5);
    }
    QVERIFY(std::abs(rounds[1].at("objective/kl")) < 1e-5); // the policy is the reference before any update
    QVERIFY(std::abs(rounds[2].at("objective/kl")) > 1e-7);
    QVERIFY(!steps.empty());
    for (const char* key : {"loss/policy_avg", "loss/value_avg", "policy/approxkl_avg", "policy/clipfrac_avg", "val/ratio",
                            "round", "learning_rate", "grad_norm"})
      QVERIFY2(steps.front().count(key), key);
    QVERIFY(std::abs(steps.front().at("val/ratio") - 1.0) < 1e-5);
    QVERIFY(steps.front().at("policy/approxkl_avg") < 1e-10);
  }
};

QTEST_APPLESS_MAIN(OnlineRlTest)
#include "tst_online_rl.moc"

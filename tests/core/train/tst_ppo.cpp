// PPO's arithmetic against hand-computed values (GAE, whitening, per-token rewards, the
// clipped policy and value losses and their gradients), and PPO learning a toy reward:
// the tiny transformer's mean score rises, the KL to the reference starts at 0 and grows.

#include "model/Generator.h"
#include "model/Transformer.h"
#include "train/PpoLosses.h"
#include "train/PpoUpdate.h"

#include <QtTest>

#include <cmath>

using namespace collab;

namespace {

at::Tensor t(std::vector<double> values) { return at::tensor(values, at::kDouble).to(at::kFloat); }
at::Tensor rows(std::vector<std::vector<double>> values) {
  std::vector<at::Tensor> out;
  for (auto& row : values) out.push_back(t(row));
  return at::stack(out);
}
bool near(const at::Tensor& actual, const at::Tensor& expected, double tolerance = 1e-5) {
  return at::allclose(actual, expected, 0.0, tolerance);
}
std::string show(const at::Tensor& x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

model::ModelConfig tinyConfig() {
  model::ModelConfig c;
  c.vocabSize = 32, c.hiddenSize = 32, c.intermediateSize = 64, c.layers = 2, c.heads = 4, c.kvHeads = 2, c.headDim = 8;
  c.tieEmbeddings = true;
  return c;
}

} // namespace

class PpoTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void gaeMatchesHandComputation() {
    // Row 0: a prompt position (ignored), then 3 response tokens; γ = 0.9, λ = 0.8.
    //   t=3: δ = 1 + 0 - 0.1 = 0.9                 A = 0.9
    //   t=2: δ = 0 + 0.9·0.1 - 0.2 = -0.11         A = -0.11 + 0.72·0.9 = 0.538
    //   t=1: δ = 0 + 0.9·0.2 - 0.5 = -0.32         A = -0.32 + 0.72·0.538 = 0.06736
    // Row 1: 2 response tokens, then padding (whose numbers must not leak in).
    //   t=1: δ = -0.1 + 0 - 0.4 = -0.5             A = -0.5
    //   t=0: δ = 0.2 + 0.9·0.4 - 0.3 = 0.26        A = 0.26 + 0.72·(-0.5) = -0.1
    const at::Tensor rewards = rows({{9, 0, 0, 1}, {0.2, -0.1, 5, 7}});
    const at::Tensor values = rows({{7, 0.5, 0.2, 0.1}, {0.3, 0.4, 9, 9}});
    const at::Tensor mask = rows({{0, 1, 1, 1}, {1, 1, 0, 0}});
    const train::Advantages gae = train::generalisedAdvantages(rewards, values, mask, 0.9, 0.8);
    QVERIFY2(near(gae.advantages, rows({{0, 0.06736, 0.538, 0.9}, {-0.1, -0.5, 0, 0}})), show(gae.advantages).c_str());
    QVERIFY2(near(gae.returns, rows({{0, 0.56736, 0.738, 1.0}, {0.2, -0.1, 0, 0}})), show(gae.returns).c_str());
    // γ = λ = 1: the advantage is the sum of the rewards still to come minus the value.
    const train::Advantages mc = train::generalisedAdvantages(rows({{0, 0, 1}}), rows({{0.5, 0.25, 0.5}}), rows({{1, 1, 1}}), 1, 1);
    QVERIFY2(near(mc.advantages, rows({{0.5, 0.75, 0.5}})), show(mc.advantages).c_str());
  }

  void tokenRewardsPutTheScoreOnTheLastToken() {
    // -0.1 (log π - log π_ref) per response token; the score at the row's last one.
    const at::Tensor logprobs = rows({{-1, -2, -0.5}, {-1, -1, -3}});
    const at::Tensor reference = rows({{-1.5, -1, -0.5}, {-1.5, -1, -1}});
    const at::Tensor mask = rows({{0, 1, 1}, {1, 1, 0}});
    const at::Tensor r = train::tokenRewards(logprobs, reference, mask, t({2, 3}), 0.1);
    QVERIFY2(near(r, rows({{0, 0.1, 2}, {-0.05, 3, 0}})), show(r).c_str());
  }

  void whiteningUsesTheUnbiasedVariance() {
    // mean 2, variance (1 + 0 + 1) / (3 - 1) = 1; padding stays 0.
    const at::Tensor w = train::whiten(rows({{1, 2, 3, 100}}), rows({{1, 1, 1, 0}}));
    QVERIFY2(near(w, rows({{-1, 0, 1, 0}}), 1e-4), show(w).c_str());
  }

  void clippedLossesMatchHandComputation() {
    // ratios 1.5, 0.5, 1 (and a padded position with absurd numbers); ε = 0.2.
    //   token 0: A = 1:  max(-1.5, -1.2) = -1.2 (the clipped term wins)
    //   token 1: A = 1:  max(-0.5, -0.8) = -0.5
    //   token 2: A = -2: max(2, 2) = 2
    //   policy loss = (-1.2 - 0.5 + 2) / 3 = 0.1, clip fraction 1/3
    // values 1, 0, 0.5 from 0.5, 0.5, 0.5, returns 2, 0, 0.5, εv = 0.2:
    //   token 0: max((1-2)², (0.7-2)²) = 1.69; token 1: max(0, 0.3²) = 0.09; token 2: 0
    //   value loss = ½ (1.69 + 0.09) / 3, value clip fraction 2/3
    const at::Tensor logprobs = t({std::log(1.5), std::log(0.5), 0.0, 50.0}).unsqueeze(0).requires_grad_(true);
    const at::Tensor old = rows({{0, 0, 0, -50}});
    const at::Tensor advantages = rows({{1, 1, -2, 1e6}});
    const at::Tensor values = t({1.0, 0.0, 0.5, 1e3}).unsqueeze(0).requires_grad_(true);
    const at::Tensor mask = rows({{1, 1, 1, 0}});
    const train::PpoLoss loss =
        train::ppoLoss(logprobs, old, advantages, values, rows({{0.5, 0.5, 0.5, 0}}), rows({{2, 0, 0.5, -1e3}}), mask, 0.2, 0.2);
    QVERIFY(std::abs(loss.policyLoss.item<double>() - 0.1) < 1e-6);
    QVERIFY(std::abs(loss.valueLoss.item<double>() - 0.5 * 1.78 / 3) < 1e-6);
    QVERIFY(std::abs(loss.clipFraction - 1.0 / 3) < 1e-6);
    QVERIFY(std::abs(loss.valueClipFraction - 2.0 / 3) < 1e-6);
    QVERIFY(std::abs(loss.ratio - 1.0) < 1e-6);
    const double kl = 0.5 * (std::pow(std::log(1.5), 2) + std::pow(std::log(0.5), 2)) / 3;
    QVERIFY(std::abs(loss.approxKl - kl) < 1e-6);
    // Gradients flow only through the terms that won: none through token 0's clipped
    // ratio; -A·r/3 through the others. The value's gradient: (V - R)/3 where unclipped won,
    // 0 where the clipped value (out of its range) won.
    (loss.policyLoss + loss.valueLoss).backward();
    QVERIFY2(near(logprobs.grad(), rows({{0, -0.5 / 3, 2.0 / 3, 0}})), show(logprobs.grad()).c_str());
    QVERIFY2(near(values.grad(), rows({{0, 0, 0, 0}})), show(values.grad()).c_str());
  }

  // A toy reward on the tiny transformer: each response is 2 tokens drawn at temperature
  // 1, scored by the share of them that are even. PPO must raise the mean score; the KL to
  // the reference is 0 before the first update and positive after.
  void ppoLearnsAToyReward() {
    model::CausalLmImpl policy(tinyConfig()), reference(tinyConfig());
    policy.initialiseRandomly(5);
    reference.initialiseRandomly(5);
    train::PpoSettings settings;
    settings.epochs = 4;
    settings.batchSize = 16;
    settings.klCoef = 0.02;
    train::OptimiserSettings optimiser;
    optimiser.learningRate = 3e-3;
    optimiser.minRatio = 1.0;
    train::PpoTrainer trainer(policy, reference, settings, optimiser);
    std::vector<double> scores, kls;
    std::vector<std::map<std::string, double>> steps;
    for (int round = 0; round < 10; ++round) {
      std::vector<model::GenerationRequest> requests;
      for (int i = 0; i < 48; ++i) {
        model::GenerationRequest r;
        r.prompt = {1, 2, 3 + i % 4};
        r.seed = static_cast<std::uint64_t>(round * 100 + i);
        r.maxNewTokens = 2;
        requests.push_back(r);
      }
      const auto drawn = model::generate(policy, requests);
      std::vector<train::PpoSample> samples;
      for (std::size_t i = 0; i < requests.size(); ++i) {
        double even = 0;
        for (auto token : drawn[i].tokens) even += token % 2 == 0 ? 0.5 : 0.0;
        samples.push_back({requests[i].prompt, drawn[i].tokens, even});
      }
      const auto metrics = trainer.update(samples, {}, [&](std::int64_t, const auto& m) { steps.push_back(m); });
      scores.push_back(metrics.at("objective/scores"));
      kls.push_back(metrics.at("objective/kl"));
    }
    qInfo("mean score %.3f -> %.3f, KL %.4f -> %.4f", scores.front(), scores.back(), kls.front(), kls.back());
    QCOMPARE(trainer.steps(), std::int64_t(10 * 4 * 3));
    QVERIFY(std::abs(kls.front()) < 1e-5); // the policy is the reference before any update
    QVERIFY(kls.back() > 1e-3);
    QVERIFY((scores[8] + scores[9]) / 2 > scores[0] + 0.2);
    // The first minibatch is scored by the very weights that drew it: ratio 1, nothing clipped.
    QVERIFY(std::abs(steps.front().at("val/ratio") - 1.0) < 1e-5);
    QVERIFY(steps.front().at("policy/approxkl_avg") < 1e-10);
    QCOMPARE(steps.front().at("policy/clipfrac_avg"), 0.0);
    for (const auto& m : steps) {
      QVERIFY(m.at("policy/clipfrac_avg") >= 0 && m.at("policy/clipfrac_avg") <= 1);
      QVERIFY(std::isfinite(m.at("loss")) && m.at("grad_norm") >= 0);
    }
  }
};

QTEST_APPLESS_MAIN(PpoTest)
#include "tst_ppo.moc"

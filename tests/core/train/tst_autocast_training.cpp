// Training under autocast (float32 weights, bf16 compute, as full fine-tuning on a GPU
// runs; here on the CPU, whose autocast caches cast weights the same way): every step's
// forward pass runs on the weights the previous step left. A scope around the whole
// loop would keep the first step's bf16 copies of the weights for every forward pass
// after it; the loss each step reports would then not be the loss of the model being
// trained, which these tests compute afresh from each step's weights.

#include "model/Autocast.h"
#include "model/Transformer.h"
#include "train/Losses.h"
#include "train/Trainers.h"

#include <ATen/Parallel.h>

#include <QtTest>

#include <cmath>
#include <functional>
#include <map>
#include <numeric>

using namespace collab;

namespace {

const model::AutocastSettings kCpuBf16{true, at::kCPU, at::kBFloat16};

model::ModelConfig tinyConfig() {
  model::ModelConfig c;
  c.vocabSize = 32, c.hiddenSize = 32, c.intermediateSize = 64, c.layers = 2, c.heads = 4, c.kvHeads = 2, c.headDim = 8;
  c.tieEmbeddings = true;
  return c;
}

std::vector<at::Tensor> weightsOf(model::CausalLmImpl& lm) {
  std::vector<at::Tensor> out;
  for (const auto& p : lm.parameters()) out.push_back(p.detach().clone());
  return out;
}

void setWeights(model::CausalLmImpl& lm, const std::vector<at::Tensor>& weights) {
  at::NoGradGuard noGrad;
  auto parameters = lm.parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(weights[i]);
}

// Sequences of one length (no padding), each step one batch of all of them.
std::vector<train::TokenSequence> sftData() {
  std::vector<train::TokenSequence> data;
  for (int i = 0; i < 8; ++i) data.push_back({{1, 2, 3, 4 + i % 4, 9, 10 + i % 2}, {0, 0, 0, 1, 1, 1}});
  return data;
}

std::vector<train::PreferenceExample> dpoData() {
  std::vector<train::PreferenceExample> data;
  for (int i = 0; i < 8; ++i) data.push_back({{1, 2, 3 + i % 5}, {20, 21 + i % 2}, {22, 23}});
  return data;
}

train::LoopSettings autocastLoop(std::size_t examples, double learningRate) {
  train::LoopSettings loop;
  loop.epochs = 5;
  loop.batchSize = static_cast<int>(examples);
  loop.optimiser.learningRate = learningRate;
  loop.optimiser.totalSteps = train::stepsFor(examples, loop);
  loop.autocast = kCpuBf16;
  return loop;
}

// The weights after each step (step 0: before the first), and the metrics it reported.
struct Steps {
  std::map<std::int64_t, std::vector<at::Tensor>> weights;
  std::map<std::int64_t, std::map<std::string, double>> metrics;
};

train::MetricsCallback recordInto(Steps& steps, model::CausalLmImpl& lm) {
  return [&steps, &lm](std::int64_t step, const std::map<std::string, double>& metrics) {
    steps.weights[step] = weightsOf(lm);
    steps.metrics[step] = metrics;
  };
}

// The SFT loss of `data` with `weights`, under a fresh autocast scope: what the step after
// those weights should report.
double sftLossOf(const std::vector<at::Tensor>& weights, const std::vector<train::TokenSequence>& data) {
  model::CausalLmImpl lm(tinyConfig(), model::CausalLmImpl::Weights::Unset);
  setWeights(lm, weights);
  at::NoGradGuard noGrad;
  const model::Autocast autocast(kCpuBf16);
  return train::sftLoss(lm, train::TokenBatch::of(data)).loss.item<double>();
}

// The mean log-probability of the chosen continuations with `weights`, under a fresh
// autocast scope (chosen and rejected in one batch, as the DPO step computes them).
double chosenLogProbOf(const std::vector<at::Tensor>& weights, const std::vector<train::PreferenceExample>& data) {
  model::CausalLmImpl lm(tinyConfig(), model::CausalLmImpl::Weights::Unset);
  setWeights(lm, weights);
  at::NoGradGuard noGrad;
  const model::Autocast autocast(kCpuBf16);
  std::vector<train::TokenSequence> rows;
  for (const auto& p : data) rows.push_back(train::continuationSequence(p.prompt, p.chosen));
  for (const auto& p : data) rows.push_back(train::continuationSequence(p.prompt, p.rejected));
  const at::Tensor logps = train::sequenceLogProbs(lm, train::TokenBatch::of(rows));
  return logps.narrow(0, 0, static_cast<std::int64_t>(data.size())).mean().item<double>();
}

} // namespace

class AutocastTrainingTest : public QObject {
  Q_OBJECT

public:
  // Every step after the first reports `metric` as `expected` computes it from the
  // weights the step before left, to float rounding (the rows of a step come in shuffled
  // order); the metric moves from step to step by much more than that.
  static void checkEachStepSawTheUpdatedWeights(const Steps& steps, const std::string& metric,
                                                const std::function<double(const std::vector<at::Tensor>&)>& expected) {
    QCOMPARE(steps.metrics.size(), std::size_t(5));
    for (std::int64_t step = 2; step <= 5; ++step) {
      const double reported = steps.metrics.at(step).at(metric);
      const double before = steps.metrics.at(step - 1).at(metric);
      const double fresh = expected(steps.weights.at(step - 1));
      qInfo("step %lld: %s %.6f reported, %.6f from its weights", static_cast<long long>(step), metric.c_str(), reported,
            fresh);
      QVERIFY2(std::abs(reported - before) > 1e-3, qPrintable(QString("step %1 reported step %2's %3")
                                                                  .arg(step).arg(step - 1).arg(metric.c_str())));
      QVERIFY2(std::abs(reported - fresh) < 1e-4 * std::max(1.0, std::abs(fresh)),
               qPrintable(QString("step %1 reported %2 = %3, its weights give %4").arg(step).arg(metric.c_str())
                              .arg(reported).arg(fresh)));
    }
  }

private Q_SLOTS:
  void init() { at::set_num_threads(1); }

  void sftStepsTrainTheUpdatedWeights() {
    const auto data = sftData();
    model::CausalLmImpl lm(tinyConfig());
    lm.initialiseRandomly(3);
    Steps steps;
    train::trainSft(lm, data, autocastLoop(data.size(), 1e-2), recordInto(steps, lm));
    checkEachStepSawTheUpdatedWeights(steps, "loss", [&](const auto& weights) { return sftLossOf(weights, data); });
    QVERIFY(steps.metrics.at(5).at("loss") < steps.metrics.at(1).at("loss"));
    QVERIFY(!model::autocastOf(at::kCPU).enabled); // the loop leaves autocast as it found it
  }

  void dpoStepsTrainTheUpdatedWeights() {
    const auto data = dpoData();
    model::CausalLmImpl policy(tinyConfig()), reference(tinyConfig());
    policy.initialiseRandomly(4);
    reference.initialiseRandomly(4);
    const train::LoopSettings loop = autocastLoop(data.size(), 1e-2);
    const train::ReferenceLogProbs logps = train::referenceLogProbs(reference, data, loop.autocast);
    // The reference computes as the policy does: at step 1 they are the same model.
    QVERIFY(std::abs(chosenLogProbOf(weightsOf(reference), data) -
                     std::accumulate(logps.chosen.begin(), logps.chosen.end(), 0.0) / data.size()) < 1e-5);
    Steps steps;
    train::trainDpo(policy, logps, data, {0.1, 0.0}, loop, recordInto(steps, policy));
    QCOMPARE(steps.metrics.at(1).at("rewards/chosen"), 0.0);
    checkEachStepSawTheUpdatedWeights(steps, "logps/chosen",
                                      [&](const auto& weights) { return chosenLogProbOf(weights, data); });
    QVERIFY(steps.metrics.at(5).at("rewards/margins") > 0);
    QVERIFY(!model::autocastOf(at::kCPU).enabled);
  }

  // Autocast off (the default) trains in float32 exactly as before: the same losses as a
  // loop whose settings never named autocast, to the last bit.
  void autocastOffIsFloat32() {
    const auto data = sftData();
    std::vector<double> plain, off;
    for (auto* losses : {&plain, &off}) {
      model::CausalLmImpl lm(tinyConfig());
      lm.initialiseRandomly(3);
      train::LoopSettings loop = autocastLoop(data.size(), 1e-2);
      loop.autocast = losses == &plain ? model::AutocastSettings{} : model::AutocastSettings{false, at::kCPU, at::kBFloat16};
      train::trainSft(lm, data, loop, [losses](std::int64_t, const auto& m) { losses->push_back(m.at("loss")); });
    }
    QCOMPARE(off, plain);
  }
};

QTEST_APPLESS_MAIN(AutocastTrainingTest)
#include "tst_autocast_training.moc"

// One optimiser step over a global batch, however it is cut: micro-batches with gradient
// accumulation give the parameters one large batch gives (SFT weighs micro-batches by
// their target tokens, DPO by their pairs), the shares of the ranks cover every example
// once, and torchrun's variables are read or refused with the variable named.

#include "common/Error.h"
#include "model/Transformer.h"
#include "train/BatchSharing.h"
#include "train/DistributedEnvironment.h"
#include "train/RankDevice.h"
#include "train/Trainers.h"

#include <ATen/Parallel.h>

#include <QtTest>

#include <map>

using namespace collab;

namespace {

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

// The largest gap between two sets of weights, relative to the largest weight of each tensor.
double relativeGap(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>() / a[i].abs().max().item<double>());
  return worst;
}

// A loop whose clipping is active (the limit is below the gradients' norm), with warm-up
// and weight decay: everything an accumulated step must get right.
train::LoopSettings loopOf(int batchSize, int accumulation, std::size_t examples) {
  train::LoopSettings loop;
  loop.epochs = 3;
  loop.batchSize = batchSize;
  loop.gradientAccumulationSteps = accumulation;
  loop.seed = 7;
  loop.optimiser.learningRate = 1e-2;
  loop.optimiser.warmupSteps = 2;
  loop.optimiser.weightDecay = 0.01;
  loop.optimiser.maxGradNorm = 0.5;
  // AdamW divides each gradient by its own root mean square plus ε: with ε = 1e-8, weights
  // whose gradients are as small as float rounding take full-size steps in directions that
  // rounding picks, and two summation orders of the same gradient end up ~1e-5 apart. A
  // larger ε keeps the comparison about the gradients, which is what accumulation changes.
  loop.optimiser.epsilon = 1e-3;
  loop.optimiser.totalSteps = train::stepsFor(examples, loop);
  return loop;
}

using Lookup = std::map<std::string, std::string>;
train::DistributedEnvironment environmentOf(const Lookup& variables) {
  return train::DistributedEnvironment::fromVariables([&variables](const char* name) -> const char* {
    const auto found = variables.find(name);
    return found == variables.end() ? nullptr : found->second.c_str();
  });
}

QString refusal(const Lookup& variables) {
  try {
    environmentOf(variables);
  } catch (const InputError& e) {
    return QString::fromStdString(e.what());
  }
  return "accepted";
}

} // namespace

class GlobalBatchTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  // 7 examples in micro-batches of 3 over 2 ranks: [0 1 2] [3 4 5] [6] cut as 1 + 2, 1 + 2, 0 + 1.
  void sharesCoverEveryExampleOnce() {
    const std::vector<std::size_t> global = {10, 11, 12, 13, 14, 15, 16};
    using Shares = std::vector<std::vector<std::size_t>>;
    QCOMPARE(train::sharesOf(global, 3, 0, 2), (Shares{{10}, {13}}));
    QCOMPARE(train::sharesOf(global, 3, 1, 2), (Shares{{11, 12}, {14, 15}, {16}}));
    QCOMPARE(train::sharesOf(global, 3, 0, 1), (Shares{{10, 11, 12}, {13, 14, 15}, {16}}));
    QCOMPARE(train::sharesOf(global, 0, 0, 1), (Shares{global})); // no micro-batches: the whole step
    std::vector<std::size_t> seen;
    for (int rank = 0; rank < 3; ++rank)
      for (const auto& share : train::sharesOf(global, 4, rank, 3)) seen.insert(seen.end(), share.begin(), share.end());
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen, global);
  }

  void stepsCountGlobalBatches() {
    train::LoopSettings loop;
    loop.epochs = 2;
    loop.batchSize = 3;
    loop.gradientAccumulationSteps = 2;
    QCOMPARE(train::stepsFor(13, loop), std::int64_t(6)); // ceil(13 / 6) = 3 per epoch
    QCOMPARE(train::positionAt(4, 13, loop).epoch, 1);
    QCOMPARE(train::positionAt(4, 13, loop).batch, std::int64_t(1));
  }

  // k = 2 micro-batches of 3 give the weights k = 1 with batches of 6 gives. The sequences
  // have 1 to 4 target tokens, so averaging the micro-batches' own means (instead of
  // weighing by tokens) would land elsewhere; 11 sequences leave a short last step.
  void accumulatedSftEqualsOneLargeBatch() {
    std::vector<train::TokenSequence> data;
    for (int i = 0; i < 11; ++i) {
      train::TokenSequence s;
      const int prompt = 2 + i % 3, targets = 1 + i % 4;
      for (int t = 0; t < prompt + targets; ++t) {
        s.ids.push_back(1 + (i * 7 + t * 3) % 30);
        s.target.push_back(t >= prompt ? 1 : 0);
      }
      data.push_back(s);
    }
    std::map<int, std::map<std::int64_t, double>> losses;
    std::map<int, std::vector<at::Tensor>> weights;
    double largestNorm = 0.0;
    for (const auto& [batch, accumulation] : {std::pair{6, 1}, std::pair{3, 2}, std::pair{2, 3}}) {
      model::CausalLmImpl lm(tinyConfig());
      lm.initialiseRandomly(5);
      train::trainSft(lm, data, loopOf(batch, accumulation, data.size()), [&](std::int64_t step, const auto& m) {
        losses[accumulation][step] = m.at("loss");
        largestNorm = std::max(largestNorm, m.at("grad_norm"));
      });
      weights[accumulation] = weightsOf(lm);
    }
    QCOMPARE(losses[1].size(), std::size_t(6)); // 2 steps per epoch
    QVERIFY(largestNorm > 0.5); // clipping took part
    for (int accumulation : {2, 3}) {
      QCOMPARE(losses[accumulation].size(), losses[1].size());
      for (const auto& [step, loss] : losses[1]) QVERIFY(std::abs(losses[accumulation][step] - loss) < 1e-6 * loss);
      const double gap = relativeGap(weights[accumulation], weights[1]);
      qInfo("SFT, %d micro-batches: weights within %.2e (relative) of one batch", accumulation, gap);
      QVERIFY2(gap < 1e-6, qPrintable(QString::number(gap)));
    }
    // And the steps did move the weights: the comparison is not between two starts.
    model::CausalLmImpl start(tinyConfig());
    start.initialiseRandomly(5);
    QVERIFY(relativeGap(weightsOf(start), weights[1]) > 1e-3);
  }

  // DPO: the sigmoid loss is a mean over pairs and RPO's NLL a mean over the batch's
  // chosen tokens (2 or 3 per pair here).
  void accumulatedDpoEqualsOneLargeBatch() {
    model::CausalLmImpl reference(tinyConfig());
    reference.initialiseRandomly(4);
    std::vector<train::PreferenceExample> data;
    for (int i = 0; i < 11; ++i) {
      std::vector<std::int64_t> chosen = {20, 21 + i % 2};
      if (i % 3 == 0) chosen.push_back(25);
      data.push_back({{1, 2, 3 + i % 5}, chosen, {22, 23}});
    }
    const train::ReferenceLogProbs logps = train::referenceLogProbs(reference, data);
    const train::DpoSettings dpo{0.1, 1.0};
    std::map<int, std::map<std::int64_t, std::map<std::string, double>>> metrics;
    std::map<int, std::vector<at::Tensor>> weights;
    for (const auto& [batch, accumulation] : {std::pair{6, 1}, std::pair{3, 2}}) {
      model::CausalLmImpl policy(tinyConfig());
      policy.initialiseRandomly(4);
      train::trainDpo(policy, logps, data, dpo, loopOf(batch, accumulation, data.size()),
                      [&](std::int64_t step, const auto& m) { metrics[accumulation][step] = m; });
      weights[accumulation] = weightsOf(policy);
    }
    QCOMPARE(metrics[2].size(), metrics[1].size());
    QVERIFY(metrics[1].at(1).at("grad_norm") > 0.5); // clipping took part
    for (const auto& [step, one] : metrics[1])
      for (const char* key : {"loss", "nll_loss", "rewards/chosen", "rewards/margins", "rewards/accuracies", "logps/rejected",
                              "grad_norm", "learning_rate"})
        QVERIFY2(std::abs(metrics[2][step].at(key) - one.at(key)) <= 1e-6 * std::max(1.0, std::abs(one.at(key))),
                 qPrintable(QString("step %1 %2: %3 vs %4").arg(step).arg(key).arg(metrics[2][step].at(key)).arg(one.at(key))));
    const double gap = relativeGap(weights[2], weights[1]);
    qInfo("DPO, 2 micro-batches: weights within %.2e (relative) of one batch", gap);
    QVERIFY2(gap < 1e-6, qPrintable(QString::number(gap)));
  }

  void environmentReadsTorchrunVariables() {
    const auto alone = environmentOf({});
    QVERIFY(!alone.distributed());
    QCOMPARE(alone.rank, 0);
    const auto second = environmentOf({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "10.0.0.5"},
                                       {"MASTER_PORT", "29500"}, {"COLLAB_DIST_TIMEOUT", "45"}});
    QVERIFY(second.distributed());
    QCOMPARE(second.rank, 1);
    QCOMPARE(second.localRank, 1);
    QCOMPARE(second.masterAddress, std::string("10.0.0.5"));
    QCOMPARE(second.masterPort, 29500);
    QCOMPARE(second.timeout.count(), std::int64_t(45000));
    QCOMPARE(second.describe(), std::string("rank 1 of 2"));
  }

  // torchrun's one process per GPU: "cuda" is the rank's own GPU, by LOCAL_RANK.
  void eachRankTakesItsLocalGpu() {
    const auto alone = environmentOf({});
    const auto rankOn = [](const char* localRank) {
      return environmentOf({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", localRank}, {"MASTER_ADDR", "10.0.0.5"},
                            {"MASTER_PORT", "29500"}});
    };
    QCOMPARE(train::rankDevice("cuda", alone, 8), std::string("cuda"));
    QCOMPARE(train::rankDevice("cuda", rankOn("1"), 2), std::string("cuda:1"));
    QCOMPARE(train::rankDevice("cuda", rankOn("3"), 4), std::string("cuda:3"));
    // srun --gpus-per-task=1: each rank sees only its own GPU.
    QCOMPARE(train::rankDevice("cuda", rankOn("3"), 1), std::string("cuda:0"));
    QCOMPARE(train::rankDevice("cuda", rankOn("5"), 4), std::string("cuda:1"));
    // No GPU: left for the device check to refuse with its own message.
    QCOMPARE(train::rankDevice("cuda", rankOn("1"), 0), std::string("cuda"));
    QCOMPARE(train::rankDevice("cuda:0", rankOn("1"), 2), std::string("cuda:0"));
    QCOMPARE(train::rankDevice("cpu", rankOn("1"), 2), std::string("cpu"));
    // A process alone, as this test is: the configured device unchanged, and the CPU is
    // nothing to make current.
    QCOMPARE(train::thisRanksDevice("cuda"), std::string("cuda"));
    train::makeCurrentDevice("cpu");
  }

  void environmentRefusesBadValues() {
    const Lookup good = {{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29500"}};
    const auto with = [&good](const std::string& name, const char* value) {
      Lookup v = good;
      if (value) v[name] = value;
      else v.erase(name);
      return refusal(v);
    };
    QCOMPARE(refusal(good), QString("accepted"));
    QCOMPARE(with("MASTER_PORT", "abc"), QString("environment: MASTER_PORT=\"abc\": expected an integer in [1, 65535]"));
    QCOMPARE(with("MASTER_PORT", "70000"), QString("environment: MASTER_PORT=\"70000\": expected an integer in [1, 65535]"));
    QCOMPARE(with("RANK", "2"), QString("environment: RANK=\"2\": expected an integer in [0, 1]"));
    QCOMPARE(with("WORLD_SIZE", "0"), QString("environment: WORLD_SIZE=\"0\": expected an integer in [1, 1048576]"));
    QVERIFY(with("RANK", nullptr).contains("RANK is unset"));
    QVERIFY(with("MASTER_ADDR", nullptr).contains("MASTER_ADDR is unset"));
    QVERIFY(with("MASTER_PORT", nullptr).contains("MASTER_PORT is unset"));
  }
};

QTEST_APPLESS_MAIN(GlobalBatchTest)
#include "tst_global_batch.moc"

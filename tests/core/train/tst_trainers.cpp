// Training pieces against hand-computed values: DPO's loss and metrics, the learning-rate
// schedule, batch targets; and that the loops learn: SFT drives the loss of a fixed batch
// down, DPO separates chosen from rejected.

#include "model/Transformer.h"
#include "train/Losses.h"
#include "train/Optimiser.h"
#include "train/Trainers.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace collab;

namespace {

model::ModelConfig tinyConfig() {
  model::ModelConfig c;
  c.vocabSize = 32, c.hiddenSize = 32, c.intermediateSize = 64, c.layers = 2, c.heads = 4, c.kvHeads = 2, c.headDim = 8;
  c.tieEmbeddings = true;
  return c;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

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

bool sameWeights(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!at::equal(a[i], b[i])) return false;
  return a.size() == b.size();
}

// What a loop saved at one checkpoint.
struct Snapshot {
  train::LoopPosition position;
  std::vector<at::Tensor> weights;
  std::string optimiserState;
};

// One loop's record: the loss of each step and its checkpoints by step.
struct Recorded {
  std::map<std::int64_t, double> losses;
  std::map<std::int64_t, Snapshot> checkpoints;
  std::vector<std::int64_t> steps() const {
    std::vector<std::int64_t> out;
    for (const auto& item : checkpoints) out.push_back(item.first);
    return out;
  }
};

// A resumable loop (a checkpoint every 4 steps) whose checkpoints go to `record`, the
// optimiser states as files in `directory`.
train::LoopSettings recordingLoop(train::LoopSettings loop, model::CausalLmImpl& lm, Recorded& record,
                                  const QTemporaryDir& directory) {
  loop.checkpointEvery = 4;
  loop.onCheckpoint = [&record, &lm, &directory](const train::LoopPosition& position, const train::Optimiser& optimiser) {
    const std::string state = directory.filePath(QString("optimiser-%1.pt").arg(record.checkpoints.size())).toStdString();
    optimiser.save(state);
    record.checkpoints[position.step] = {position, weightsOf(lm), state};
  };
  return loop;
}

// The loop going on from `from`, as `collab train --resume` does.
train::LoopSettings resumedLoop(train::LoopSettings loop, model::CausalLmImpl& lm, const Snapshot& from) {
  setWeights(lm, from.weights);
  loop.start = from.position;
  loop.optimiserState = from.optimiserState;
  return loop;
}

} // namespace

class TrainersTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void dpoLossMatchesHandComputation() {
    // β = 0.5; pair 1: chosen +1 over its reference, rejected -1 → margin 2 × 0.5 = 1.
    // pair 2: chosen -1, rejected +0.5 → margin -1.5 × 0.5 = -0.75.
    const auto t = [](std::vector<double> v) { return at::tensor(v, at::kDouble).to(at::kFloat); };
    const train::DpoLoss loss = train::dpoLoss(t({-1.0, -3.0}), t({-4.0, -2.5}), t({-2.0, -2.0}), t({-3.0, -3.0}), 0.5);
    const double expected = -(std::log(sigmoid(1.0)) + std::log(sigmoid(-0.75))) / 2;
    QVERIFY(std::abs(loss.loss.item<double>() - expected) < 1e-6);
    QVERIFY(std::abs(loss.rewardsChosen - (0.5 * 1.0 + 0.5 * -1.0) / 2) < 1e-6);
    QVERIFY(std::abs(loss.rewardsRejected - (0.5 * -1.0 + 0.5 * 0.5) / 2) < 1e-6);
    QVERIFY(std::abs(loss.rewardsMargin - (1.0 - 0.75) / 2) < 1e-6);
    QCOMPARE(loss.rewardsAccuracy, 0.5);
    QVERIFY(std::abs(loss.logpsChosen - -2.0) < 1e-6);
  }

  void scheduleWarmsUpThenDecays() {
    train::OptimiserSettings s;
    s.learningRate = 1.0;
    s.warmupSteps = 3;
    s.totalSteps = 13;
    s.minRatio = 0.1;
    at::Tensor p = at::zeros({1}).requires_grad_(true);
    train::Optimiser optimiser({p}, s);
    QCOMPARE(optimiser.learningRateAt(0), 0.25); // (0 + 1) / (3 + 1)
    QCOMPARE(optimiser.learningRateAt(2), 0.75);
    QCOMPARE(optimiser.learningRateAt(3), 1.0);  // cosine starts at the peak
    QVERIFY(std::abs(optimiser.learningRateAt(8) - (0.1 + 0.9 * 0.5)) < 1e-12); // halfway: cos(π/2) = 0
    QVERIFY(std::abs(optimiser.learningRateAt(13) - 0.1) < 1e-12);
  }

  void optimiserStepsAsLibTorchAdamW() {
    // Optimiser::step updates float32 CPU parameters in one fused pass; it must take the same
    // steps as clip_grad_norm_ + torch::optim::AdamW (what it called before), to float rounding,
    // with clipping on (norms well above the limit) and off, with and without weight decay.
    for (const double decay : {0.0, 0.1}) {
      for (const double limit : {0.5, 0.0}) {
        train::OptimiserSettings s;
        s.learningRate = 1e-2;
        s.weightDecay = decay;
        s.totalSteps = 6;
        s.maxGradNorm = limit;
        auto generator = at::detail::createCPUGenerator(11);
        const std::vector<at::Tensor> start = {at::randn({300, 7}, generator), at::randn({5}, generator),
                                               at::randn({1}, generator)};
        std::vector<at::Tensor> ours, theirs;
        for (const auto& t : start) {
          ours.push_back(t.clone().requires_grad_(true));
          theirs.push_back(t.clone().requires_grad_(true));
        }
        train::Optimiser optimiser(ours, s);
        torch::optim::AdamW adamw(theirs, torch::optim::AdamWOptions(s.learningRate).weight_decay(decay));
        for (std::int64_t step = 0; step < s.totalSteps; ++step) {
          for (std::size_t i = 0; i < start.size(); ++i) {
            const at::Tensor grad = at::randn(start[i].sizes(), generator) * 3.0;
            ours[i].mutable_grad() = grad.clone();
            theirs[i].mutable_grad() = grad.clone();
          }
          const double norm = optimiser.step().gradNorm;
          const double expected =
              torch::nn::utils::clip_grad_norm_(theirs, limit > 0 ? limit : std::numeric_limits<double>::infinity());
          for (auto& group : adamw.param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(optimiser.learningRateAt(step));
          adamw.step();
          adamw.zero_grad();
          QCOMPARE(norm, expected);
          for (std::size_t i = 0; i < start.size(); ++i) {
            const double gap = (ours[i] - theirs[i]).abs().max().item<double>();
            QVERIFY2(gap < 1e-6, qPrintable(QString("step %1, tensor %2: %3 apart").arg(step).arg(i).arg(gap)));
            QCOMPARE(ours[i].grad().abs().max().item<double>(), 0.0); // zeroed
          }
        }
        // The moments are kept in the AdamW's own state: save() writes what LibTorch's AdamW loads.
        QCOMPARE(optimiser.stepsTaken(), s.totalSteps);
        QTemporaryDir dir;
        const std::string path = dir.filePath("optimiser.pt").toStdString();
        optimiser.save(path);
        std::vector<at::Tensor> copies;
        for (const auto& t : start) copies.push_back(t.clone().requires_grad_(true));
        torch::optim::AdamW restored(copies, torch::optim::AdamWOptions(s.learningRate));
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        restored.load(archive);
        for (std::size_t i = 0; i < start.size(); ++i) {
          auto key = [](const at::Tensor& t) { return c10::guts::to_string(t.unsafeGetTensorImpl()); };
          const auto& mine = static_cast<torch::optim::AdamWParamState&>(*restored.state().at(key(copies[i])));
          const auto& reference = static_cast<torch::optim::AdamWParamState&>(*adamw.state().at(key(theirs[i])));
          QCOMPARE(mine.step(), reference.step());
          QVERIFY((mine.exp_avg() - reference.exp_avg()).abs().max().item<double>() < 1e-6);
          const double gapSq = (mine.exp_avg_sq() - reference.exp_avg_sq()).abs().max().item<double>();
          QVERIFY2(gapSq < 1e-6 * reference.exp_avg_sq().abs().max().item<double>(), qPrintable(QString::number(gapSq)));
        }
      }
    }
  }

  void batchesMarkTheTargetsOfTheNextToken() {
    const train::TokenBatch batch = train::TokenBatch::of({{{5, 6, 7, 8}, {0, 0, 1, 1}}, {{9, 10}, {0, 1}}});
    QCOMPARE(batch.ids.sizes().vec(), (std::vector<std::int64_t>{2, 4}));
    QCOMPARE(batch.targets[0].sum().item<float>(), 2.0f);
    QCOMPARE(batch.targets[0][1].item<float>(), 1.0f); // predicting token 7 (position 2)
    QCOMPARE(batch.targets[1][0].item<float>(), 1.0f);
    QCOMPARE(batch.targets[1][1].item<float>(), 0.0f); // padding never counts
    QVERIFY(!batch.keyMask[1][2].item<bool>());
  }

  void sftLearnsAFixedBatch() {
    model::CausalLmImpl lm(tinyConfig());
    lm.initialiseRandomly(3);
    std::vector<train::TokenSequence> data;
    for (int i = 0; i < 8; ++i) data.push_back({{1, 2, 3, 4 + i % 4, 9, 10}, {0, 0, 0, 1, 1, 1}});
    train::LoopSettings loop;
    loop.epochs = 40;
    loop.batchSize = 8;
    loop.optimiser.learningRate = 1e-2;
    loop.optimiser.totalSteps = train::stepsFor(data.size(), loop);
    std::vector<double> losses;
    train::trainSft(lm, data, loop, [&](std::int64_t, const auto& m) { losses.push_back(m.at("loss")); });
    QCOMPARE(losses.size(), std::size_t(40));
    qInfo("SFT loss %.3f -> %.3f", losses.front(), losses.back());
    // 9 and 10 become certain; tokens 4..7 are a uniform choice of 4: ln 4 / 3 per token.
    QVERIFY(losses.back() < std::log(4.0) / 3 + 0.1);
    QVERIFY(losses.front() > 2.0);
  }

  void dpoPrefersTheChosen() {
    model::CausalLmImpl policy(tinyConfig()), reference(tinyConfig());
    policy.initialiseRandomly(4);
    reference.initialiseRandomly(4);
    std::vector<train::PreferenceExample> data;
    for (int i = 0; i < 16; ++i) data.push_back({{1, 2, 3 + i % 5}, {20, 21}, {22, 23}});
    train::LoopSettings loop;
    loop.epochs = 20;
    loop.batchSize = 8;
    loop.optimiser.learningRate = 5e-3;
    loop.optimiser.totalSteps = train::stepsFor(data.size(), loop);
    std::map<std::string, double> last;
    train::trainDpo(policy, reference, data, {0.1, 0.0}, loop, [&](std::int64_t, const auto& m) { last = m; });
    QCOMPARE(last.at("rewards/accuracies"), 1.0);
    QVERIFY(last.at("rewards/margins") > 0.5);
    QVERIFY(last.at("loss") < std::log(2.0) - 0.2);
  }

  // A loop stopped between checkpoints and resumed from its last one (weights, AdamW
  // moments and step count, position) takes exactly the steps the uninterrupted loop
  // takes: the same losses to the last bit and the same final weights. One thread: the
  // comparison is within one process, but the same thread count is what makes it exact.
  void resumedSftMatchesTheUninterruptedLoop() {
    at::set_num_threads(1);
    std::vector<train::TokenSequence> data;
    for (int i = 0; i < 10; ++i) data.push_back({{1, 2, 3, 4 + i % 5, 9 + i % 3, 10}, {0, 0, 0, 1, 1, 1}});
    train::LoopSettings loop;
    loop.epochs = 4;
    loop.batchSize = 3; // 4 batches per epoch, the last one short
    loop.optimiser.learningRate = 1e-2;
    loop.optimiser.warmupSteps = 3;
    loop.optimiser.weightDecay = 0.01;
    loop.optimiser.totalSteps = train::stepsFor(data.size(), loop);
    QTemporaryDir dir;

    model::CausalLmImpl full(tinyConfig());
    full.initialiseRandomly(5);
    Recorded uninterrupted;
    train::trainSft(full, data, recordingLoop(loop, full, uninterrupted, dir),
                    [&](std::int64_t step, const auto& m) { uninterrupted.losses[step] = m.at("loss"); });
    QCOMPARE(uninterrupted.steps(), (std::vector<std::int64_t>{4, 8, 12, 16}));

    // Stopped before step 11: checkpoints at 4 and 8 (every 4) and at 10 (the stop's).
    model::CausalLmImpl first(tinyConfig());
    first.initialiseRandomly(5);
    Recorded interrupted;
    train::trainSft(first, data, recordingLoop(loop, first, interrupted, dir),
                    [&](std::int64_t step, const auto& m) { interrupted.losses[step] = m.at("loss"); },
                    [&] { return interrupted.losses.size() == 10; });
    QCOMPARE(interrupted.steps(), (std::vector<std::int64_t>{4, 8, 10}));
    const Snapshot& last = interrupted.checkpoints.at(10);
    QCOMPARE(last.position.epoch, 2);
    QCOMPARE(last.position.batch, std::int64_t(2));

    model::CausalLmImpl resumed(tinyConfig(), model::CausalLmImpl::Weights::Unset);
    train::trainSft(resumed, data, resumedLoop(recordingLoop(loop, resumed, interrupted, dir), resumed, last),
                    [&](std::int64_t step, const auto& m) {
                      QVERIFY2(!interrupted.losses.count(step), "a step before the checkpoint was trained again");
                      interrupted.losses[step] = m.at("loss");
                    });
    QCOMPARE(interrupted.losses.size(), uninterrupted.losses.size());
    for (const auto& [step, loss] : uninterrupted.losses) QCOMPARE(interrupted.losses.at(step), loss); // bit for bit
    QVERIFY(sameWeights(weightsOf(resumed), weightsOf(full)));
  }

  // DPO killed after step 6 goes on from its checkpoint at 4: steps 5 and 6 are trained
  // again, to the same values, and so is everything after.
  void resumedDpoMatchesTheUninterruptedLoop() {
    at::set_num_threads(1);
    model::CausalLmImpl reference(tinyConfig());
    reference.initialiseRandomly(4);
    std::vector<train::PreferenceExample> data;
    for (int i = 0; i < 12; ++i) data.push_back({{1, 2, 3 + i % 5}, {20, 21 + i % 2}, {22, 23}});
    const train::ReferenceLogProbs logps = train::referenceLogProbs(reference, data);
    train::LoopSettings loop;
    loop.epochs = 3;
    loop.batchSize = 4;
    loop.optimiser.learningRate = 5e-3;
    loop.optimiser.totalSteps = train::stepsFor(data.size(), loop);
    const train::DpoSettings dpo{0.1, 1.0};
    QTemporaryDir dir;
    const auto start = weightsOf(reference);

    model::CausalLmImpl full(tinyConfig(), model::CausalLmImpl::Weights::Unset);
    setWeights(full, start);
    Recorded uninterrupted;
    train::trainDpo(full, logps, data, dpo, recordingLoop(loop, full, uninterrupted, dir),
                    [&](std::int64_t step, const auto& m) { uninterrupted.losses[step] = m.at("loss"); });

    model::CausalLmImpl first(tinyConfig(), model::CausalLmImpl::Weights::Unset);
    setWeights(first, start);
    Recorded killed;
    train::trainDpo(first, logps, data, dpo, recordingLoop(loop, first, killed, dir),
                    [&](std::int64_t step, const auto& m) { killed.losses[step] = m.at("loss"); },
                    [&] { return killed.losses.size() == 6; });
    QCOMPARE(killed.steps(), (std::vector<std::int64_t>{4, 6}));

    model::CausalLmImpl resumed(tinyConfig(), model::CausalLmImpl::Weights::Unset);
    Recorded after;
    train::trainDpo(resumed, logps, data, dpo, resumedLoop(loop, resumed, killed.checkpoints.at(4)),
                    [&](std::int64_t step, const auto& m) { after.losses[step] = m.at("loss"); });
    QCOMPARE(after.losses.begin()->first, std::int64_t(5));
    QCOMPARE(after.losses.rbegin()->first, std::int64_t(9));
    for (const auto& [step, loss] : after.losses) QCOMPARE(loss, uninterrupted.losses.at(step));
    QVERIFY(sameWeights(weightsOf(resumed), weightsOf(full)));
  }

  void resumeRefusesAMismatchedOptimiserState() {
    model::CausalLmImpl lm(tinyConfig());
    lm.initialiseRandomly(1);
    std::vector<train::TokenSequence> data = {{{1, 2, 3}, {0, 1, 1}}, {{1, 2, 4}, {0, 1, 1}}};
    train::LoopSettings loop;
    loop.epochs = 3;
    loop.batchSize = 1;
    QTemporaryDir dir;
    Recorded record;
    train::trainSft(lm, data, recordingLoop(loop, lm, record, dir), {}, [&] { return !record.checkpoints.empty(); });
    QCOMPARE(record.steps(), (std::vector<std::int64_t>{4}));
    Snapshot wrong = record.checkpoints.at(4);
    wrong.position = {2, 1, 0};
    try {
      train::trainSft(lm, data, resumedLoop(loop, lm, wrong));
      QFAIL("a resume at the wrong step was accepted");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("cannot resume at step 2: the optimiser state has taken 4 steps") != std::string::npos,
               e.what());
    }
  }

  // AdamW's own load pairs states with parameters by position and checks no shape; the
  // fused update would then read moments shorter than the parameter.
  void optimiserRefusesTheStateOfAnotherModel() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("optimiser.pt").toStdString();
    at::Tensor small = at::ones({2, 3}).requires_grad_(true);
    train::Optimiser first({small}, {});
    small.mutable_grad() = at::ones({2, 3});
    first.step();
    first.save(path);
    at::Tensor large = at::ones({4, 3}).requires_grad_(true);
    train::Optimiser second({large}, {});
    try {
      second.load(path);
      QFAIL("the optimiser state of a [2, 3] parameter was loaded for a [4, 3] one");
    } catch (const std::exception& e) {
      QCOMPARE(std::string(e.what()), path + ": parameter 0 has moments of shape [2, 3] but the parameter is [4, 3]: "
                                              "the optimiser state of another model");
    }
    train::Optimiser same({at::ones({2, 3}).requires_grad_(true)}, {});
    same.load(path); // the right model's state still loads
    QCOMPARE(same.stepsTaken(), std::int64_t(1));
  }

  void optimiserRefusesReducedPrecisionWeights() {
    try {
      train::Optimiser optimiser({at::ones({2}), at::ones({4, 3}, at::kBFloat16)}, {});
      QFAIL("bf16 weights were accepted for training");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("parameter 1 [4, 3] is BFloat16") != std::string::npos, e.what());
    }
  }

  void nonFiniteGradientStopsBeforeTheUpdate() {
    at::Tensor p = at::ones({2}).requires_grad_(true);
    train::Optimiser optimiser({p}, {});
    p.mutable_grad() = at::tensor({1.0f, std::numeric_limits<float>::infinity()});
    try {
      optimiser.step();
      QFAIL("an infinite gradient was applied");
    } catch (const std::exception& e) {
      QCOMPARE(std::string(e.what()), std::string("gradient norm is infinite at step 0: training stopped"));
    }
    QVERIFY(at::equal(p, at::ones({2}))); // the weights a checkpoint would keep are finite
    QCOMPARE(optimiser.stepsTaken(), std::int64_t(0));
  }

  void nonFiniteLossStopsTraining() {
    model::CausalLmImpl lm(tinyConfig());
    {
      at::NoGradGuard noGrad;
      lm.model->norm->weight.fill_(std::numeric_limits<float>::quiet_NaN());
    }
    train::LoopSettings loop;
    loop.optimiser.totalSteps = 1;
    std::vector<train::TokenSequence> data = {{{1, 2, 3}, {0, 1, 1}}};
    try {
      train::trainSft(lm, data, loop);
      QFAIL("a NaN loss was accepted");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("loss is NaN at step 0") != std::string::npos, e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TrainersTest)
#include "tst_trainers.moc"

#include "train/Trainers.h"

#include "common/Error.h"
#include "train/Losses.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <numeric>
#include <random>

namespace collab::train {

namespace {

std::vector<at::Tensor> trainable(model::CausalLmImpl& model) {
  std::vector<at::Tensor> out;
  for (auto& p : model.parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

// Example indices for each batch of an epoch, shuffled by (seed, epoch).
std::vector<std::vector<std::size_t>> batchesOf(std::size_t count, int batchSize, std::uint64_t seed, int epoch) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 engine(seed * 1000 + static_cast<std::uint64_t>(epoch));
  for (std::size_t i = count; i > 1; --i) std::swap(order[i - 1], order[engine() % i]); // Fisher-Yates, portable
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t start = 0; start < count; start += static_cast<std::size_t>(batchSize))
    batches.emplace_back(order.begin() + static_cast<long>(start),
                         order.begin() + static_cast<long>(std::min(count, start + static_cast<std::size_t>(batchSize))));
  return batches;
}

void checkFinite(double loss, std::int64_t step) {
  if (std::isfinite(loss)) return;
  const std::string value = std::isnan(loss) ? "NaN" : loss > 0 ? "+inf" : "-inf";
  throw Error("loss is " + value + " at step " + std::to_string(step) + ": training stopped");
}

at::Device deviceOf(model::CausalLmImpl& model) { return model.outputWeight().device(); }

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

std::int64_t stepsFor(std::size_t examples, const LoopSettings& settings) {
  const auto perEpoch = (static_cast<std::int64_t>(examples) + settings.batchSize - 1) / settings.batchSize;
  return perEpoch * settings.epochs;
}

LoopPosition positionAt(std::int64_t step, std::size_t examples, const LoopSettings& settings) {
  const std::int64_t perEpoch = std::max<std::int64_t>(stepsFor(examples, settings) / settings.epochs, 1);
  return {step, static_cast<int>(step / perEpoch), step % perEpoch};
}

TokenSequence continuationSequence(const std::vector<std::int64_t>& prompt, const std::vector<std::int64_t>& continuation) {
  TokenSequence s;
  s.ids = prompt;
  s.ids.insert(s.ids.end(), continuation.begin(), continuation.end());
  s.target.assign(prompt.size(), 0);
  s.target.resize(s.ids.size(), 1);
  return s;
}

namespace {

using BatchStep = std::function<void(const std::vector<std::size_t>& indices, int epoch)>;

// The loop both trainers share: from settings.start, one `step` per batch (each one
// optimiser step), stop requests polled between steps, checkpoints when due. The batches
// of an epoch depend only on (seed, epoch), so a loop resumed at a position trains
// exactly the batches the uninterrupted loop would have.
void runLoop(std::size_t examples, const LoopSettings& settings, Optimiser& optimiser, const BatchStep& step,
             const StopRequested& stop) {
  if (!settings.optimiserState.empty()) optimiser.load(settings.optimiserState);
  const std::int64_t total = stepsFor(examples, settings);
  const std::int64_t perEpoch = total / settings.epochs;
  std::int64_t saved = settings.start.step; // the checkpoint the loop starts from
  if (optimiser.stepsTaken() != saved || saved > total)
    throw Error("cannot resume at step " + std::to_string(saved) + ": the optimiser state has taken " +
                std::to_string(optimiser.stepsTaken()) + " steps, and the loop has " + std::to_string(total));
  const auto checkpoint = [&] {
    if (!settings.onCheckpoint || optimiser.stepsTaken() == saved) return;
    settings.onCheckpoint(positionAt(optimiser.stepsTaken(), examples, settings), optimiser);
    saved = optimiser.stepsTaken();
  };
  std::vector<std::vector<std::size_t>> batches;
  for (std::int64_t i = settings.start.step; i < total; ++i) {
    if (stop && stop()) {
      checkpoint(); // what was trained so far resumes exactly
      return;
    }
    const int epoch = static_cast<int>(i / perEpoch);
    if (batches.empty() || i % perEpoch == 0) batches = batchesOf(examples, settings.batchSize, settings.seed, epoch);
    step(batches[static_cast<std::size_t>(i % perEpoch)], epoch);
    if (settings.checkpointEvery > 0 && optimiser.stepsTaken() % settings.checkpointEvery == 0) checkpoint();
  }
  checkpoint();
}

} // namespace

void trainSft(model::CausalLmImpl& model, const std::vector<TokenSequence>& data, const LoopSettings& settings,
              const MetricsCallback& onStep, const StopRequested& stop) {
  if (data.empty()) throw Error("no SFT examples to train on");
  model.train();
  Optimiser optimiser(trainable(model), settings.optimiser);
  const at::Device device = deviceOf(model);
  const BatchStep step = [&](const std::vector<std::size_t>& indices, int epoch) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<TokenSequence> rows;
    for (auto i : indices) rows.push_back(data[i]);
    const TokenBatch batch = TokenBatch::of(rows).to(device);
    const SftLoss loss = sftLoss(model, batch);
    const double value = loss.loss.item<double>();
    checkFinite(value, optimiser.stepsTaken());
    loss.loss.backward();
    const StepStats stats = optimiser.step();
    if (onStep)
      onStep(optimiser.stepsTaken(), {{"loss", value},
                                      {"learning_rate", stats.learningRate},
                                      {"grad_norm", stats.gradNorm},
                                      {"epoch", epoch + 1.0},
                                      {"num_tokens", loss.tokens},
                                      {"tokens_per_second", batch.keyMask.sum().item<double>() / seconds(started)}});
  };
  runLoop(data.size(), settings, optimiser, step, stop);
  model.eval();
}

namespace {

// Log-probabilities of the chosen and rejected continuations of every example, in one
// batch of 2B rows: chosen first, then rejected.
std::pair<at::Tensor, at::Tensor> pairLogProbs(model::CausalLmImpl& model, const std::vector<PreferenceExample>& data,
                                               const std::vector<std::size_t>& indices, double* chosenTokens = nullptr) {
  std::vector<TokenSequence> rows;
  for (auto i : indices) rows.push_back(continuationSequence(data[i].prompt, data[i].chosen));
  for (auto i : indices) rows.push_back(continuationSequence(data[i].prompt, data[i].rejected));
  if (chosenTokens) {
    *chosenTokens = 0.0;
    for (auto i : indices) *chosenTokens += static_cast<double>(data[i].chosen.size());
  }
  const at::Tensor logps = sequenceLogProbs(model, TokenBatch::of(rows).to(deviceOf(model)));
  const auto n = static_cast<std::int64_t>(indices.size());
  return {logps.narrow(0, 0, n), logps.narrow(0, n, n)};
}

} // namespace

ReferenceLogProbs referenceLogProbs(model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data) {
  at::NoGradGuard noGrad;
  reference.eval();
  ReferenceLogProbs out{std::vector<double>(data.size()), std::vector<double>(data.size())};
  std::vector<std::size_t> all(data.size());
  std::iota(all.begin(), all.end(), 0);
  for (std::size_t start = 0; start < all.size(); start += 64) {
    const std::vector<std::size_t> chunk(all.begin() + static_cast<long>(start),
                                         all.begin() + static_cast<long>(std::min(all.size(), start + 64)));
    const auto [c, r] = pairLogProbs(reference, data, chunk);
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      out.chosen[chunk[k]] = c[static_cast<std::int64_t>(k)].item<double>();
      out.rejected[chunk[k]] = r[static_cast<std::int64_t>(k)].item<double>();
    }
  }
  return out;
}

std::map<std::string, double> dpoStep(model::CausalLmImpl& policy, const std::vector<PreferenceExample>& data,
                                      const std::vector<std::size_t>& indices, const ReferenceLogProbs& reference,
                                      const DpoSettings& dpo, Optimiser& optimiser) {
  const auto started = std::chrono::steady_clock::now();
  double chosenTokens = 0.0;
  const auto [chosen, rejected] = pairLogProbs(policy, data, indices, &chosenTokens);
  std::vector<double> rc, rr;
  for (auto i : indices) rc.push_back(reference.chosen[i]), rr.push_back(reference.rejected[i]);
  const auto options = chosen.options().dtype(at::kFloat);
  const DpoLoss loss = dpoLoss(chosen.to(at::kFloat), rejected.to(at::kFloat), at::tensor(rc, at::kDouble).to(options),
                               at::tensor(rr, at::kDouble).to(options), dpo.beta);
  at::Tensor total = loss.loss;
  const double nll = -chosen.sum().item<double>() / chosenTokens;
  if (dpo.rpoAlpha > 0) total = total - chosen.sum() / chosenTokens * dpo.rpoAlpha;
  const double value = total.item<double>();
  checkFinite(value, optimiser.stepsTaken());
  total.backward();
  const StepStats stats = optimiser.step();
  return {{"loss", value},
          {"nll_loss", nll},
          {"rewards/chosen", loss.rewardsChosen},
          {"rewards/rejected", loss.rewardsRejected},
          {"rewards/margins", loss.rewardsMargin},
          {"rewards/accuracies", loss.rewardsAccuracy},
          {"logps/chosen", loss.logpsChosen},
          {"logps/rejected", loss.logpsRejected},
          {"learning_rate", stats.learningRate},
          {"grad_norm", stats.gradNorm},
          {"pairs_per_second", static_cast<double>(indices.size()) / seconds(started)}};
}

void trainDpo(model::CausalLmImpl& policy, model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep,
              const StopRequested& stop) {
  if (data.empty()) throw Error("no preference pairs to train on");
  trainDpo(policy, referenceLogProbs(reference, data), data, dpo, settings, onStep, stop);
}

void trainDpo(model::CausalLmImpl& policy, const ReferenceLogProbs& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep,
              const StopRequested& stop) {
  if (data.empty()) throw Error("no preference pairs to train on");
  if (reference.chosen.size() != data.size() || reference.rejected.size() != data.size())
    throw Error("DPO: " + std::to_string(data.size()) + " pairs but " + std::to_string(reference.chosen.size()) +
                " reference log-probabilities");
  policy.train();
  Optimiser optimiser(trainable(policy), settings.optimiser);
  const BatchStep step = [&](const std::vector<std::size_t>& indices, int epoch) {
    auto metrics = dpoStep(policy, data, indices, reference, dpo, optimiser);
    metrics["epoch"] = epoch + 1.0;
    if (onStep) onStep(optimiser.stepsTaken(), metrics);
  };
  runLoop(data.size(), settings, optimiser, step, stop);
  policy.eval();
}

} // namespace collab::train

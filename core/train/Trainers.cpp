#include "train/Trainers.h"

#include "common/Error.h"
#include "train/DataParallel.h"
#include "train/Losses.h"
#include "train/ProcessGroup.h"

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

std::size_t examplesPerStep(const LoopSettings& settings) {
  if (settings.batchSize < 1 || settings.gradientAccumulationSteps < 1)
    throw Error("a training loop needs a batch size and accumulation steps of at least 1");
  return static_cast<std::size_t>(settings.batchSize) * static_cast<std::size_t>(settings.gradientAccumulationSteps);
}

BatchSharing sharingOf(const LoopSettings& settings) {
  return {static_cast<std::size_t>(settings.batchSize), settings.group};
}

std::int64_t stepsFor(std::size_t examples, const LoopSettings& settings) {
  const auto step = static_cast<std::int64_t>(examplesPerStep(settings));
  const auto perEpoch = (static_cast<std::int64_t>(examples) + step - 1) / step;
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

// The loop both trainers share: from settings.start, one `step` per global batch (each
// one optimiser step), stop requests polled between steps, checkpoints when due. The
// batches of an epoch depend only on (seed, epoch), so a loop resumed at a position
// trains exactly the batches the uninterrupted loop would have. With a process group,
// every rank runs this loop in step: they start from rank 0's weights, agree on stopping,
// only rank 0 writes checkpoints, and they check at the end that their weights agree.
void runLoop(std::size_t examples, const LoopSettings& settings, Optimiser& optimiser, const BatchStep& step,
             const StopRequested& stop) {
  if (!settings.optimiserState.empty()) optimiser.load(settings.optimiserState);
  broadcastParameters(settings.group, optimiser.parameters());
  const std::int64_t total = stepsFor(examples, settings);
  const std::int64_t perEpoch = total / settings.epochs;
  std::int64_t saved = settings.start.step; // the checkpoint the loop starts from
  if (optimiser.stepsTaken() != saved || saved > total)
    throw Error("cannot resume at step " + std::to_string(saved) + ": the optimiser state has taken " +
                std::to_string(optimiser.stepsTaken()) + " steps, and the loop has " + std::to_string(total));
  const bool writes = !settings.group || settings.group->rank() == 0;
  const auto checkpoint = [&] {
    if (!settings.onCheckpoint || optimiser.stepsTaken() == saved) return;
    if (writes) settings.onCheckpoint(positionAt(optimiser.stepsTaken(), examples, settings), optimiser);
    saved = optimiser.stepsTaken();
  };
  const auto finish = [&] {
    checkpoint();
    requireSameOnEveryRank(settings.group, fingerprintOf(optimiser.parameters()), "the trained weights");
  };
  const auto perStep = static_cast<int>(examplesPerStep(settings));
  std::vector<std::vector<std::size_t>> batches;
  for (std::int64_t i = settings.start.step; i < total; ++i) {
    if (onAnyRank(settings.group, stop && stop())) {
      finish(); // what was trained so far resumes exactly
      return;
    }
    const int epoch = static_cast<int>(i / perEpoch);
    if (batches.empty() || i % perEpoch == 0) batches = batchesOf(examples, perStep, settings.seed, epoch);
    step(batches[static_cast<std::size_t>(i % perEpoch)], epoch);
    if (settings.checkpointEvery > 0 && optimiser.stepsTaken() % settings.checkpointEvery == 0) checkpoint();
  }
  finish();
}

// The target tokens of `indices`: what the SFT loss of their global batch is a mean over.
double targetTokens(const std::vector<TokenSequence>& data, const std::vector<std::size_t>& indices) {
  double tokens = 0.0;
  for (auto i : indices)
    for (std::size_t t = 1; t < data[i].target.size(); ++t) tokens += data[i].target[t] ? 1.0 : 0.0;
  return tokens;
}

// Folds a list into a fingerprint, its length first: [1 2][3] and [1][2 3] differ.
template <typename T>
std::uint64_t folded(const std::vector<T>& items, std::uint64_t hash) {
  const std::uint64_t size = items.size();
  hash = fingerprintOf(&size, sizeof size, hash);
  return fingerprintOf(items.data(), items.size() * sizeof(T), hash);
}

std::uint64_t dataFingerprint(const std::vector<TokenSequence>& data) {
  std::uint64_t hash = fingerprintOf(nullptr, 0);
  for (const auto& s : data) hash = folded(s.target, folded(s.ids, hash));
  return hash;
}

std::uint64_t dataFingerprint(const std::vector<PreferenceExample>& data, const ReferenceLogProbs& reference) {
  std::uint64_t hash = fingerprintOf(nullptr, 0);
  for (const auto& p : data) hash = folded(p.rejected, folded(p.chosen, folded(p.prompt, hash)));
  return folded(reference.rejected, folded(reference.chosen, hash));
}

} // namespace

void trainSft(model::CausalLmImpl& model, const std::vector<TokenSequence>& data, const LoopSettings& settings,
              const MetricsCallback& onStep, const StopRequested& stop) {
  if (data.empty()) throw Error("no SFT examples to train on");
  requireSameOnEveryRank(settings.group, dataFingerprint(data), "the SFT sequences");
  model.train();
  Optimiser optimiser(trainable(model), settings.optimiser);
  const at::Device device = deviceOf(model);
  const BatchSharing sharing = sharingOf(settings);
  const BatchStep step = [&](const std::vector<std::size_t>& indices, int epoch) {
    const auto started = std::chrono::steady_clock::now();
    // The loss is the mean NLL over the global batch's target tokens: each share adds its
    // tokens' NLL divided by that count, so the shares' gradients sum to the batch's.
    const double tokens = targetTokens(data, indices);
    std::vector<double> sums = {0.0, 0.0}; // loss, tokens (with prompts) in the batch
    for (const auto& share : sharing.sharesOf(indices)) {
      std::vector<TokenSequence> rows;
      for (auto i : share) rows.push_back(data[i]);
      const TokenBatch batch = TokenBatch::of(rows).to(device);
      // Autocast for the forward pass and the loss only: its scope ends before backward, and
      // with it the cast copies of the weights, which the next micro-batch casts afresh.
      const SftLoss loss = [&] {
        const model::Autocast autocast(settings.autocast);
        return sftLoss(model, batch, tokens);
      }();
      loss.loss.backward();
      sums[0] += loss.loss.item<double>();
      sums[1] += batch.keyMask.sum().item<double>();
    }
    allReduceGradients(settings.group, optimiser.parameters(), sums);
    // Before the update, on every rank alike (the summed loss is the same on all).
    checkFinite(sums[0], optimiser.stepsTaken());
    const StepStats stats = optimiser.step();
    if (onStep)
      onStep(optimiser.stepsTaken(), {{"loss", sums[0]},
                                      {"learning_rate", stats.learningRate},
                                      {"grad_norm", stats.gradNorm},
                                      {"epoch", epoch + 1.0},
                                      {"num_tokens", tokens},
                                      {"tokens_per_second", sums[1] / seconds(started)}});
  };
  runLoop(data.size(), settings, optimiser, step, stop);
  model.eval();
}

namespace {

// Log-probabilities of the chosen and rejected continuations of every example, in one
// batch of 2B rows: chosen first, then rejected.
std::pair<at::Tensor, at::Tensor> pairLogProbs(model::CausalLmImpl& model, const std::vector<PreferenceExample>& data,
                                               const std::vector<std::size_t>& indices) {
  std::vector<TokenSequence> rows;
  for (auto i : indices) rows.push_back(continuationSequence(data[i].prompt, data[i].chosen));
  for (auto i : indices) rows.push_back(continuationSequence(data[i].prompt, data[i].rejected));
  const at::Tensor logps = sequenceLogProbs(model, TokenBatch::of(rows).to(deviceOf(model)));
  const auto n = static_cast<std::int64_t>(indices.size());
  return {logps.narrow(0, 0, n), logps.narrow(0, n, n)};
}

} // namespace

ReferenceLogProbs referenceLogProbs(model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
                                    const model::AutocastSettings& autocast, std::size_t pairsPerForward) {
  at::NoGradGuard noGrad;
  reference.eval();
  ReferenceLogProbs out{std::vector<double>(data.size()), std::vector<double>(data.size())};
  std::vector<std::size_t> all(data.size());
  std::iota(all.begin(), all.end(), 0);
  const std::size_t step = std::max<std::size_t>(pairsPerForward, 1);
  for (std::size_t start = 0; start < all.size(); start += step) {
    const std::vector<std::size_t> chunk(all.begin() + static_cast<long>(start),
                                         all.begin() + static_cast<long>(std::min(all.size(), start + step)));
    const model::Autocast scope(autocast);
    const auto [c, r] = pairLogProbs(reference, data, chunk);
    // One copy to the host per chunk, not one per value.
    const at::Tensor chosen = c.to(at::kCPU, at::kDouble).contiguous(), rejected = r.to(at::kCPU, at::kDouble).contiguous();
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      out.chosen[chunk[k]] = chosen.data_ptr<double>()[k];
      out.rejected[chunk[k]] = rejected.data_ptr<double>()[k];
    }
  }
  return out;
}

std::map<std::string, double> dpoStep(model::CausalLmImpl& policy, const std::vector<PreferenceExample>& data,
                                      const std::vector<std::size_t>& indices, const ReferenceLogProbs& reference,
                                      const DpoSettings& dpo, Optimiser& optimiser, const BatchSharing& sharing,
                                      const model::AutocastSettings& autocast) {
  const auto started = std::chrono::steady_clock::now();
  // The loss is a mean over the global batch's pairs (the RPO term: over its chosen
  // tokens): a share's mean loss weighs by its share of the pairs, and the metrics are
  // summed (mean × pairs) then divided by the batch's pairs.
  const auto pairs = static_cast<double>(indices.size());
  double chosenTokens = 0.0;
  for (auto i : indices) chosenTokens += static_cast<double>(data[i].chosen.size());
  // loss, chosen log-probability sum, then the sums of rewards/chosen, rewards/rejected,
  // rewards/margins, rewards/accuracies, logps/chosen, logps/rejected
  std::vector<double> sums(8, 0.0);
  for (const auto& share : sharing.sharesOf(indices)) {
    // The forward pass under autocast, not the backward (see LoopSettings::autocast); the
    // loss is computed in float32 from its log-probabilities.
    const auto [chosen, rejected] = [&] {
      const model::Autocast scope(autocast);
      return pairLogProbs(policy, data, share);
    }();
    std::vector<double> rc, rr;
    for (auto i : share) rc.push_back(reference.chosen[i]), rr.push_back(reference.rejected[i]);
    const auto options = chosen.options().dtype(at::kFloat);
    const DpoLoss loss = dpoLoss(chosen.to(at::kFloat), rejected.to(at::kFloat), at::tensor(rc, at::kDouble).to(options),
                                 at::tensor(rr, at::kDouble).to(options), dpo.beta);
    const auto n = static_cast<double>(share.size());
    at::Tensor total = loss.loss * (n / pairs);
    if (dpo.rpoAlpha > 0) total = total - chosen.sum() / chosenTokens * dpo.rpoAlpha;
    total.backward();
    const double values[] = {total.item<double>(), chosen.sum().item<double>(), loss.rewardsChosen * n,
                             loss.rewardsRejected * n, loss.rewardsMargin * n, loss.rewardsAccuracy * n,
                             loss.logpsChosen * n, loss.logpsRejected * n};
    for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += values[k];
  }
  allReduceGradients(sharing.group, optimiser.parameters(), sums);
  checkFinite(sums[0], optimiser.stepsTaken()); // before the update, on every rank alike
  const StepStats stats = optimiser.step();
  return {{"loss", sums[0]},
          {"nll_loss", -sums[1] / chosenTokens},
          {"rewards/chosen", sums[2] / pairs},
          {"rewards/rejected", sums[3] / pairs},
          {"rewards/margins", sums[4] / pairs},
          {"rewards/accuracies", sums[5] / pairs},
          {"logps/chosen", sums[6] / pairs},
          {"logps/rejected", sums[7] / pairs},
          {"learning_rate", stats.learningRate},
          {"grad_norm", stats.gradNorm},
          {"pairs_per_second", pairs / seconds(started)}};
}

void trainDpo(model::CausalLmImpl& policy, model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep,
              const StopRequested& stop) {
  if (data.empty()) throw Error("no preference pairs to train on");
  trainDpo(policy, referenceLogProbs(reference, data, settings.autocast, static_cast<std::size_t>(settings.batchSize)), data,
           dpo, settings, onStep, stop);
}

void trainDpo(model::CausalLmImpl& policy, const ReferenceLogProbs& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep,
              const StopRequested& stop) {
  if (data.empty()) throw Error("no preference pairs to train on");
  if (reference.chosen.size() != data.size() || reference.rejected.size() != data.size())
    throw Error("DPO: " + std::to_string(data.size()) + " pairs but " + std::to_string(reference.chosen.size()) +
                " reference log-probabilities");
  requireSameOnEveryRank(settings.group, dataFingerprint(data, reference), "the preference pairs");
  policy.train();
  Optimiser optimiser(trainable(policy), settings.optimiser);
  const BatchSharing sharing = sharingOf(settings);
  const BatchStep step = [&](const std::vector<std::size_t>& indices, int epoch) {
    auto metrics = dpoStep(policy, data, indices, reference, dpo, optimiser, sharing, settings.autocast);
    metrics["epoch"] = epoch + 1.0;
    if (onStep) onStep(optimiser.stepsTaken(), metrics);
  };
  runLoop(data.size(), settings, optimiser, step, stop);
  policy.eval();
}

} // namespace collab::train

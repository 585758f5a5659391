#include "train/PpoUpdate.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/Seeds.h"
#include "train/Losses.h"
#include "train/PpoLosses.h"

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

#include <torch/serialize.h>

namespace collab::train {

namespace {

// Per response position (a row's position t predicts token t + 1): the log-probability of
// the token drawn, the entropy of the distribution it was drawn from, and the value.
struct TokenScores {
  at::Tensor logprobs, entropy, values;
};

TokenScores scoreTokens(model::CausalLmImpl& model, const TokenBatch& batch, double temperature, ValueHeadImpl* head) {
  const at::Tensor hidden = model.forward({batch.ids, {}, batch.keyMask});
  const std::int64_t steps = batch.ids.size(1) - 1;
  const at::Tensor states = hidden.narrow(1, 0, steps);
  // Log-probabilities of the distribution the tokens were drawn from: logits / T, as TRL.
  const at::Tensor logp = at::log_softmax(model.logits(states) / temperature, -1);
  TokenScores out;
  out.logprobs = logp.gather(-1, batch.ids.narrow(1, 1, steps).unsqueeze(-1)).squeeze(-1);
  out.entropy = -(logp.exp() * logp).sum(-1);
  if (head) out.values = head->forward(states);
  return out;
}

TokenBatch rowsOf(const TokenBatch& batch, const at::Tensor& index) {
  return {batch.ids.index_select(0, index), batch.keyMask.index_select(0, index), batch.targets.index_select(0, index)};
}

// Minibatches of row indices for one PPO epoch, shuffled by `seed`.
std::vector<std::vector<std::int64_t>> minibatches(std::size_t count, int size, std::uint64_t seed) {
  std::vector<std::int64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 engine(seed);
  for (std::size_t i = count; i > 1; --i) std::swap(order[i - 1], order[engine() % i]); // Fisher-Yates, portable
  std::vector<std::vector<std::int64_t>> out;
  for (std::size_t start = 0; start < count; start += static_cast<std::size_t>(size))
    out.emplace_back(order.begin() + static_cast<long>(start),
                     order.begin() + static_cast<long>(std::min(count, start + static_cast<std::size_t>(size))));
  return out;
}

std::vector<at::Tensor> parametersOf(model::CausalLmImpl& policy, ValueHeadImpl& head) {
  std::vector<at::Tensor> out;
  for (auto& p : policy.parameters())
    if (p.requires_grad()) out.push_back(p);
  for (auto& p : head.parameters()) out.push_back(p);
  return out;
}

// What a batch of rollouts holds before any update: everything PPO's epochs reuse.
struct Rollouts {
  TokenBatch batch;
  at::Tensor logprobs, values, advantages, returns;
  std::map<std::string, double> metrics;
};

} // namespace

PpoTrainer::PpoTrainer(model::CausalLmImpl& policy, model::CausalLmImpl& reference, PpoSettings settings,
                       OptimiserSettings optimiser)
    : policy_(policy), reference_(reference), settings_(settings),
      valueHead_(std::make_shared<ValueHeadImpl>(policy.config().hiddenSize)) {
  if (!(settings_.temperature > 0)) throw Error("PPO needs a sampling temperature above 0 (log-probabilities of logits / T)");
  valueHead_->to(policy_.outputWeight().device());
  optimiser_ = std::make_unique<Optimiser>(parametersOf(policy_, *valueHead_), optimiser);
}

PpoTrainer::~PpoTrainer() = default;

std::int64_t PpoTrainer::steps() const { return optimiser_->stepsTaken(); }

void PpoTrainer::saveCritic(const std::string& path) const {
  torch::serialize::OutputArchive archive;
  valueHead_->save(archive);
  archive.write("iterations", at::tensor(static_cast<std::int64_t>(iterations_), at::kLong));
  std::ostringstream bytes;
  archive.save_to(bytes);
  writeFileAtomically(path, bytes.str());
}

void PpoTrainer::loadCritic(const std::string& path) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path, valueHead_->weight.device());
    valueHead_->load(archive);
    at::Tensor iterations;
    archive.read("iterations", iterations);
    iterations_ = static_cast<int>(iterations.item<std::int64_t>());
  } catch (const c10::Error& e) {
    throw Error(path + ": not a PPO value head this policy can load: " + e.what_without_backtrace());
  }
}

std::map<std::string, double> PpoTrainer::update(const std::vector<PpoSample>& samples, const RolloutsCallback& onRollouts,
                                                 const MetricsCallback& onStep, const StopRequested& stop) {
  if (samples.empty()) throw Error("no PPO samples to train on");
  const at::Device device = policy_.outputWeight().device();
  std::vector<TokenSequence> sequences;
  std::vector<double> scoreValues;
  for (const auto& s : samples) {
    if (s.response.empty()) throw Error("a PPO sample with an empty response");
    sequences.push_back(continuationSequence(s.prompt, s.response));
    scoreValues.push_back(s.score);
  }
  Rollouts r;
  r.batch = TokenBatch::of(sequences).to(device);
  const at::Tensor& mask = r.batch.targets;
  {
    at::NoGradGuard noGrad;
    policy_.eval();
    reference_.eval();
    const TokenScores old = scoreTokens(policy_, r.batch, settings_.temperature, valueHead_.get());
    const TokenScores ref = scoreTokens(reference_, r.batch, settings_.temperature, nullptr);
    r.logprobs = old.logprobs * mask;
    r.values = old.values * mask;
    const at::Tensor scores = at::tensor(scoreValues, at::kDouble).to(mask.options());
    const at::Tensor kl = (r.logprobs - ref.logprobs * mask) * mask;
    const at::Tensor rewards = tokenRewards(r.logprobs, ref.logprobs * mask, mask, scores, settings_.klCoef);
    const Advantages gae = generalisedAdvantages(rewards, r.values, mask, settings_.gamma, settings_.lambda);
    r.advantages = whiten(gae.advantages, mask);
    r.returns = gae.returns;
    const double nonScore = (-settings_.klCoef * kl).sum(1).mean().item<double>();
    r.metrics = {{"objective/kl", kl.sum(1).mean().item<double>()},
                 {"objective/entropy", (-r.logprobs).sum(1).mean().item<double>()},
                 {"objective/non_score_reward", nonScore},
                 {"objective/scores", scores.mean().item<double>()},
                 {"objective/rlhf_reward", scores.mean().item<double>() + nonScore},
                 {"val/mean", maskedMean(r.values, mask).item<double>()},
                 {"responses", static_cast<double>(samples.size())}};
  }
  if (onRollouts) onRollouts(r.metrics);
  policy_.train();
  const std::uint64_t iteration = static_cast<std::uint64_t>(iterations_++);
  for (int epoch = 0; epoch < settings_.epochs; ++epoch) {
    const std::uint64_t order = mixSeed(mixSeed(settings_.seed, iteration), static_cast<std::uint64_t>(epoch));
    for (const auto& rows : minibatches(samples.size(), settings_.batchSize, order)) {
      if (stop && stop()) return r.metrics;
      const auto started = std::chrono::steady_clock::now();
      const at::Tensor index = at::tensor(rows, at::kLong).to(device);
      const TokenBatch minibatch = rowsOf(r.batch, index);
      const TokenScores now = scoreTokens(policy_, minibatch, settings_.temperature, valueHead_.get());
      const at::Tensor& m = minibatch.targets;
      const PpoLoss loss = ppoLoss(now.logprobs * m, r.logprobs.index_select(0, index), r.advantages.index_select(0, index),
                                   now.values * m, r.values.index_select(0, index), r.returns.index_select(0, index), m,
                                   settings_.clipRange, settings_.valueClipRange);
      const at::Tensor total = loss.policyLoss + settings_.valueCoef * loss.valueLoss;
      const double value = total.item<double>();
      if (!std::isfinite(value))
        throw Error("PPO loss is not finite at step " + std::to_string(optimiser_->stepsTaken()) + ": training stopped");
      total.backward();
      const StepStats stats = optimiser_->step();
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (onStep)
        onStep(optimiser_->stepsTaken(), {{"loss", value},
                                          {"loss/policy_avg", loss.policyLoss.item<double>()},
                                          {"loss/value_avg", loss.valueLoss.item<double>()},
                                          {"policy/approxkl_avg", loss.approxKl},
                                          {"policy/clipfrac_avg", loss.clipFraction},
                                          {"policy/entropy_avg", maskedMean(now.entropy.detach(), m).item<double>()},
                                          {"val/clipfrac_avg", loss.valueClipFraction},
                                          {"val/ratio", loss.ratio},
                                          {"learning_rate", stats.learningRate},
                                          {"grad_norm", stats.gradNorm},
                                          {"ppo_epoch", epoch + 1.0},
                                          {"responses_per_second", static_cast<double>(rows.size()) / seconds}});
    }
  }
  policy_.eval();
  return r.metrics;
}

} // namespace collab::train

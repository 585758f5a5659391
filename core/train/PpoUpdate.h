#pragma once

#include "model/Transformer.h"
#include "train/Optimiser.h"
#include "train/Trainers.h"
#include "train/ValueHead.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace collab::train {

// A response the policy drew after a prompt, and its score (for the built-in policy, the
// response's multiturn-aware reward).
struct PpoSample {
  std::vector<std::int64_t> prompt, response;
  double score = 0.0;
};

// TRL's PPOConfig names in comments; defaults are TRL's, except γ and λ which follow the
// issue (γ = 1, λ = 0.95, as TRL's too).
struct PpoSettings {
  double klCoef = 0.05;         // kl_coef: weight of the per-token KL penalty to the reference
  double gamma = 1.0;           // gamma
  double lambda = 0.95;         // lam
  double clipRange = 0.2;       // cliprange (ε)
  double valueClipRange = 0.2;  // cliprange_value
  double valueCoef = 0.1;       // vf_coef
  double temperature = 1.0;     // the sampling temperature: log-probabilities are of logits / T
  int epochs = 4;               // num_ppo_epochs over each batch of rollouts
  int batchSize = 16;           // responses per optimiser step (a minibatch)
  std::uint64_t seed = 0;       // minibatch order
};

// PPO with a value head on the policy's trunk and a frozen reference. One trainer lives
// for a whole stage, so that the optimiser's moments and step count carry over from one
// batch of rollouts to the next.
class PpoTrainer {
public:
  PpoTrainer(model::CausalLmImpl& policy, model::CausalLmImpl& reference, PpoSettings settings,
             OptimiserSettings optimiser);
  ~PpoTrainer();

  // One PPO iteration on freshly drawn samples: log-probabilities of the policy as it drew
  // them and of the reference, values, per-token rewards, GAE, whitened advantages; then
  // `epochs` passes of clipped updates over shuffled minibatches. onStep gets each
  // optimiser step's metrics (TRL's names); onRollouts the batch's objective/* metrics,
  // measured before the update (also returned). Stops between steps when `stop` says so.
  using RolloutsCallback = std::function<void(const std::map<std::string, double>& metrics)>;
  std::map<std::string, double> update(const std::vector<PpoSample>& samples, const RolloutsCallback& onRollouts = {},
                                       const MetricsCallback& onStep = {}, const StopRequested& stop = {});

  std::int64_t steps() const;
  ValueHeadImpl& valueHead() { return *valueHead_; }
  // Its optimiser, over the policy's trainable weights and the value head's.
  Optimiser& optimiser() { return *optimiser_; }
  const Optimiser& optimiser() const { return *optimiser_; }

  // What a resumed stage needs besides the policy and the optimiser: the value head's
  // weights and the iteration count (each iteration's minibatch order depends on it), in
  // LibTorch's archive format, written atomically. load() names the file on an error.
  void saveCritic(const std::string& path) const;
  void loadCritic(const std::string& path);

private:
  model::CausalLmImpl& policy_;
  model::CausalLmImpl& reference_;
  PpoSettings settings_;
  std::shared_ptr<ValueHeadImpl> valueHead_;
  std::unique_ptr<Optimiser> optimiser_;
  int iterations_ = 0;
};

} // namespace collab::train

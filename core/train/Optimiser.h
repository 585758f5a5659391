#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace torch::optim {
class AdamW;
}

namespace collab::train {

// AdamW with linear warm-up then cosine decay to `minRatio` of the peak, and gradient
// clipping by global norm: the usual recipe for fine-tuning (TRL's defaults are similar).
struct OptimiserSettings {
  double learningRate = 1e-4;
  double weightDecay = 0.0;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  std::int64_t warmupSteps = 0;
  std::int64_t totalSteps = 1;
  double minRatio = 0.0;
  double maxGradNorm = 1.0; // <= 0: no clipping
};

struct StepStats {
  double learningRate = 0.0; // the rate this step used
  double gradNorm = 0.0;     // before clipping
};

class Optimiser {
public:
  Optimiser(std::vector<at::Tensor> parameters, OptimiserSettings settings);
  ~Optimiser();

  // The learning rate at optimiser step `step` (0-based).
  double learningRateAt(std::int64_t step) const;
  // Clips, applies the update with the scheduled rate, zeroes the gradients. A NaN or
  // infinite gradient norm is an Error, thrown before anything is updated.
  StepStats step();
  std::int64_t stepsTaken() const { return steps_; }
  // What it updates (the trainable parameters it was given).
  const std::vector<at::Tensor>& parameters() const { return parameters_; }

  // Optimiser state (moments, step count) for checkpoints and resume.
  void save(const std::string& path) const;
  void load(const std::string& path);

private:
  void zeroGradients();
  void checkLoadedStates(const std::string& path) const;

  std::vector<at::Tensor> parameters_;
  OptimiserSettings settings_;
  std::unique_ptr<torch::optim::AdamW> adam_;
  std::int64_t steps_ = 0;
};

} // namespace collab::train

#pragma once

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <cstdint>

namespace collab::train {

// PPO's critic: a linear map from the policy's final hidden state to a value (TRL's
// AutoModelForCausalLMWithValueHead), sharing the policy's trunk. It starts at zero, so the
// first values are 0 and the first advantages are the rewards themselves; it lives only
// for the stage (the checkpoint is the policy's).
class ValueHeadImpl : public torch::nn::Module {
public:
  explicit ValueHeadImpl(std::int64_t hiddenSize);
  // hidden [..., H] -> values [...], in float32 whatever the trunk's dtype.
  at::Tensor forward(const at::Tensor& hidden);

  at::Tensor weight; // [1, H]
  at::Tensor bias;   // [1]
};

} // namespace collab::train

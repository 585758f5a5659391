#pragma once

#include "model/PackedLinear.h"

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace collab::model {

// A module holding one matrix named "weight", so that parameter names come out as HF and
// PEFT write them: "model.embed_tokens.weight", "lm_head.weight", "q_proj.lora_A.weight".
class WeightImpl : public torch::nn::Module {
public:
  explicit WeightImpl(at::Tensor initial) { weight = register_parameter("weight", std::move(initial)); }
  at::Tensor weight;
};

// A linear layer y = x Wᵀ + b (HF's nn.Linear, same parameter names), which can carry a
// LoRA adapter: y += (α/r) · B A dropout(x), with W frozen while A and B train.
class ProjectionImpl : public torch::nn::Module {
public:
  ProjectionImpl(std::int64_t inFeatures, std::int64_t outFeatures, bool bias);

  at::Tensor forward(const at::Tensor& x);

  // Adds a fresh adapter (A Kaiming-uniform, B zero, as PEFT initialises them, so the
  // output is unchanged until B trains) and freezes the base weight and bias. On a bf16 or
  // f16 base the adapter is float32, as PEFT keeps it (autocast_adapter_dtype): updates of
  // a 5e-6 learning rate survive, an adapter read from a file keeps its values, and the
  // adapters are small.
  void addAdapter(std::int64_t rank, double alpha, double dropout);
  bool hasAdapter() const { return loraA_ != nullptr; }
  // Folds (α/r) B A into W and drops the adapter; the layer computes the same function.
  void mergeAdapter();
  // Disabled, the layer is its base: DPO uses that as the frozen reference policy.
  void setAdapterEnabled(bool enabled) { adapterEnabled_ = enabled; }
  double adapterScale() const { return scale_; }
  // The base weight as packed for inference on CPU (PackedLinear.h).
  PackedLinear& packed() { return *packed_; }

  at::Tensor weight;
  at::Tensor bias; // undefined when the layer has none

private:
  std::shared_ptr<PackedLinear> packed_ = std::make_shared<PackedLinear>(); // the base weight, for inference
  std::shared_ptr<WeightImpl> loraA_;
  std::shared_ptr<WeightImpl> loraB_;
  double scale_ = 0.0;
  double dropout_ = 0.0;
  bool adapterEnabled_ = true;
};

using Projection = std::shared_ptr<ProjectionImpl>;

} // namespace collab::model

#pragma once

#include "model/KvCache.h"
#include "model/ModelConfig.h"
#include "model/PackedLinear.h"
#include "model/Projection.h"

#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <vector>

namespace collab::model {

// The decoder-only transformer of the Llama and Qwen2 families, laid out module by module
// as transformers lays it out, so that parameter names are HF's own
// ("model.layers.0.self_attn.q_proj.weight") and checkpoints load by name.

class RmsNormImpl : public torch::nn::Module {
public:
  RmsNormImpl(std::int64_t size, double eps);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight;

private:
  double eps_;
};

// The real positions of a padded block of B rows by T steps, when only they go through the
// position-wise layers (projections, MLP, norms): `index` [N] into the B·T positions, row by
// row. Padding can be most of a batch whose prompts read different numbers of new tokens;
// attention alone needs the [B, T] layout.
struct Packing {
  at::Tensor index;
  std::int64_t batch = 0;
  std::int64_t steps = 0;
  at::Tensor pack(const at::Tensor& laidOut) const; // [B, T, F] -> [N, F]
  at::Tensor layOut(const at::Tensor& packed) const; // [N, F] -> [B, T, F], zeros at padding
};

class AttentionImpl : public torch::nn::Module {
public:
  explicit AttentionImpl(const ModelConfig& config);
  // x [B, T, H], or [N, H] with a packing; `allowed` [B, 1, T, S] bool or undefined (attend
  // everywhere).
  at::Tensor forward(const at::Tensor& x, const struct RotaryTables& rotary, const at::Tensor& allowed,
                     KvCache* cache, std::size_t layer, const Packing* packing = nullptr);

  Projection q_proj, k_proj, v_proj, o_proj;

private:
  std::int64_t heads_, kvHeads_, headDim_;
};

class MlpImpl : public torch::nn::Module {
public:
  explicit MlpImpl(const ModelConfig& config);
  at::Tensor forward(const at::Tensor& x);
  Projection gate_proj, up_proj, down_proj;
};

class DecoderLayerImpl : public torch::nn::Module {
public:
  explicit DecoderLayerImpl(const ModelConfig& config);
  at::Tensor forward(const at::Tensor& x, const RotaryTables& rotary, const at::Tensor& allowed, KvCache* cache,
                     std::size_t layer, const Packing* packing = nullptr);

  std::shared_ptr<RmsNormImpl> input_layernorm, post_attention_layernorm;
  std::shared_ptr<AttentionImpl> self_attn;
  std::shared_ptr<MlpImpl> mlp;
};

// A batch of token ids to run. `positions` are the rotary positions (a left-padded row
// starts its real tokens at 0); `keyMask` [B, cached + T] says which keys are real tokens
// (false: padding). Undefined positions mean 0.., 1.. continuing the cache; an undefined
// mask means every key is real.
struct ForwardBatch {
  at::Tensor ids;
  at::Tensor positions;
  at::Tensor keyMask;
};

class DecoderImpl : public torch::nn::Module {
public:
  explicit DecoderImpl(const ModelConfig& config);
  std::shared_ptr<WeightImpl> embed_tokens;
  std::vector<std::shared_ptr<DecoderLayerImpl>> layers; // registered as "layers.N"
  std::shared_ptr<RmsNormImpl> norm;
};

// The whole causal language model: embeddings, decoder layers, final norm, output head
// (the embedding matrix again when tied).
class CausalLmImpl : public torch::nn::Module {
public:
  // Weights start random (initialiseRandomly(0)), unless the caller is about to overwrite
  // them all (a checkpoint load, a copy): drawing 0.5B normals costs seconds for nothing.
  enum class Weights { Random, Unset };
  explicit CausalLmImpl(ModelConfig config, Weights weights = Weights::Random);

  const ModelConfig& config() const { return config_; }

  // Final hidden states [B, T, H]; appends to `cache` when given.
  at::Tensor forward(const ForwardBatch& batch, KvCache* cache = nullptr);
  // Float32 logits [..., V] of hidden states.
  at::Tensor logits(const at::Tensor& hidden);
  const at::Tensor& outputWeight() const;

  // Weights drawn as transformers initialises them: normal(0, initializer_range) for
  // matrices, zeros for biases, ones for norms.
  void initialiseRandomly(std::uint64_t seed);

  // LoRA on the named projections ("q_proj", "v_proj"...) of every layer.
  void addLoraAdapters(std::int64_t rank, double alpha, double dropout, const std::vector<std::string>& targets);
  void mergeLoraAdapters();
  void setLoraEnabled(bool enabled);
  bool hasLora() const;
  std::vector<std::pair<std::string, Projection>> projections();

  // Activation checkpointing while training (TRL's gradient_checkpointing): each decoder
  // layer keeps only its input and is run again in backward (LayerRecomputation.h). Takes
  // effect in training mode, with grad, without a KV cache; the gradients are unchanged.
  void setGradientCheckpointing(bool enabled) { gradientCheckpointing_ = enabled; }
  bool gradientCheckpointing() const { return gradientCheckpointing_; }

  std::shared_ptr<DecoderImpl> model;
  std::shared_ptr<WeightImpl> lm_head; // null when tied

private:
  std::shared_ptr<PackedLinear> packedOutput_ = std::make_shared<PackedLinear>(); // for inference on CPU
  ModelConfig config_;
  at::Tensor inverseFrequencies_;
  bool gradientCheckpointing_ = false;
};

using CausalLm = std::shared_ptr<CausalLmImpl>;

} // namespace collab::model

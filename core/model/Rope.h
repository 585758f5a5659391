#pragma once

#include "model/ModelConfig.h"

#include <ATen/ATen.h>

namespace collab::model {

// Rotary position embeddings as HF's Llama/Qwen2 apply them: the head dimension split in
// halves that rotate together ("rotate_half"), not interleaved pairs.

// The inverse frequencies θ^(-2i/d), i < d/2, with the config's rope_scaling applied
// (llama3: long wavelengths divided by the factor, a smooth blend in between; linear: all
// divided). Float32, on the CPU.
at::Tensor ropeInverseFrequencies(const ModelConfig& config);

// cos and sin of position × frequency, [B, 1, T, d], for positions [B, T].
struct RotaryTables {
  at::Tensor cos;
  at::Tensor sin;
};
RotaryTables rotaryTables(const at::Tensor& inverseFrequencies, const at::Tensor& positions,
                          at::ScalarType dtype);

// x · cos + rotate_half(x) · sin for x of shape [B, heads, T, d].
at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables);

} // namespace collab::model

#pragma once

#include <ATen/ATen.h>

namespace collab::train {

// Runs the code in its scope under CUDA autocast to `dtype` (bf16 or f16 matmuls, float32
// weights and reductions where autocast keeps them), and restores the previous state on
// leaving. Full fine-tuning on a GPU keeps float32 master weights and computes in bf16
// this way: updates of 1e-5 relative size would vanish in bf16 weights. Does nothing when
// `enabled` is false (CPU, or float32 asked for).
class CudaAutocast {
public:
  CudaAutocast(bool enabled, at::ScalarType dtype);
  ~CudaAutocast();
  CudaAutocast(const CudaAutocast&) = delete;
  CudaAutocast& operator=(const CudaAutocast&) = delete;

private:
  bool enabled_;
  bool wasEnabled_ = false;
  at::ScalarType previousType_ = at::kHalf;
};

} // namespace collab::train

#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

namespace collab::model {

// A linear layer's weight packed for XNNPACK's float32 matrix products, for inference on
// CPU. LibTorch ships XNNPACK behind its `prepacked::linear_clamp_prepack/_run` operators
// (as torch.utils.mobile_optimizer uses them); they pick their kernels from the CPU they
// run on, where at::linear goes through the BLAS. Measured on this project's 2-vCPU
// AVX-512 VM (bench/README.md, "Generation"): for a few rows (decoding), 2.2–3.4× faster
// than OpenBLAS on its fallback kernels and 2–3× faster than on its AVX-512 ones; for many
// rows the tuned OpenBLAS is faster again, and for tiny layers the operator's fixed cost
// (about 15 µs) loses.
//
// A packed copy serves one inference scope (a generate() or log-probabilities call): it is
// made on the layer's first use in the scope and freed when the scope ends, because
// nothing cheap tells whether the weight changed before the next one (the fused AdamW
// step writes through raw pointers and bumps no version counter). Packing reads the
// weight once, as one decoding step does; the copy costs a second weight's memory during
// the scope.
class PackedLinear {
public:
  PackedLinear();
  ~PackedLinear();

  // While one lives (on this thread), inference may use packed weights, and they are
  // assumed not to change. Scopes nest; the outermost one decides.
  class InferenceScope {
  public:
    InferenceScope();
    ~InferenceScope();
    InferenceScope(const InferenceScope&) = delete;
    InferenceScope& operator=(const InferenceScope&) = delete;

  private:
    bool outermost_;
  };

  // y = x Wᵀ + b through XNNPACK when that is available and worth it for this call (in
  // an InferenceScope and c10::InferenceMode, float32 on CPU, enough work: see worthIt),
  // else an undefined tensor: the caller then uses at::linear.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias);

  // Whether XNNPACK would serve a product of `rows` rows by a [out, in] weight: enough
  // multiply-adds to pay the operator's fixed cost, and few rows unless the BLAS runs
  // kernels older than the CPU (then XNNPACK is faster at every size measured). False
  // when LibTorch was built without XNNPACK or COLLAB_PACKED_LINEAR=0 is set.
  static bool worthIt(std::int64_t rows, std::int64_t in, std::int64_t out);
  static bool available();

  // Whether this layer holds a packed copy for the current scope (XNNPACK served it).
  bool holdsPackedWeight() const;

private:
  struct State;
  std::unique_ptr<State> state_;
};

} // namespace collab::model

#pragma once

#include <ATen/ATen.h>

namespace collab::model {

// Whether the operations on one device type run under autocast, and to which dtype.
// Full fine-tuning on a GPU keeps float32 master weights and computes in bf16 this way:
// updates of 1e-5 relative size would vanish in bf16 weights. Off by default (float32).
struct AutocastSettings {
  bool enabled = false;
  at::DeviceType device = at::kCUDA;
  at::ScalarType dtype = at::kBFloat16;
};

// This thread's autocast state for `device` now.
AutocastSettings autocastOf(at::DeviceType device);

// Runs the code in its scope with autocast for `settings.device` as `settings` say (on,
// to its dtype: bf16/f16 matmuls, float32 weights and reductions where autocast keeps
// them; or off), and restores the previous state on leaving.
//
// Scope it to one forward pass and its loss, never around backward or an optimiser step:
// autocast keeps its low-precision copy of each float32 weight that requires grad until
// the outermost autocast scope ends, so a scope around several steps would run every
// forward after the first on the first step's weights. Backward needs none: the graph
// records the dtypes each operation ran in (and before LibTorch 2.4 the autograd thread
// of a GPU would inherit "on" without the dtype, and run backward in f16).
class Autocast {
public:
  explicit Autocast(const AutocastSettings& settings);
  ~Autocast();
  Autocast(const Autocast&) = delete;
  Autocast& operator=(const Autocast&) = delete;

private:
  AutocastSettings settings_;
  AutocastSettings previous_;
};

} // namespace collab::model

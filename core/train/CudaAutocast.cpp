#include "train/CudaAutocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace collab::train {

// LibTorch 2.4 made autocast per device type (set_autocast_enabled(kCUDA, ...)); before
// it, the CUDA-only calls (set_enabled, set_autocast_gpu_dtype), since deprecated.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define COLLAB_AUTOCAST_PER_DEVICE 1
#else
#define COLLAB_AUTOCAST_PER_DEVICE 0
#endif

CudaAutocast::CudaAutocast(bool enabled, at::ScalarType dtype) : enabled_(enabled) {
  if (!enabled_) return;
#if COLLAB_AUTOCAST_PER_DEVICE
  wasEnabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
  previousType_ = at::autocast::get_autocast_dtype(at::kCUDA);
  at::autocast::set_autocast_dtype(at::kCUDA, dtype);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
  wasEnabled_ = at::autocast::is_enabled();
  previousType_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_autocast_gpu_dtype(dtype);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

CudaAutocast::~CudaAutocast() {
  if (!enabled_) return;
  // Leaving the outermost autocast region frees the cast copies of the weights it cached.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if COLLAB_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_enabled(at::kCUDA, wasEnabled_);
  at::autocast::set_autocast_dtype(at::kCUDA, previousType_);
#else
  at::autocast::set_enabled(wasEnabled_);
  at::autocast::set_autocast_gpu_dtype(previousType_);
#endif
}

} // namespace collab::train

#include "model/Autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace collab::model {

// LibTorch 2.4 made autocast per device type (set_autocast_enabled(kCUDA, ...)); before
// it, one call per device type (set_enabled for CUDA, set_cpu_enabled...), since
// deprecated.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define COLLAB_AUTOCAST_PER_DEVICE 1
#else
#define COLLAB_AUTOCAST_PER_DEVICE 0
#endif

namespace {

void require(at::DeviceType device) {
  TORCH_CHECK(device == at::kCUDA || device == at::kCPU, "autocast is for CUDA or the CPU, not ", device);
}

void setEnabled(at::DeviceType device, bool enabled) {
#if COLLAB_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_enabled(device, enabled);
#else
  if (device == at::kCUDA)
    at::autocast::set_enabled(enabled);
  else
    at::autocast::set_cpu_enabled(enabled);
#endif
}

void setDtype(at::DeviceType device, at::ScalarType dtype) {
#if COLLAB_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_dtype(device, dtype);
#else
  if (device == at::kCUDA)
    at::autocast::set_autocast_gpu_dtype(dtype);
  else
    at::autocast::set_autocast_cpu_dtype(dtype);
#endif
}

} // namespace

AutocastSettings autocastOf(at::DeviceType device) {
  require(device);
#if COLLAB_AUTOCAST_PER_DEVICE
  return {at::autocast::is_autocast_enabled(device), device, at::autocast::get_autocast_dtype(device)};
#else
  if (device == at::kCUDA) return {at::autocast::is_enabled(), device, at::autocast::get_autocast_gpu_dtype()};
  return {at::autocast::is_cpu_enabled(), device, at::autocast::get_autocast_cpu_dtype()};
#endif
}

Autocast::Autocast(const AutocastSettings& settings) : settings_(settings), previous_(autocastOf(settings.device)) {
  // Off leaves the dtype alone (an HF policy in float32 asks for "off, float32").
  if (settings_.enabled) setDtype(settings_.device, settings_.dtype);
  setEnabled(settings_.device, settings_.enabled);
  // Counted as the Python context manager counts: the cast copies live until the outermost
  // scope that turned autocast on ends.
  if (settings_.enabled) at::autocast::increment_nesting();
}

Autocast::~Autocast() {
  // Leaving the outermost autocast scope frees the cast copies of the weights it cached,
  // so that the next scope casts the weights as they are then.
  if (settings_.enabled && at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  setEnabled(previous_.device, previous_.enabled);
  setDtype(previous_.device, previous_.dtype);
}

} // namespace collab::model

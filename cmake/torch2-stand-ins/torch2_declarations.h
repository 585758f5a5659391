#pragma once
// The LibTorch 2.x functions our `TORCH_VERSION_MAJOR >= 2` branches call that 1.13 lacks,
// with their 2.x signatures (aten/src/ATen/native/native_functions.yaml,
// aten/src/ATen/autocast_mode.h). Bodies only so that -Werror accepts them; nothing runs.
#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>

#include <optional>

namespace at {
// scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None,
// float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False)
inline Tensor scaled_dot_product_attention(const Tensor& query, const Tensor&, const Tensor&,
                                           const std::optional<Tensor>& = {}, double = 0.0, bool = false,
                                           std::optional<double> = std::nullopt, bool = false) {
  return query;
}
} // namespace at

namespace at::autocast {
// Per device type since 2.4.
inline bool is_autocast_enabled(at::DeviceType) { return false; }
inline void set_autocast_enabled(at::DeviceType, bool) {}
inline at::ScalarType get_autocast_dtype(at::DeviceType) { return at::kBFloat16; }
inline void set_autocast_dtype(at::DeviceType, at::ScalarType) {}
} // namespace at::autocast

#include "train/ValueHead.h"

namespace collab::train {

ValueHeadImpl::ValueHeadImpl(std::int64_t hiddenSize) {
  weight = register_parameter("weight", at::zeros({1, hiddenSize}));
  bias = register_parameter("bias", at::zeros({1}));
}

at::Tensor ValueHeadImpl::forward(const at::Tensor& hidden) {
  return at::linear(hidden.to(at::kFloat), weight, bias).squeeze(-1);
}

} // namespace collab::train

#include "model/Projection.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>

#include <cmath>

namespace collab::model {

ProjectionImpl::ProjectionImpl(std::int64_t inFeatures, std::int64_t outFeatures, bool hasBias) {
  weight = register_parameter("weight", at::empty({outFeatures, inFeatures}));
  if (hasBias) bias = register_parameter("bias", at::zeros({outFeatures}));
}

at::Tensor ProjectionImpl::forward(const at::Tensor& x) {
  at::Tensor y = packed_->forward(x, weight, bias); // inference on CPU, where XNNPACK is faster
  if (!y.defined()) y = at::linear(x, weight, bias);
  if (loraA_ && adapterEnabled_) {
    // The adapter may be kept in float32 on a bf16 base (as PEFT keeps it): it computes in
    // its own dtype and adds in the base's.
    const at::ScalarType adapterType = loraA_->weight.scalar_type();
    at::Tensor input = x.scalar_type() == adapterType ? x : x.to(adapterType);
    if (dropout_ > 0.0 && is_training()) input = at::dropout(input, dropout_, true);
    const at::Tensor update = at::linear(at::linear(input, loraA_->weight), loraB_->weight) * scale_;
    y = y + (update.scalar_type() == y.scalar_type() ? update : update.to(y.scalar_type()));
  }
  return y;
}

void ProjectionImpl::addAdapter(std::int64_t rank, double alpha, double dropout) {
  const bool reduced = weight.scalar_type() == at::kBFloat16 || weight.scalar_type() == at::kHalf;
  const auto options = weight.options().dtype(reduced ? at::kFloat : weight.scalar_type());
  at::Tensor a = at::empty({rank, weight.size(1)}, options);
  {
    at::NoGradGuard noGrad;
    torch::nn::init::kaiming_uniform_(a, std::sqrt(5.0));
  }
  loraA_ = register_module("lora_A", std::make_shared<WeightImpl>(a));
  loraB_ = register_module("lora_B", std::make_shared<WeightImpl>(at::zeros({weight.size(0), rank}, options)));
  scale_ = alpha / static_cast<double>(rank);
  dropout_ = dropout;
  weight.set_requires_grad(false);
  if (bias.defined()) bias.set_requires_grad(false);
}

void ProjectionImpl::mergeAdapter() {
  if (!loraA_) return;
  {
    at::NoGradGuard noGrad;
    weight.add_(at::matmul(loraB_->weight, loraA_->weight).to(weight.scalar_type()) * scale_);
  }
  unregister_module("lora_A");
  unregister_module("lora_B");
  loraA_.reset();
  loraB_.reset();
}

} // namespace collab::model

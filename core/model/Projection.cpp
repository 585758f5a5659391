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
  at::Tensor y = at::linear(x, weight, bias);
  if (loraA_ && adapterEnabled_) {
    at::Tensor input = dropout_ > 0.0 && is_training() ? at::dropout(x, dropout_, true) : x;
    y = y + at::linear(at::linear(input, loraA_->weight), loraB_->weight) * scale_;
  }
  return y;
}

void ProjectionImpl::addAdapter(std::int64_t rank, double alpha, double dropout) {
  const auto options = weight.options();
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

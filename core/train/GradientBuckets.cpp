#include "train/GradientBuckets.h"

#include "common/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

namespace collab::train {

namespace {

// What a parameter's gradient is summed in: see the header.
at::ScalarType reductionTypeOf(const at::Tensor& parameter) {
  if (parameter.scalar_type() == at::kDouble) return at::kDouble;
  if (at::isFloatingType(parameter.scalar_type())) return at::kFloat;
  throw Error(std::string("cannot sum the gradients of a ") + c10::toString(parameter.scalar_type()) + " parameter over the ranks: only floating-point ones");
}

} // namespace

std::vector<GradientBucket> gradientBuckets(const std::vector<at::Tensor>& parameters, std::int64_t capacityBytes) {
  std::vector<GradientBucket> buckets;
  for (const at::ScalarType type : {at::kFloat, at::kDouble}) {
    const std::int64_t capacity = std::max<std::int64_t>(1, capacityBytes / static_cast<std::int64_t>(c10::elementSize(type)));
    bool open = false; // whether buckets.back() is this type's and has room
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (reductionTypeOf(parameters[i]) != type) continue;
      const std::int64_t size = parameters[i].numel();
      for (std::int64_t from = 0; from < size;) {
        if (!open) {
          buckets.push_back(GradientBucket{type, 0, {}});
          open = true;
        }
        GradientBucket& bucket = buckets.back();
        const std::int64_t length = std::min(size - from, capacity - bucket.elements);
        bucket.slices.push_back({i, from, length, bucket.elements});
        bucket.elements += length;
        from += length;
        open = bucket.elements < capacity;
      }
    }
  }
  return buckets;
}

at::Tensor GradientBucket::gather(const std::vector<at::Tensor>& parameters) const {
  const at::Tensor& first = parameters.at(slices.front().parameter);
  at::Tensor flat = at::empty({elements}, first.options().dtype(type));
  for (const Slice& slice : slices) {
    at::Tensor into = flat.narrow(0, slice.at, slice.length);
    const at::Tensor& grad = parameters[slice.parameter].grad();
    // reshape: a view of a contiguous gradient; a strided one is read through a copy.
    if (grad.defined()) into.copy_(grad.reshape({-1}).narrow(0, slice.from, slice.length));
    else into.zero_();
  }
  return flat;
}

void GradientBucket::scatter(const at::Tensor& flat, const std::vector<at::Tensor>& parameters) const {
  for (const Slice& slice : slices) {
    const at::Tensor& parameter = parameters[slice.parameter];
    at::Tensor& grad = parameter.mutable_grad();
    if (!grad.defined()) grad = at::zeros(parameter.sizes(), parameter.options());
    else if (!grad.is_contiguous()) grad = grad.contiguous();
    grad.view({-1}).narrow(0, slice.from, slice.length).copy_(flat.narrow(0, slice.at, slice.length));
  }
}

} // namespace collab::train

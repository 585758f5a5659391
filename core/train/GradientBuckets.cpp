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
  throw Error(std::string("cannot sum the gradients of a ") + c10::toString(parameter.scalar_type()) +
              " parameter over the ranks: only floating-point ones");
}

// Where a slice's elements live in the gradient, which must be defined and contiguous.
at::Tensor sliceOf(const at::Tensor& gradient, const GradientBucket::Slice& slice) {
  return gradient.view({-1}).narrow(0, slice.from, slice.length);
}

} // namespace

std::vector<GradientBucket> gradientBuckets(const std::vector<at::Tensor>& parameters, const GradientBucketSizes& sizes) {
  std::vector<GradientBucket> buckets;
  for (const at::ScalarType type : {at::kFloat, at::kDouble}) {
    const auto elementBytes = static_cast<std::int64_t>(c10::elementSize(type));
    const std::int64_t capacity = std::max<std::int64_t>(1, sizes.capacityBytes / elementBytes);
    const std::int64_t alone = std::max<std::int64_t>(1, std::min(sizes.aloneBytes, sizes.capacityBytes) / elementBytes);
    std::size_t packing = SIZE_MAX; // the bucket small gradients go to, while it has room
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (reductionTypeOf(parameters[i]) != type) continue;
      const std::int64_t size = parameters[i].numel();
      const bool large = size >= alone;
      for (std::int64_t from = 0; from < size;) {
        if (large || packing == SIZE_MAX) {
          buckets.push_back(GradientBucket{type, 0, {}});
          if (!large) packing = buckets.size() - 1;
        }
        GradientBucket& bucket = large ? buckets.back() : buckets[packing];
        const std::int64_t length = std::min(size - from, capacity - bucket.elements);
        bucket.slices.push_back({i, from, length, bucket.elements});
        bucket.elements += length;
        from += length;
        if (!large && bucket.elements == capacity) packing = SIZE_MAX;
      }
    }
  }
  return buckets;
}

at::Tensor GradientBucket::gather(const std::vector<at::Tensor>& parameters) const {
  const at::TensorOptions options = parameters.at(slices.front().parameter).options().dtype(type);
  if (slices.size() == 1) {
    const at::Tensor& grad = parameters[slices.front().parameter].grad();
    if (grad.defined() && grad.is_contiguous() && grad.scalar_type() == type) return sliceOf(grad, slices.front());
  }
  std::vector<at::Tensor> pieces;
  pieces.reserve(slices.size());
  for (const Slice& slice : slices) {
    const at::Tensor& grad = parameters[slice.parameter].grad();
    // reshape: a view of a contiguous gradient; a strided one is read through a copy.
    // to(): nothing for a gradient of the bucket's type on its device.
    pieces.push_back(grad.defined() ? grad.reshape({-1}).narrow(0, slice.from, slice.length).to(options)
                                    : at::zeros({slice.length}, options));
  }
  // One concatenation (one kernel on a GPU), not a copy per slice.
  at::Tensor flat = at::empty({elements}, options);
  at::cat_out(flat, pieces, 0);
  return flat;
}

void GradientBucket::scatter(const at::Tensor& flat, const std::vector<at::Tensor>& parameters) const {
  for (const Slice& slice : slices) {
    const at::Tensor& parameter = parameters[slice.parameter];
    at::Tensor& grad = parameter.mutable_grad();
    if (!grad.defined()) grad = at::zeros(parameter.sizes(), parameter.options());
    else if (!grad.is_contiguous()) grad = grad.contiguous();
    at::Tensor into = sliceOf(grad, slice);
    if (slices.size() == 1 && into.device() == flat.device() && into.data_ptr() == flat.data_ptr()) return; // summed in place
    into.copy_(flat.narrow(0, slice.at, slice.length));
  }
}

} // namespace collab::train

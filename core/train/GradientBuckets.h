#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace collab::train {

// The gradients of a step's parameters laid end to end in flat buffers, "buckets", so that
// the ranks sum them in a few collectives instead of one per tensor, and a CUDA rank moves
// them to the host in one copy per bucket instead of one blocking copy per tensor.
//
// A bucket holds gradients of one reduction type: float64 for float64 parameters, float32
// for every other floating type (float32 sums as one process adds micro-batch gradients;
// half and bfloat16 gradients are summed in float32, not in their own precision). The
// parameters of a type are laid end to end in order and cut every `capacityBytes`, a
// parameter across two buckets when the cut falls inside it: the buffers in flight stay
// within that size whatever the model, as DDP's 25 MiB buckets do.
//
// The layout depends only on the parameters' shapes and types, never on their gradients,
// so every rank of a run cuts the same buckets: a gradient a rank lacks is zeros there.
struct GradientBucket {
  // `length` elements of parameter `parameter`'s gradient, read in row-major order from
  // element `from`, at `at` in the bucket.
  struct Slice {
    std::size_t parameter = 0;
    std::int64_t from = 0, length = 0, at = 0;
  };
  at::ScalarType type = at::kFloat;
  std::int64_t elements = 0;
  std::vector<Slice> slices;

  // The slices' gradients, converted to `type`, in one new tensor on the device of the
  // first slice's parameter; zeros where a parameter has no gradient.
  at::Tensor gather(const std::vector<at::Tensor>& parameters) const;
  // `flat` (what gather() returned, summed over the ranks) copied back into the
  // gradients, each in its own type. A parameter without a gradient gets one (zeros
  // outside this bucket's slices: the next bucket reads its other part from there), and a
  // strided gradient is made contiguous, so that each slice is a view of the gradient.
  void scatter(const at::Tensor& flat, const std::vector<at::Tensor>& parameters) const;
};

// DDP's default bucket size (bucket_cap_mb = 25).
constexpr std::int64_t kGradientBucketBytes = 25ll << 20;

// The buckets of `parameters`, the float64 ones after the others; each holds at most
// `capacityBytes` (at least one element).
std::vector<GradientBucket> gradientBuckets(const std::vector<at::Tensor>& parameters,
                                            std::int64_t capacityBytes = kGradientBucketBytes);

} // namespace collab::train

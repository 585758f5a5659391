#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace collab::train {

// How the gradients of a data-parallel step are cut into flat buffers, "buckets", for the
// collectives that sum them over the ranks (DataParallel's allReduceGradients).
//
// Small gradients are laid end to end in buckets: one collective for many tensors, and
// on a GPU one copy to the host and one back per bucket instead of one blocking copy per
// tensor each way. A gradient of at least `aloneBytes` has buckets of its own and is
// summed in its own memory, with no copy in or out, when it can be (contiguous, of the
// reduction type): a collective more costs less than copying it twice (bench/README.md,
// "Data-parallel gradient all-reduce"). Every bucket holds at most `capacityBytes`, a
// gradient across two buckets when a cut falls inside it, so that the buffers in flight
// stay within that size whatever the model, as DDP's 25 MiB buckets do.
struct GradientBucketSizes {
  std::int64_t capacityBytes = 25ll << 20; // DDP's default (bucket_cap_mb = 25)
  std::int64_t aloneBytes = 1ll << 20;
};

// A bucket holds gradients of one reduction type: float64 for float64 parameters, float32
// for every other floating type (float32 sums as one process adds micro-batch gradients;
// half and bfloat16 gradients are summed in float32, not in their own precision).
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

  // The slices' gradients in one flat tensor of `type` on the device of the first slice's
  // parameter: a view of the gradient itself when the bucket is one slice of a contiguous
  // gradient of that type, a new tensor otherwise (zeros where a parameter has no gradient).
  at::Tensor gather(const std::vector<at::Tensor>& parameters) const;
  // `flat` (what gather() returned, summed over the ranks) copied back into the
  // gradients, each in its own type, unless it is their own memory. A parameter without
  // a gradient gets one (zeros outside this bucket's slices: the next bucket reads its
  // other part from there), and a strided gradient is made contiguous, so that each slice
  // is a view of the gradient.
  void scatter(const at::Tensor& flat, const std::vector<at::Tensor>& parameters) const;
};

// The buckets of `parameters`: the float32 ones, then the float64 ones. A bucket's slices
// follow the parameters' order.
std::vector<GradientBucket> gradientBuckets(const std::vector<at::Tensor>& parameters, const GradientBucketSizes& sizes = {});

} // namespace collab::train

#pragma once

#include "train/GradientBuckets.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace collab::train {

class ProcessGroup;

// What the trainers do with the ranks of a data-parallel run. With a null group (one
// process) each is a no-op, so a loop reads the same whether it runs alone or not.

// Rank 0's values of `parameters` on every rank: every rank starts from the same weights.
void broadcastParameters(ProcessGroup* group, const std::vector<at::Tensor>& parameters);

// The gradients of `parameters`, and `sums` (a step's metric sums), summed over the
// ranks, in place, before clipping and the update: each rank's gradients are those of its
// share of the global batch's loss, so their sum is the gradient of that loss, the same on
// every rank. A parameter without a gradient on a rank counts as zero there. The gradients
// travel in the flat buckets of GradientBuckets.h: one collective per bucket, and on a GPU
// one copy to the host and one back per bucket.
void allReduceGradients(ProcessGroup* group, const std::vector<at::Tensor>& parameters, std::vector<double>& sums,
                        const GradientBucketSizes& buckets = {});

// Whether `value` holds on any rank: a stop request that reached one rank stops them all
// after the same step.
bool onAnyRank(ProcessGroup* group, bool value);

// A hash of the bytes of `tensors` (moved to the host): equal on two ranks when their
// values are bit for bit the same.
std::uint64_t fingerprintOf(const std::vector<at::Tensor>& tensors);
// FNV-1a of raw bytes, to fold other data into a fingerprint.
std::uint64_t fingerprintOf(const void* bytes, std::size_t size, std::uint64_t seed = 14695981039346656037ull);

// An Error on every rank when `fingerprint` is not the same on all of them, naming `what`
// (the data each rank built for itself, the weights after training): the ranks must
// train the same model on the same data, and a difference would otherwise go unseen.
void requireSameOnEveryRank(ProcessGroup* group, std::uint64_t fingerprint, const std::string& what);

} // namespace collab::train

#include "train/DataParallel.h"

#include "common/Error.h"
#include "train/GradientBuckets.h"
#include "train/ProcessGroup.h"

#include <ATen/ATen.h>

#include <cstring>

namespace collab::train {

void broadcastParameters(ProcessGroup* group, const std::vector<at::Tensor>& parameters) {
  if (!group || parameters.empty()) return;
  at::NoGradGuard noGrad;
  for (const auto& p : parameters) {
    at::Tensor values = p.detach();
    group->broadcast(values, "the starting weights");
  }
}

void allReduceGradients(ProcessGroup* group, const std::vector<at::Tensor>& parameters, std::vector<double>& sums,
                        const GradientBucketSizes& buckets) {
  if (!group) return;
  at::NoGradGuard noGrad;
  for (const GradientBucket& bucket : gradientBuckets(parameters, buckets)) {
    at::Tensor flat = bucket.gather(parameters);
    group->allReduce(flat, ProcessGroup::Reduction::Sum, "gradients");
    bucket.scatter(flat, parameters);
  }
  if (sums.empty()) return;
  at::Tensor values = at::tensor(sums, at::kDouble);
  group->allReduce(values, ProcessGroup::Reduction::Sum, "step metrics");
  for (std::size_t i = 0; i < sums.size(); ++i) sums[i] = values[static_cast<std::int64_t>(i)].item<double>();
}

bool onAnyRank(ProcessGroup* group, bool value) {
  if (!group) return value;
  at::Tensor flag = at::tensor(std::vector<std::int64_t>{value ? 1 : 0}, at::kLong);
  group->allReduce(flag, ProcessGroup::Reduction::Max, "the stop flag");
  return flag.item<std::int64_t>() != 0;
}

std::uint64_t fingerprintOf(const void* bytes, std::size_t size, std::uint64_t seed) {
  std::uint64_t hash = seed;
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ p[i]) * 1099511628211ull;
  return hash;
}

std::uint64_t fingerprintOf(const std::vector<at::Tensor>& tensors) {
  std::uint64_t hash = fingerprintOf(nullptr, 0);
  for (const auto& t : tensors) {
    const at::Tensor host = t.detach().to(at::kCPU).contiguous();
    hash = fingerprintOf(host.data_ptr(), host.numel() * host.element_size(), hash);
  }
  return hash;
}

void requireSameOnEveryRank(ProcessGroup* group, std::uint64_t fingerprint, const std::string& what) {
  if (!group) return;
  std::int64_t signedPrint = 0;
  std::memcpy(&signedPrint, &fingerprint, sizeof signedPrint);
  at::Tensor low = at::tensor(std::vector<std::int64_t>{signedPrint}, at::kLong), high = low.clone();
  group->allReduce(low, ProcessGroup::Reduction::Min, what + " fingerprint");
  group->allReduce(high, ProcessGroup::Reduction::Max, what + " fingerprint");
  if (low.item<std::int64_t>() != high.item<std::int64_t>())
    throw Error(group->environment().describe() + ": " + what +
                " differ between the ranks: every rank must build the same (same config, seed and files, the same "
                "LibTorch and thread count)");
}

} // namespace collab::train

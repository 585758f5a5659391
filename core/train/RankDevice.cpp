#include "train/RankDevice.h"

#include "train/ProcessGroup.h"

#include <c10/core/Device.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/cuda.h>

namespace collab::train {

std::string rankDevice(const std::string& configured, const DistributedEnvironment& environment, std::size_t visibleGpus) {
  if (configured != "cuda" || !environment.distributed() || visibleGpus == 0) return configured;
  return "cuda:" + std::to_string(static_cast<std::size_t>(environment.localRank) % visibleGpus);
}

std::string thisRanksDevice(const std::string& configured) {
  const ProcessGroup* group = defaultProcessGroup();
  if (!group || configured != "cuda") return configured;
  return rankDevice(configured, group->environment(), torch::cuda::device_count());
}

void makeCurrentDevice(const std::string& device) {
  const c10::Device parsed(device);
  if (!parsed.is_cuda()) return;
  // Device-generic (no CUDA header), so the CPU-only LibTorch builds this too.
  c10::impl::getDeviceGuardImpl(parsed.type())->setDevice(parsed.has_index() ? parsed : c10::Device(c10::kCUDA, 0));
}

} // namespace collab::train

#pragma once

#include "train/DistributedEnvironment.h"

#include <cstddef>
#include <string>

namespace collab::train {

// The device one rank of a data-parallel run trains on. torchrun starts one process per
// GPU and tells each its LOCAL_RANK; a config that says "cuda" then means this rank's own
// GPU, as TRL and accelerate read it: cuda:(LOCAL_RANK mod the GPUs this process sees).
// The modulo also serves launchers that show each rank only its own GPU (Slurm's
// `srun --gpus-per-task=1`: one visible GPU, cuda:0 for every local rank). "cpu" and an
// explicit "cuda:N" are kept as written, and so is everything in a process that trains
// alone.
std::string rankDevice(const std::string& configured, const DistributedEnvironment& environment, std::size_t visibleGpus);

// rankDevice for this process: the environment of its default group (none: it trains
// alone) and the GPUs LibTorch sees.
std::string thisRanksDevice(const std::string& configured);

// Makes a CUDA device the process's current one (nothing for the CPU), as
// torch.cuda.set_device does: without it, whatever runs without an explicit device (a
// CUDA context, a library handle) lands on GPU 0, once per rank.
void makeCurrentDevice(const std::string& device);

} // namespace collab::train

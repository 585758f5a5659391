#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace collab::train {

// Where this process stands in a data-parallel run, as torchrun (and Slurm's srun through
// a wrapper, or any launcher) describes it: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT. With WORLD_SIZE unset (or 1) the process trains alone.
// COLLAB_DIST_TIMEOUT (seconds, default 600) bounds every wait on the other ranks: the
// rendezvous and each collective, so that a rank that dies or never comes cannot hang
// the others forever.
struct DistributedEnvironment {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0; // the rank within this host: which GPU it takes
  std::string masterAddress;
  int masterPort = 0;
  std::chrono::milliseconds timeout{std::chrono::seconds(600)};

  bool distributed() const { return worldSize > 1; }
  // "rank 1 of 2": how messages name this process.
  std::string describe() const;

  // Reads the variables through `lookup` (nullptr: unset). A malformed or inconsistent
  // value is an InputError naming the variable and what was expected.
  using Lookup = std::function<const char*(const char* name)>;
  static DistributedEnvironment fromVariables(const Lookup& lookup);
  static DistributedEnvironment fromProcess(); // this process's environment
};

} // namespace collab::train

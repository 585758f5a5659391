#pragma once

#include "train/DistributedEnvironment.h"

#include <memory>
#include <string>

namespace at {
class Tensor;
}

namespace collab::train {

// The ranks of a data-parallel run, over torch's c10d: a TCPStore that rank 0 serves at
// MASTER_ADDR:MASTER_PORT for the rendezvous, and Gloo for the collectives. Tensors are
// staged through host memory (pinned for CUDA tensors), so the same code serves CPU and
// CUDA ranks (NCCL is not wired in: see the note in ProcessGroup.cpp). The c10d headers
// stay in the .cpp: their API moved between torch 1.13 and 2.x, and only that file has to
// know.
//
// Every rank enters every collective in the same order. Each one waits at most the
// environment's timeout for the others, and any failure (a rank that died, a timeout)
// is an Error naming this rank and the operation.
class ProcessGroup {
public:
  // Blocks until all WORLD_SIZE ranks have joined, or the timeout: the error then says
  // which address and port were tried and what to check.
  static std::unique_ptr<ProcessGroup> join(const DistributedEnvironment& environment);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return environment_.rank; }
  int size() const { return environment_.worldSize; }
  const DistributedEnvironment& environment() const { return environment_; }

  enum class Reduction { Sum, Min, Max };
  // In place on every rank; `what` names the operation in errors ("gradients").
  void allReduce(at::Tensor& tensor, Reduction reduction, const std::string& what);
  // Rank 0's values to every rank, in place.
  void broadcast(at::Tensor& tensor, const std::string& what);
  void barrier(const std::string& what);

  // Whether this build can join a group at all (LibTorch with c10d's Gloo backend).
  static bool available();

private:
  struct Backend;
  ProcessGroup(DistributedEnvironment environment, std::unique_ptr<Backend> backend);
  [[noreturn]] void fail(const std::string& what, const std::exception& cause) const;

  DistributedEnvironment environment_;
  std::unique_ptr<Backend> backend_;
};

// The process's group, like torch.distributed's default group: joined once by the
// command that trains (`collab train`), null in a process that trains alone.
ProcessGroup* defaultProcessGroup();
void setDefaultProcessGroup(std::unique_ptr<ProcessGroup> group);
// The process that writes checkpoints, the project and progress: rank 0, or a process alone.
bool isMainProcess();

} // namespace collab::train

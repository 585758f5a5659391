#include "train/ProcessGroup.h"

#include "common/Error.h"

#include <ATen/ATen.h>
#include <torch/version.h>

// c10d's Gloo backend: present when LibTorch was built with it (USE_C10D_GLOO, which
// Debian's Caffe2 targets and our pip-wheel target define) and its gloo headers are
// installed (Debian: libgloo-dev). Without them the build still works; joining a group
// of more than one rank is then an error.
#if defined(USE_C10D_GLOO) && __has_include(<gloo/rendezvous/store.h>) && \
    __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#define COLLAB_HAS_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#else
#define COLLAB_HAS_GLOO 0
#endif

#include <cstdlib>

// The c10d calls below are the ones torch 1.13 and 2.x share, read against both headers:
// TCPStore(host, TCPStoreOptions) with port/isServer/numWorkers/waitWorkers/timeout
// (numWorkers a c10::optional in 1.13, a std::optional in 2.x: both take a size_t);
// ProcessGroupGloo(store, rank, size, Options::create(timeout)) with Options::devices
// (a ProcessGroup in 1.13, a Backend in 2.x: allreduce/broadcast/barrier keep their
// signatures); createDeviceForHostname/Interface and createDefaultDevice (2.x adds a
// defaulted lazyInit); Work::wait() with its default timeout (the context's).
//
// NCCL is not wired in: Gloo moves CUDA tensors through host memory (below), which is
// correct everywhere and slower on GPUs; ProcessGroupNCCL needs nccl.h and the CUDA
// toolkit's headers at build time, which neither Debian's LibTorch nor a pip wheel brings.

namespace collab::train {

namespace {

std::unique_ptr<ProcessGroup>& defaultGroupSlot() {
  static std::unique_ptr<ProcessGroup> group;
  return group;
}

bool isLoopback(const std::string& address) {
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

std::string seconds(std::chrono::milliseconds timeout) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) + " s";
}

} // namespace

#if COLLAB_HAS_GLOO

struct ProcessGroup::Backend {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

namespace {

// The network device Gloo binds: the interface GLOO_SOCKET_IFNAME names (as torch's own
// launcher reads it); loopback when rank 0 is on this host's loopback (one machine, and
// sandboxes whose host name resolves to nothing reachable); otherwise the host's address.
std::shared_ptr<gloo::transport::Device> glooDevice(const DistributedEnvironment& environment) {
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  if (isLoopback(environment.masterAddress)) return c10d::ProcessGroupGloo::createDeviceForHostname(environment.masterAddress);
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10d::ReduceOp reduceOp(ProcessGroup::Reduction reduction) {
  switch (reduction) {
  case ProcessGroup::Reduction::Min: return c10d::ReduceOp::MIN;
  case ProcessGroup::Reduction::Max: return c10d::ReduceOp::MAX;
  case ProcessGroup::Reduction::Sum: break;
  }
  return c10d::ReduceOp::SUM;
}

// A contiguous host copy of a tensor that is not one. A CUDA tensor's copy is in pinned
// (page-locked) memory: the copies to and from the GPU then run at the bus's speed, with
// no pass through the driver's own staging buffer. Pinned memory comes from LibTorch's
// caching host allocator, so the buffers of successive calls are recycled. (Asked for only
// for CUDA tensors: the pinned allocator needs the CUDA runtime.)
at::Tensor hostCopyOf(const at::Tensor& tensor) {
  if (tensor.device().is_cpu()) return tensor.contiguous();
  at::Tensor host = at::empty(tensor.sizes(), tensor.options().device(at::kCPU).pinned_memory(tensor.is_cuda()));
  host.copy_(tensor);
  return host;
}

// Collectives run on a contiguous host tensor: Gloo's CPU path, whatever device the
// tensor lives on; the result is copied back in place.
template <typename Collective>
void onHost(at::Tensor& tensor, Collective&& collective) {
  const bool staged = !tensor.device().is_cpu() || !tensor.is_contiguous();
  std::vector<at::Tensor> buffers = {staged ? hostCopyOf(tensor) : tensor};
  collective(buffers)->wait();
  if (staged) tensor.copy_(buffers.front());
}

} // namespace

std::unique_ptr<ProcessGroup> ProcessGroup::join(const DistributedEnvironment& environment) {
  auto backend = std::make_unique<Backend>();
  const std::string where = environment.masterAddress + ":" + std::to_string(environment.masterPort);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(environment.masterPort);
    options.isServer = environment.rank == 0;
    options.numWorkers = static_cast<std::size_t>(environment.worldSize);
    options.waitWorkers = true; // the constructor returns once every rank has joined
    options.timeout = environment.timeout;
    backend->store = c10::make_intrusive<c10d::TCPStore>(environment.masterAddress, options);
  } catch (const std::exception& e) {
    const std::string cause = dynamic_cast<const c10::Error*>(&e) ? static_cast<const c10::Error&>(e).what_without_backtrace() : e.what();
    throw Error(environment.describe() + ": the rendezvous at " + where + " (MASTER_ADDR:MASTER_PORT) failed within " +
                seconds(environment.timeout) + ": " + cause +
                (environment.rank == 0 ? " (did every rank start, with WORLD_SIZE=" + std::to_string(environment.worldSize) +
                                             ", and is the port free on this host?)"
                                       : " (is rank 0 running, at that address and port?)"));
  }
  // Every rank counts itself in and waits for the last one to arrive: torch 1.13's TCPStore
  // stops waiting for the others at the timeout without saying so.
  try {
    if (backend->store->add("collab/joined", 1) == environment.worldSize) backend->store->set("collab/all-joined", std::vector<std::uint8_t>{1});
    backend->store->wait({"collab/all-joined"}, environment.timeout);
  } catch (const std::exception&) {
    std::int64_t joined = 0;
    try {
      joined = backend->store->add("collab/joined", 0);
    } catch (const std::exception&) {
    }
    throw Error(environment.describe() + ": only " + std::to_string(joined) + " of " + std::to_string(environment.worldSize) +
                " ranks joined the rendezvous at " + where + " within " + seconds(environment.timeout) +
                " (did every rank start, with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE?)");
  }
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(environment.timeout);
    options->devices.push_back(glooDevice(environment));
    backend->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(backend->store, environment.rank, environment.worldSize, options);
  } catch (const std::exception& e) {
    const std::string cause = dynamic_cast<const c10::Error*>(&e) ? static_cast<const c10::Error&>(e).what_without_backtrace() : e.what();
    throw Error(environment.describe() + ": connecting the ranks over Gloo (rendezvous " + where + ") failed: " + cause);
  }
  return std::unique_ptr<ProcessGroup>(new ProcessGroup(environment, std::move(backend)));
}

bool ProcessGroup::available() { return true; }

void ProcessGroup::allReduce(at::Tensor& tensor, Reduction reduction, const std::string& what) {
  try {
    c10d::AllreduceOptions options;
    options.reduceOp = reduceOp(reduction);
    onHost(tensor, [&](std::vector<at::Tensor>& buffers) { return backend_->gloo->allreduce(buffers, options); });
  } catch (const std::exception& e) {
    fail("all-reduce of " + what, e);
  }
}

void ProcessGroup::broadcast(at::Tensor& tensor, const std::string& what) {
  try {
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    onHost(tensor, [&](std::vector<at::Tensor>& buffers) { return backend_->gloo->broadcast(buffers, options); });
  } catch (const std::exception& e) {
    fail("broadcast of " + what, e);
  }
}

void ProcessGroup::barrier(const std::string& what) {
  try {
    backend_->gloo->barrier()->wait();
  } catch (const std::exception& e) {
    fail("barrier (" + what + ")", e);
  }
}

#else

struct ProcessGroup::Backend {};

std::unique_ptr<ProcessGroup> ProcessGroup::join(const DistributedEnvironment& environment) {
  throw Error(environment.describe() + ": this build of the workbench has no c10d Gloo backend (LibTorch " TORCH_VERSION
              " without USE_C10D_GLOO or without the gloo headers): run one process (WORLD_SIZE unset or 1)");
}

bool ProcessGroup::available() { return false; }

void ProcessGroup::allReduce(at::Tensor&, Reduction, const std::string&) {}
void ProcessGroup::broadcast(at::Tensor&, const std::string&) {}
void ProcessGroup::barrier(const std::string&) {}

#endif

ProcessGroup::ProcessGroup(DistributedEnvironment environment, std::unique_ptr<Backend> backend)
    : environment_(std::move(environment)), backend_(std::move(backend)) {}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::fail(const std::string& what, const std::exception& cause) const {
  const auto* torchError = dynamic_cast<const c10::Error*>(&cause);
  throw Error(environment_.describe() + ": " + what + " failed: " +
              (torchError ? torchError->what_without_backtrace() : cause.what()) +
              " (another rank failed, stopped or fell more than " + seconds(environment_.timeout) +
              " behind: see its own output)");
}

ProcessGroup* defaultProcessGroup() { return defaultGroupSlot().get(); }

void setDefaultProcessGroup(std::unique_ptr<ProcessGroup> group) { defaultGroupSlot() = std::move(group); }

bool isMainProcess() {
  const ProcessGroup* group = defaultProcessGroup();
  return !group || group->rank() == 0;
}

} // namespace collab::train

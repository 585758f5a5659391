// How long two ranks on loopback take to sum one optimiser step's gradients, three ways
// side by side in one run (bench/README.md, "Data-parallel gradient all-reduce"):
//
//   per tensor   one all-reduce per gradient tensor;
//   previous     the code before train/GradientBuckets: every gradient converted to a host
//                tensor of its own, concatenated into one flat buffer, one all-reduce,
//                copied back tensor by tensor;
//   buckets      train::allReduceGradients as trainers call it (GradientBuckets).
//
//   bench_gradient_allreduce [--model tiny|100m] [--rounds 10] [--bucket-mb 25] [--alone-kb 1024]
//
// Started without RANK, it starts itself twice as ranks 0 and 1 of a group on 127.0.0.1
// (torchrun's variables) and waits for both. Each rank holds the parameters of a Llama of
// that shape (bench/generation's: tiny as tests/data/models/tiny-llama, 100m with 100.1M
// parameters) with random gradients of its own, on the CPU, one LibTorch thread. Every
// round runs each way once, from the same gradients, behind a barrier; rank 0 prints the
// median and best wall time per way, the collectives each made, and whether every way gave
// the same gradients bit for bit. Then each way runs once more in a pair of fresh
// processes (--only N), and rank 0 prints how much that call raised its peak RSS: the
// buffers the way holds, Gloo's included.

#include "model/ModelConfig.h"
#include "model/Transformer.h"
#include "train/DataParallel.h"
#include "train/DistributedEnvironment.h"
#include "train/GradientBuckets.h"
#include "train/ProcessGroup.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace collab;

namespace {

struct Options {
  std::string model = "tiny";
  int rounds = 10;
  double bucketMb = 25.0, aloneKb = 1024.0;
  int only = -1; // one way alone, once, for its peak memory (the launcher's own runs)
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--model") o.model = value;
    else if (flag == "--rounds") o.rounds = std::stoi(value);
    else if (flag == "--bucket-mb") o.bucketMb = std::stod(value);
    else if (flag == "--alone-kb") o.aloneKb = std::stod(value);
    else if (flag == "--only") o.only = std::stoi(value);
    else throw std::runtime_error("unknown option " + flag);
  }
  return o;
}

model::ModelConfig configNamed(const std::string& name) {
  model::ModelConfig c;
  c.architecture = model::Architecture::Llama;
  if (name == "tiny") {
    c.vocabSize = 384, c.hiddenSize = 64, c.intermediateSize = 128, c.layers = 2, c.heads = 4, c.kvHeads = 2, c.headDim = 16;
  } else if (name == "100m") {
    c.vocabSize = 32000, c.hiddenSize = 768, c.intermediateSize = 2048, c.layers = 12, c.heads = 12, c.kvHeads = 4, c.headDim = 64;
    c.tieEmbeddings = true;
  } else {
    throw std::runtime_error("unknown model '" + name + "' (expected tiny or 100m)");
  }
  return c;
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("no free port");
  ::close(fd);
  return ntohs(address.sin_port);
}

// This program again as ranks 0 and 1, with `extra` arguments; the exit status of the
// first that failed.
int launchTwoRanks(char** argv, const std::vector<std::string>& extra) {
  const std::string port = std::to_string(freePort());
  std::vector<std::string> arguments;
  for (char** a = argv; *a; ++a) arguments.push_back(*a);
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  std::vector<char*> argumentPointers;
  for (auto& a : arguments) argumentPointers.push_back(a.data());
  argumentPointers.push_back(nullptr);
  std::vector<pid_t> children;
  for (int rank : {0, 1}) {
    std::vector<std::string> variables = {"RANK=" + std::to_string(rank), "LOCAL_RANK=" + std::to_string(rank), "WORLD_SIZE=2",
                                          "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + port};
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      if (name != "RANK" && name != "LOCAL_RANK" && name != "WORLD_SIZE" && name != "MASTER_ADDR" && name != "MASTER_PORT")
        variables.push_back(entry);
    }
    std::vector<char*> environment;
    for (auto& v : variables) environment.push_back(v.data());
    environment.push_back(nullptr);
    pid_t child = 0;
    if (::posix_spawn(&child, "/proc/self/exe", nullptr, nullptr, argumentPointers.data(), environment.data()) != 0)
      throw std::runtime_error("cannot start a rank");
    children.push_back(child);
  }
  int failed = 0;
  for (pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) failed = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
  return failed;
}

double peakRssMib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The code train::allReduceGradients ran before GradientBuckets (commit 3f52393), kept
// here as the peer: one flat host buffer of every gradient, per-tensor copies in and out.
void allReducePrevious(train::ProcessGroup* group, const std::vector<at::Tensor>& parameters) {
  at::NoGradGuard noGrad;
  bool wide = false;
  for (const auto& p : parameters) wide = wide || p.scalar_type() == at::kDouble;
  const at::ScalarType type = wide ? at::kDouble : at::kFloat;
  std::vector<at::Tensor> pieces;
  for (const auto& p : parameters)
    pieces.push_back(p.grad().defined() ? p.grad().reshape({-1}).to(at::kCPU, type) : at::zeros({p.numel()}, at::dtype(type)));
  at::Tensor flat = at::cat(pieces);
  group->allReduce(flat, train::ProcessGroup::Reduction::Sum, "gradients");
  std::int64_t offset = 0;
  for (const auto& p : parameters) {
    const at::Tensor part = flat.narrow(0, offset, p.numel()).view(p.sizes());
    offset += p.numel();
    if (p.grad().defined()) p.grad().copy_(part);
    else p.mutable_grad() = part.to(p.options());
  }
}

void allReducePerTensor(train::ProcessGroup* group, const std::vector<at::Tensor>& parameters) {
  at::NoGradGuard noGrad;
  for (const auto& p : parameters) group->allReduce(p.mutable_grad(), train::ProcessGroup::Reduction::Sum, "a gradient");
}

struct Way {
  Way(std::string name_, std::size_t collectives_, std::function<void()> run_)
      : name(std::move(name_)), collectives(collectives_), run(std::move(run_)) {}
  std::string name;
  std::size_t collectives;
  std::function<void()> run;
  std::vector<double> milliseconds;
  std::uint64_t fingerprint = 0;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int runRank(const Options& options) {
  at::set_num_threads(1);
  auto group = train::ProcessGroup::join(train::DistributedEnvironment::fromProcess());
  model::CausalLmImpl lm(configNamed(options.model), model::CausalLmImpl::Weights::Unset);
  const std::vector<at::Tensor> parameters = lm.parameters();
  std::vector<at::Tensor> gradients;
  std::int64_t elements = 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(1000 * group->rank() + i + 1));
    gradients.push_back(at::randn(parameters[i].sizes(), generator, parameters[i].options()));
    elements += parameters[i].numel();
  }
  auto restore = [&] {
    at::NoGradGuard noGrad;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (!parameters[i].grad().defined()) parameters[i].mutable_grad() = at::empty_like(gradients[i]);
      parameters[i].mutable_grad().copy_(gradients[i]);
    }
  };
  restore();
  const train::GradientBucketSizes sizes{static_cast<std::int64_t>(options.bucketMb * (1 << 20)),
                                         static_cast<std::int64_t>(options.aloneKb * (1 << 10))};
  std::vector<double> noSums;
  std::vector<Way> ways = {
      {"buckets (this)", train::gradientBuckets(parameters, sizes).size(),
       [&] { train::allReduceGradients(group.get(), parameters, noSums, sizes); }},
      {"per tensor", parameters.size(), [&] { allReducePerTensor(group.get(), parameters); }},
      {"previous (flat, host copies)", 1, [&] { allReducePrevious(group.get(), parameters); }},
  };
  if (options.only >= 0) {
    Way& way = ways.at(static_cast<std::size_t>(options.only));
    const double before = peakRssMib();
    group->barrier("the call");
    way.run();
    if (group->rank() == 0)
      std::printf("%-30s peak RSS %.0f MiB after setup, +%.1f MiB in the call (a process of its own)\n", way.name.c_str(), before,
                  peakRssMib() - before);
    return 0;
  }
  for (int round = 0; round < options.rounds + 1; ++round) { // round 0 warms up
    for (Way& way : ways) {
      restore();
      group->barrier("a timed call");
      const auto started = std::chrono::steady_clock::now();
      way.run();
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      if (round == 0) {
        std::vector<at::Tensor> sums;
        for (const auto& p : parameters) sums.push_back(p.grad());
        way.fingerprint = train::fingerprintOf(sums);
      } else {
        way.milliseconds.push_back(ms);
      }
    }
  }
  if (group->rank() != 0) return 0;
  std::printf("model %s: %.1fM parameters in %zu tensors (%.1f MiB of float32 gradients), 2 ranks on 127.0.0.1, "
              "1 LibTorch thread each, %d rounds, buckets of %.3g MiB, alone from %.4g KiB\n",
              options.model.c_str(), static_cast<double>(elements) / 1e6, parameters.size(),
              static_cast<double>(elements) * 4 / (1 << 20), options.rounds, options.bucketMb, options.aloneKb);
  std::printf("%-30s %11s %10s %10s %12s %9s\n", "way", "collectives", "median ms", "best ms", "median/this", "same bits");
  const double reference = median(ways.front().milliseconds);
  for (const Way& way : ways)
    std::printf("%-30s %11zu %10.3f %10.3f %11.2fx %9s\n", way.name.c_str(), way.collectives, median(way.milliseconds),
                *std::min_element(way.milliseconds.begin(), way.milliseconds.end()), median(way.milliseconds) / reference,
                way.fingerprint == ways.front().fingerprint ? "yes" : "NO");
  std::fflush(stdout);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    if (std::getenv("RANK")) return runRank(options);
    // The timings, then each way alone in a pair of processes of its own for its memory.
    if (const int failed = launchTwoRanks(argv, {})) return failed;
    for (const char* way : {"0", "1", "2"})
      if (const int failed = launchTwoRanks(argv, {"--only", way})) return failed;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_gradient_allreduce: " << e.what() << "\n";
    return 1;
  }
}

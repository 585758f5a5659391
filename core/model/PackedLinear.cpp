#include "model/PackedLinear.h"

#include "model/CpuBlas.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace collab::model {

namespace {

// Products of fewer multiply-adds than this stay with at::linear: XNNPACK's call costs
// about 15 µs (a 64×64 weight times one row took 17.8 µs through it, 4.1 µs through
// at::linear; 256×256 times one row, 22.6 against 27.8 µs; the built-in policy's 64×192
// MLP times 24 rows, 28 against 33 µs).
constexpr std::int64_t kMinMultiplyAdds = std::int64_t(1) << 16;
// Up to this many rows XNNPACK beat OpenBLAS even on its AVX-512 kernels (768×2048: 2.1×
// at 4 rows); at 16 rows they were level, and beyond OpenBLAS won.
constexpr std::int64_t kMaxRowsAgainstTunedBlas = 8;

// (c10::optional before LibTorch 2, std::optional since.)
std::optional<c10::OperatorHandle> findOperator(const char* name) {
  auto handle = c10::Dispatcher::singleton().findSchema({name, ""});
  if (!handle) return std::nullopt;
  return *handle;
}

// LibTorch's operators, looked up once: absent when it was built without XNNPACK.
struct Operators {
  std::optional<c10::OperatorHandle> prepack = findOperator("prepacked::linear_clamp_prepack");
  std::optional<c10::OperatorHandle> run = findOperator("prepacked::linear_clamp_run");
  bool usable() const { return prepack && run; }
};

const Operators& operators() {
  static const Operators ops = [] {
    // XNNPACK runs on LibTorch's pthreadpool, sized by default to the cores, while the
    // intra-op thread count may be smaller (1 on a 2-vCPU VM here): the pool then ran
    // beside the policy's lanes (ActPolicy::lanes), oversubscribing the cores. One setting
    // governs both: at::set_num_threads sizes the pool too.
    at::set_num_threads(at::get_num_threads());
    return Operators{};
  }();
  return ops;
}

bool switchedOff() {
  const char* value = std::getenv("COLLAB_PACKED_LINEAR");
  return value && std::strcmp(value, "0") == 0;
}

// The packed weight of a layer, and the scope and tensors it was packed from.
struct Packed {
  std::uint64_t scope = 0;
  const void* data = nullptr;
  const void* biasData = nullptr;
  std::mutex mutex;    // guards live and context: the scope's end clears them
  bool live = true;    // false once its scope ended
  c10::IValue context; // XNNPACK's LinearOpContext; None when XNNPACK refused the weight or the scope ended
};

// The inference scope this thread is in (0: none; ids are never reused), and the packs
// made in it, freed when it ends.
std::atomic<std::uint64_t> lastScope{0};
thread_local std::uint64_t currentScope = 0;
thread_local std::vector<std::shared_ptr<Packed>> packedInScope;

c10::IValue pack(const at::Tensor& weight, const at::Tensor& bias) {
  // Detached (same storage): XNNPACK refuses a weight that requires grad.
  torch::jit::Stack stack{weight.detach().contiguous(), bias.defined() ? c10::IValue(bias.detach().contiguous()) : c10::IValue(),
                          c10::IValue(), c10::IValue()};
  try {
    operators().prepack->callBoxed(&stack);
    return std::move(stack.at(0));
  } catch (const c10::Error&) {
    return {}; // a shape or build XNNPACK does not take: this weight goes through at::linear
  }
}

} // namespace

struct PackedLinear::State {
  std::mutex mutex; // one layer may serve several threads' scopes at once (policy lanes)
  std::vector<std::shared_ptr<Packed>> packs; // of live scopes, and ended ones not yet dropped
};

PackedLinear::PackedLinear() : state_(std::make_unique<State>()) {
  // Look the operators up (and size XNNPACK's pool) where models are built, the caller's
  // thread, rather than on a policy lane's thread whose OpenMP settings are the defaults.
  available();
}
PackedLinear::~PackedLinear() = default;

PackedLinear::InferenceScope::InferenceScope() : outermost_(currentScope == 0) {
  if (outermost_) currentScope = ++lastScope;
}

PackedLinear::InferenceScope::~InferenceScope() {
  if (!outermost_) return;
  for (const auto& packed : packedInScope) {
    std::lock_guard<std::mutex> lock(packed->mutex);
    packed->live = false;
    packed->context = c10::IValue();
  }
  packedInScope.clear();
  currentScope = 0;
}

bool PackedLinear::available() {
  static const bool usable = operators().usable() && !switchedOff();
  return usable;
}

bool PackedLinear::worthIt(std::int64_t rows, std::int64_t in, std::int64_t out) {
  if (!available() || rows < 1 || rows * in * out < kMinMultiplyAdds) return false;
  static const bool blasOnOlderKernels = openBlasOnOlderKernels();
  return rows <= kMaxRowsAgainstTunedBlas || blasOnOlderKernels;
}

at::Tensor PackedLinear::forward(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  // The prepacked operators have no autograd formula, and the packed copy costs memory:
  // only inference scopes (generation, log-probabilities), not a DPO reference's no-grad
  // forward.
  if (currentScope == 0 || !c10::InferenceMode::is_enabled() || !x.device().is_cpu() || x.scalar_type() != at::kFloat ||
      x.dim() < 1 || weight.scalar_type() != at::kFloat || !weight.device().is_cpu() ||
      (bias.defined() && bias.scalar_type() != at::kFloat))
    return {};
  const std::int64_t in = weight.size(1), out = weight.size(0);
  if (x.size(-1) != in || !worthIt(x.numel() / std::max<std::int64_t>(in, 1), in, out)) return {};

  c10::IValue context;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto& packs = state_->packs;
    const void* biasData = bias.defined() ? bias.data_ptr() : nullptr;
    auto found = std::find_if(packs.begin(), packs.end(), [&](const std::shared_ptr<Packed>& p) {
      return p->scope == currentScope && p->data == weight.data_ptr() && p->biasData == biasData;
    });
    if (found == packs.end()) {
      // Drop the packs whose scope ended (other threads' live scopes keep theirs).
      std::erase_if(packs, [](const std::shared_ptr<Packed>& p) {
        std::lock_guard<std::mutex> liveLock(p->mutex);
        return !p->live;
      });
      auto packed = std::make_shared<Packed>();
      packed->scope = currentScope;
      packed->data = weight.data_ptr();
      packed->biasData = biasData;
      packed->context = pack(weight, bias);
      packedInScope.push_back(packed);
      packs.push_back(packed);
      found = std::prev(packs.end());
    }
    std::lock_guard<std::mutex> contextLock((*found)->mutex);
    context = (*found)->context;
  }
  if (context.isNone()) return {};
  torch::jit::Stack stack{x.contiguous(), std::move(context)};
  operators().run->callBoxed(&stack);
  return stack.at(0).toTensor();
}

bool PackedLinear::holdsPackedWeight() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (const auto& p : state_->packs) {
    std::lock_guard<std::mutex> contextLock(p->mutex);
    if (p->scope == currentScope && !p->context.isNone()) return true;
  }
  return false;
}

} // namespace collab::model

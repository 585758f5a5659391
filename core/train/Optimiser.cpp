#include "train/Optimiser.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "model/ShapeText.h"

#include <ATen/Parallel.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <type_traits>

namespace collab::train {

Optimiser::Optimiser(std::vector<at::Tensor> parameters, OptimiserSettings settings)
    : parameters_(std::move(parameters)), settings_(settings) {
  // Master weights in float32 (or 64): an AdamW update of 1e-5 relative size is below
  // bf16's resolution near 1 and would mostly round away (the moments too).
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    if (parameters_[i].scalar_type() != at::kFloat && parameters_[i].scalar_type() != at::kDouble)
      throw Error("the optimiser trains float32 weights, but parameter " + std::to_string(i) + " " +
                  model::shapeText(parameters_[i].sizes()) + " is " + c10::toString(parameters_[i].scalar_type()) +
                  " (keep trainable weights in float32 and compute under autocast, or train a LoRA adapter)");
  torch::optim::AdamWOptions options(settings_.learningRate);
  options.weight_decay(settings_.weightDecay).betas({settings_.beta1, settings_.beta2}).eps(settings_.epsilon);
  adam_ = std::make_unique<torch::optim::AdamW>(parameters_, options);
}

Optimiser::~Optimiser() = default;

double Optimiser::learningRateAt(std::int64_t step) const {
  const double peak = settings_.learningRate;
  if (step < settings_.warmupSteps) return peak * static_cast<double>(step + 1) / static_cast<double>(settings_.warmupSteps + 1);
  const double span = static_cast<double>(std::max<std::int64_t>(settings_.totalSteps - settings_.warmupSteps, 1));
  const double progress = std::min(1.0, static_cast<double>(step - settings_.warmupSteps) / span);
  const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return peak * (settings_.minRatio + (1.0 - settings_.minRatio) * cosine);
}

namespace {

// The AdamW update of one float32 CPU parameter in a single pass over the parameter, its
// gradient and both moments: the same arithmetic as torch::optim::AdamW::step (decoupled
// weight decay, then m ← β1·m + (1-β1)·g, v ← β2·v + (1-β2)·g·g, p ← p - step·m / (√v / √(1-β2ᵗ) + ε)),
// with the gradient first multiplied by the clipping coefficient, as clip_grad_norm_ would
// have done in place. LibTorch's step runs these as eight tensor operations, each a pass
// over memory (and √v / √(1-β2ᵗ) allocates two temporaries the size of the parameter); here
// each element is read and written once. Results agree with it to float rounding (ATen's
// vectorised kernels fuse some multiply-adds, this loop does not).
//
// Every coefficient is computed in double and rounded to float once, as ATen rounds a
// double Scalar for a float tensor: 1 - β2 rounded (0.001f) is not 1 - (β2 rounded), which
// would be 5e-5 off in relative terms.
struct AdamWCoefficients {
  float clip, keep, beta1, gain1, beta2, gain2, minusStep, correction2, eps;
};

void fusedAdamW(at::Tensor& p, const at::Tensor& grad, at::Tensor& m, at::Tensor& v, const AdamWCoefficients& c) {
  float* const pp = p.data_ptr<float>();
  const float* const gp = grad.data_ptr<float>();
  float* const mp = m.data_ptr<float>();
  float* const vp = v.data_ptr<float>();
  at::parallel_for(0, p.numel(), 1 << 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const float g = gp[i] * c.clip;
      const float mi = mp[i] * c.beta1 + c.gain1 * g;
      const float vi = vp[i] * c.beta2 + c.gain2 * g * g;
      mp[i] = mi;
      vp[i] = vi;
      const float denom = std::sqrt(vi) / c.correction2 + c.eps;
      pp[i] = pp[i] * c.keep + c.minusStep * mi / denom;
    }
  });
}

// AdamW keys its per-parameter state by the parameter's TensorImpl address: as the text
// c10::guts::to_string writes ("0x...") up to LibTorch 1.x, as the pointer itself since
// LibTorch 2 (which also dropped guts::to_string). The map's own key type picks the form.
template <typename StateMap>
typename StateMap::key_type stateKey(const at::Tensor& p) {
  if constexpr (std::is_same_v<typename StateMap::key_type, std::string>) {
    std::ostringstream text;
    text << p.unsafeGetTensorImpl();
    return text.str();
  } else {
    return p.unsafeGetTensorImpl();
  }
}

using AdamWStates = std::remove_reference_t<decltype(std::declval<torch::optim::AdamW&>().state())>;

bool fusable(const at::Tensor& p, const at::Tensor& grad) {
  auto plain = [](const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous(); };
  return plain(p) && plain(grad) && !grad.is_sparse();
}

} // namespace

StepStats Optimiser::step() {
  StepStats stats;
  stats.learningRate = learningRateAt(steps_);
  const double limit = settings_.maxGradNorm > 0 ? settings_.maxGradNorm : std::numeric_limits<double>::infinity();
  at::NoGradGuard noGrad;
  // The global gradient norm and the clipping coefficient exactly as clip_grad_norm_
  // computes them (per-parameter norms, stacked, the norm of those; min(1, limit / (norm +
  // 1e-6)) in float32); the gradients themselves are scaled inside the update below.
  std::vector<at::Tensor> norms;
  for (const auto& p : parameters_)
    if (p.grad().defined()) norms.push_back(p.grad().norm(2));
  if (norms.empty()) {
    ++steps_;
    return stats;
  }
  const at::Tensor total = norms.size() == 1 ? norms[0] : at::stack(norms).norm(2);
  stats.gradNorm = total.item<double>();
  // Before the update: a NaN or infinite gradient would make every weight NaN, and the
  // weights a checkpoint keeps must be the last finite ones.
  if (!std::isfinite(stats.gradNorm)) {
    zeroGradients();
    throw Error(std::string("gradient norm is ") + (std::isnan(stats.gradNorm) ? "NaN" : "infinite") + " at step " +
                std::to_string(steps_) + ": training stopped");
  }
  const at::Tensor coefficient = at::clamp_max(limit / (total + 1e-6), 1.0);
  const float clip = coefficient.item<float>();
  for (auto& group : adam_->param_groups()) {
    auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
    options.lr(stats.learningRate);
    const auto [beta1, beta2] = options.betas();
    for (auto& p : group.params()) {
      const at::Tensor& grad = p.grad();
      if (!grad.defined()) continue;
      // The moments live in the AdamW's own state, keyed as it keys them, so that save(),
      // load() and checkpoints written before this loop existed keep working.
      auto& slot = adam_->state()[stateKey<AdamWStates>(p)];
      if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamWParamState>();
        fresh->step(0);
        fresh->exp_avg(at::zeros_like(p, at::MemoryFormat::Preserve));
        fresh->exp_avg_sq(at::zeros_like(p, at::MemoryFormat::Preserve));
        if (options.amsgrad()) fresh->max_exp_avg_sq(at::zeros_like(p, at::MemoryFormat::Preserve));
        slot = std::move(fresh);
      }
      auto& state = static_cast<torch::optim::AdamWParamState&>(*slot);
      state.step(state.step() + 1);
      const double correction1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
      const double correction2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
      const double stepSize = options.lr() / correction1;
      at::Tensor& m = state.exp_avg();
      at::Tensor& v = state.exp_avg_sq();
      // The fused loop reads both moments as long as the parameter: a state that does not
      // fit (a checkpoint of another model) must never reach it.
      if (m.sizes() != p.sizes() || v.sizes() != p.sizes())
        throw Error("optimiser state does not fit its parameter (moments " + model::shapeText(m.sizes()) + " for a parameter " +
                    model::shapeText(p.sizes()) + "): the optimiser state belongs to another model");
      if (!options.amsgrad() && fusable(p, grad) && m.is_contiguous() && v.is_contiguous()) {
        const auto f = [](double x) { return static_cast<float>(x); };
        fusedAdamW(p, grad, m, v,
                   {clip, f(1 - options.lr() * options.weight_decay()), f(beta1), f(1 - beta1), f(beta2), f(1 - beta2),
                    f(-stepSize), f(std::sqrt(correction2)), f(options.eps())});
        continue;
      }
      // Otherwise (another device or dtype, AMSGrad) LibTorch's own operations, as its AdamW runs them.
      grad.mul_(coefficient);
      if (options.weight_decay() != 0) p.mul_(1 - options.lr() * options.weight_decay());
      m.mul_(beta1).add_(grad, 1 - beta1);
      v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      at::Tensor denom;
      if (options.amsgrad()) {
        at::Tensor& highest = state.max_exp_avg_sq();
        at::maximum_out(highest, highest, v);
        denom = (highest.sqrt() / std::sqrt(correction2)).add_(options.eps());
      } else {
        denom = (v.sqrt() / std::sqrt(correction2)).add_(options.eps());
      }
      p.addcdiv_(m, denom, -stepSize);
    }
  }
  zeroGradients();
  ++steps_;
  return stats;
}

// Zeroed in place, as LibTorch 1.x's zero_grad() does. LibTorch 2's zero_grad() sets them
// to none instead, and AdamW then skips a parameter without a gradient (no decay, no
// momentum) where 1.x updates it: one behaviour on both, spelled out here.
void Optimiser::zeroGradients() {
  for (auto& p : parameters_)
    if (p.grad().defined()) {
      p.mutable_grad().detach_();
      p.mutable_grad().zero_();
    }
}

// Through an AtomicFile: a checkpoint's optimiser state is flushed to disk like its
// weights, and a full disk is an Error naming the file and the OS error.
void Optimiser::save(const std::string& path) const {
  torch::serialize::OutputArchive archive;
  adam_->save(archive);
  archive.write("steps", at::tensor(steps_, at::kLong));
  std::ostringstream bytes;
  archive.save_to(bytes);
  writeFileAtomically(path, bytes.str());
}

void Optimiser::load(const std::string& path) {
  try {
    torch::serialize::InputArchive archive;
    // Onto the parameters' device, not the one that saved it: rank 0 writes checkpoints for
    // every rank, and a run may resume on another device than it began on.
    archive.load_from(path, parameters_.empty() ? at::Device(at::kCPU) : parameters_.front().device());
    adam_->load(archive);
    at::Tensor steps;
    archive.read("steps", steps);
    steps_ = steps.item<std::int64_t>();
  } catch (const c10::Error& e) {
    throw Error(path + ": not an optimiser state this optimiser can load: " + e.what_without_backtrace());
  }
  checkLoadedStates(path);
}

// AdamW's load() pairs the saved states with this optimiser's parameters by position and
// checks no shape, so a state file of another model would load "fine".
void Optimiser::checkLoadedStates(const std::string& path) const {
  std::size_t index = 0;
  for (const auto& group : adam_->param_groups())
    for (const auto& p : group.params()) {
      const auto found = adam_->state().find(stateKey<AdamWStates>(p));
      if (found != adam_->state().end() && found->second) {
        const auto& state = static_cast<const torch::optim::AdamWParamState&>(*found->second);
        if (state.exp_avg().sizes() != p.sizes() || state.exp_avg_sq().sizes() != p.sizes())
          throw Error(path + ": parameter " + std::to_string(index) + " has moments of shape " + model::shapeText(state.exp_avg().sizes()) +
                      " but the parameter is " + model::shapeText(p.sizes()) + ": the optimiser state of another model");
      }
      ++index;
    }
}

} // namespace collab::train

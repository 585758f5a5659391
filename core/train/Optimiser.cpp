#include "train/Optimiser.h"

#include "common/AtomicFile.h"
#include "common/Error.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace collab::train {

Optimiser::Optimiser(std::vector<at::Tensor> parameters, OptimiserSettings settings)
    : parameters_(std::move(parameters)), settings_(settings) {
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

StepStats Optimiser::step() {
  StepStats stats;
  stats.learningRate = learningRateAt(steps_);
  const double limit = settings_.maxGradNorm > 0 ? settings_.maxGradNorm : std::numeric_limits<double>::infinity();
  stats.gradNorm = torch::nn::utils::clip_grad_norm_(parameters_, limit);
  // Before the update: a NaN or infinite gradient would make every weight NaN, and the
  // weights a checkpoint keeps must be the last finite ones.
  if (!std::isfinite(stats.gradNorm)) {
    adam_->zero_grad();
    throw Error(std::string("gradient norm is ") + (std::isnan(stats.gradNorm) ? "NaN" : "infinite") + " at step " +
                std::to_string(steps_) + ": training stopped");
  }
  for (auto& group : adam_->param_groups())
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(stats.learningRate);
  adam_->step();
  adam_->zero_grad();
  ++steps_;
  return stats;
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
    archive.load_from(path);
    adam_->load(archive);
    at::Tensor steps;
    archive.read("steps", steps);
    steps_ = steps.item<std::int64_t>();
  } catch (const c10::Error& e) {
    throw Error(path + ": not an optimiser state this optimiser can load: " + e.what_without_backtrace());
  }
}

} // namespace collab::train

#include "model/Rope.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace collab::model {

namespace {

// transformers' _compute_llama3_parameters, frequency by frequency.
double llama3Scaled(double frequency, const RopeScaling& s) {
  const double lowWavelength = static_cast<double>(s.originalMaxPositions) / s.lowFreqFactor;
  const double highWavelength = static_cast<double>(s.originalMaxPositions) / s.highFreqFactor;
  const double wavelength = 2.0 * std::numbers::pi / frequency;
  if (wavelength < highWavelength) return frequency;
  if (wavelength > lowWavelength) return frequency / s.factor;
  const double smooth = (static_cast<double>(s.originalMaxPositions) / wavelength - s.lowFreqFactor) /
                        (s.highFreqFactor - s.lowFreqFactor);
  return (1.0 - smooth) * frequency / s.factor + smooth * frequency;
}

} // namespace

at::Tensor ropeInverseFrequencies(const ModelConfig& config) {
  const std::int64_t half = config.headDim / 2;
  std::vector<float> frequencies(static_cast<std::size_t>(half));
  for (std::int64_t i = 0; i < half; ++i) {
    // HF computes the exponent in float32; doing the same keeps us bit-close to it.
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(config.headDim);
    double frequency = 1.0 / std::pow(config.ropeTheta, static_cast<double>(exponent));
    if (config.ropeScaling) {
      if (config.ropeScaling->type == "llama3") frequency = llama3Scaled(frequency, *config.ropeScaling);
      else frequency /= config.ropeScaling->factor; // linear
    }
    frequencies[static_cast<std::size_t>(i)] = static_cast<float>(frequency);
  }
  return at::tensor(frequencies, at::kFloat);
}

RotaryTables rotaryTables(const at::Tensor& inverseFrequencies, const at::Tensor& positions,
                          at::ScalarType dtype) {
  const at::Tensor frequencies = inverseFrequencies.to(positions.device());
  // [B, T, d/2] angles in float32, then duplicated to [B, T, d] as HF's cat((f, f)).
  const at::Tensor angles = positions.to(at::kFloat).unsqueeze(-1) * frequencies;
  const at::Tensor both = at::cat({angles, angles}, -1).unsqueeze(1);
  return {both.cos().to(dtype), both.sin().to(dtype)};
}

at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables) {
  const std::int64_t half = x.size(-1) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * tables.cos + rotated * tables.sin;
}

} // namespace collab::model

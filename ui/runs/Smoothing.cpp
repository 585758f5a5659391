#include "runs/Smoothing.h"

#include <algorithm>
#include <cmath>

namespace collab::ui {

EmaSmoother::EmaSmoother(double weight) : weight_(std::clamp(weight, 0.0, 0.999)) {}

double EmaSmoother::add(double value) {
  if (!enabled() || !std::isfinite(value)) return value;
  last_ = last_ * weight_ + (1.0 - weight_) * value;
  ++count_;
  power_ *= weight_; // w^n, kept instead of recomputed with pow() at every point
  return last_ / (1.0 - power_);
}

void EmaSmoother::reset() {
  last_ = 0.0;
  power_ = 1.0;
  count_ = 0;
}

std::vector<double> smoothEma(const std::vector<double>& values, double weight) {
  EmaSmoother smoother(weight);
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(smoother.add(v));
  return out;
}

} // namespace collab::ui

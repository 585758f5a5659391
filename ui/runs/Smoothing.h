#pragma once

#include <cstdint>
#include <vector>

namespace collab::ui {

// TensorBoard's exponential moving average with debiasing: the first points are not
// pulled towards 0 (the EMA's starting value) because each is divided by the weight
// the average has gathered so far, 1 - w^n. A weight of 0 is the explicit "off": values
// pass unchanged. Non-finite values pass unchanged and leave the average alone, as in
// TensorBoard, so one NaN does not erase the rest of the curve.
class EmaSmoother {
public:
  explicit EmaSmoother(double weight = 0.0);

  double weight() const { return weight_; }
  bool enabled() const { return weight_ > 0.0; }
  // The smoothed value at this point (points arrive in x order).
  double add(double value);
  void reset();

private:
  double weight_;
  double last_ = 0.0;
  double power_ = 1.0;
  std::int64_t count_ = 0;
};

// The whole series at once, as EmaSmoother::add would give it point by point.
std::vector<double> smoothEma(const std::vector<double>& values, double weight);

} // namespace collab::ui

#include "runs/MetricSeries.h"

#include <algorithm>

namespace collab::ui {

void MetricSeries::append(double step, double wallTime, double value) {
  if (!steps_.empty() && step <= steps_.back()) truncateFrom(step);
  // Wall time must not go back either (a clock change): the x vectors stay sorted.
  if (!wallTimes_.empty()) wallTime = std::max(wallTime, wallTimes_.back());
  steps_.push_back(step);
  wallTimes_.push_back(wallTime);
  values_.push_back(value);
  smoothed_.push_back(smoother_.add(value));
  extremes_.extend(smoothed_.data(), smoothed_.size());
}

void MetricSeries::setSmoothing(double weight) {
  smoother_ = EmaSmoother(weight);
  smoothed_.clear();
  for (double v : values_) smoothed_.push_back(smoother_.add(v));
  extremes_.clear();
  extremes_.extend(smoothed_.data(), smoothed_.size());
}

double MetricSeries::origin(XAxisKind axis) const {
  return axis == XAxisKind::RelativeTime && !wallTimes_.empty() ? wallTimes_.front() : 0.0;
}

void MetricSeries::truncateFrom(double step) {
  const auto keep = static_cast<std::size_t>(std::lower_bound(steps_.begin(), steps_.end(), step) - steps_.begin());
  steps_.resize(keep);
  wallTimes_.resize(keep);
  values_.resize(keep);
  smoothed_.resize(keep);
  // The EMA restarts over what is kept: the replaced points must not stay in its state.
  setSmoothing(smoother_.weight());
}

} // namespace collab::ui

#pragma once

#include "runs/Decimation.h"
#include "runs/Smoothing.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace collab::ui {

// What a plot's x axis shows.
enum class XAxisKind { Step, WallTime, RelativeTime };

// One metric of one run: its points by step with their wall times, and the values
// smoothed (EMA) kept beside the raw ones. Smoothing is incremental, so a point arriving
// costs O(1); changing the weight recomputes the series once.
class MetricSeries {
public:
  // Steps arrive in increasing order. A step at or before the last one (a run that
  // resumed and repeats steps) replaces the tail from that step on, as the project does.
  void append(double step, double wallTime, double value);
  void setSmoothing(double weight);

  std::size_t size() const { return steps_.size(); }
  bool empty() const { return steps_.empty(); }
  const std::vector<double>& steps() const { return steps_; }
  const std::vector<double>& wallTimes() const { return wallTimes_; }
  const std::vector<double>& values() const { return values_; }
  const std::vector<double>& smoothed() const { return smoothed_; }
  // Block minima and maxima of smoothed(), for decimation.
  const BlockExtremes& extremes() const { return extremes_; }
  // The x values for `axis` (relative time shares the wall-time vector: subtract origin()).
  const std::vector<double>& x(XAxisKind axis) const { return axis == XAxisKind::Step ? steps_ : wallTimes_; }
  // What to subtract from x(axis) to plot it: the first wall time for relative time.
  double origin(XAxisKind axis) const;

private:
  void truncateFrom(double step);

  std::vector<double> steps_, wallTimes_, values_, smoothed_;
  EmaSmoother smoother_;
  BlockExtremes extremes_;
};

} // namespace collab::ui

#pragma once

#include <cstddef>
#include <vector>

namespace collab::ui {

// Where an x value lands on screen: linear or logarithmic, between `lo` and `hi` over
// `columns` pixel columns.
struct PixelColumns {
  double lo = 0.0;
  double hi = 1.0;
  int columns = 1;
  bool logarithmic = false;

  // The x at the left edge of `column` (column == columns gives hi).
  double edge(int column) const;
};

struct DecimatedSeries {
  std::vector<double> x;
  std::vector<double> y;
};

// Min/max decimation per pixel column over sorted `x`: of the points that fall in one
// column it keeps the first, the lowest, the highest and the last, in x order, so a
// one-point spike still reaches its height and lines join the neighbouring columns where
// the data does. The nearest point outside each side of [lo, hi] is kept too, so lines
// run to the plot's edges. Columns with 4 points or fewer keep them all; the result has
// at most 4 × columns + 2 points whatever the input size.
void decimateMinMax(const double* x, const double* y, std::size_t size, const PixelColumns& pixels,
                    DecimatedSeries& out);

} // namespace collab::ui

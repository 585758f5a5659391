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

// The lowest and highest point (their indices) of each complete block of kBlock points
// of a series, kept as points arrive. With them decimation skips whole blocks: a pixel
// column of a million points costs its blocks, not its points.
class BlockExtremes {
public:
  static constexpr std::size_t kBlock = 64;

  // Summarises the blocks of y[0, size) not summarised yet (a series that grew).
  void extend(const double* y, std::size_t size);
  void clear();
  std::size_t blocks() const { return lowest_.size(); }
  std::size_t lowest(std::size_t block) const { return lowest_[block]; }
  std::size_t highest(std::size_t block) const { return highest_[block]; }

private:
  std::vector<std::size_t> lowest_, highest_;
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
// `blocks`, when given, summarises y (same result, faster).
void decimateMinMax(const double* x, const double* y, std::size_t size, const PixelColumns& pixels,
                    DecimatedSeries& out, const BlockExtremes* blocks = nullptr);

} // namespace collab::ui

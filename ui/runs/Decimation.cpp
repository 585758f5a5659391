#include "runs/Decimation.h"

#include <algorithm>
#include <cmath>

namespace collab::ui {

double PixelColumns::edge(int column) const {
  const double t = static_cast<double>(column) / static_cast<double>(std::max(columns, 1));
  if (logarithmic && lo > 0.0 && hi > 0.0) return std::exp(std::log(lo) + t * (std::log(hi) - std::log(lo)));
  return lo + t * (hi - lo);
}

void BlockExtremes::extend(const double* y, std::size_t size) {
  for (std::size_t block = blocks(); (block + 1) * kBlock <= size; ++block) {
    std::size_t lo = block * kBlock, hi = lo;
    for (std::size_t i = lo + 1; i < (block + 1) * kBlock; ++i) {
      // A NaN first in the block gives way to the next value: a column scan would skip it too.
      if (std::isnan(y[lo]) || y[i] < y[lo]) lo = i;
      if (std::isnan(y[hi]) || y[i] > y[hi]) hi = i;
    }
    lowest_.push_back(lo);
    highest_.push_back(hi);
  }
}

void BlockExtremes::clear() {
  lowest_.clear();
  highest_.clear();
}

namespace {

// The running lowest and highest of a column, first occurrences winning ties (as the
// block summaries do, so both paths agree).
struct Extremes {
  const double* y;
  std::size_t lowest, highest;
  void consider(std::size_t i) {
    // NaN compares false both ways: it is never chosen, and never hides a spike.
    if (y[i] < y[lowest]) lowest = i;
    if (y[i] > y[highest]) highest = i;
  }
  void scan(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) consider(i);
  }
};

void keep(const double* x, const double* y, std::size_t i, DecimatedSeries& out) {
  out.x.push_back(x[i]);
  out.y.push_back(y[i]);
}

// One column [begin, end): its first, lowest, highest and last points in index order.
void keepColumn(const double* x, const double* y, std::size_t begin, std::size_t end, DecimatedSeries& out,
                const BlockExtremes* blocks) {
  if (end - begin <= 4) {
    for (std::size_t i = begin; i < end; ++i) keep(x, y, i, out);
    return;
  }
  Extremes e{y, begin, begin};
  constexpr std::size_t B = BlockExtremes::kBlock;
  const std::size_t firstBlock = (begin + 1 + B - 1) / B; // whole blocks inside (begin, end)
  const std::size_t lastBlock = blocks ? std::min(end / B, blocks->blocks()) : 0;
  if (blocks && firstBlock < lastBlock) {
    e.scan(begin + 1, firstBlock * B);
    for (std::size_t b = firstBlock; b < lastBlock; ++b) {
      e.consider(blocks->lowest(b));
      e.consider(blocks->highest(b));
    }
    e.scan(lastBlock * B, end);
  } else {
    e.scan(begin + 1, end);
  }
  const std::size_t lowest = e.lowest, highest = e.highest;
  std::size_t picks[4] = {begin, std::min(lowest, highest), std::max(lowest, highest), end - 1};
  std::size_t previous = end; // none yet
  for (std::size_t i : picks) {
    if (i == previous) continue;
    keep(x, y, i, out);
    previous = i;
  }
}

} // namespace

void decimateMinMax(const double* x, const double* y, std::size_t size, const PixelColumns& pixels,
                    DecimatedSeries& out, const BlockExtremes* blocks) {
  out.x.clear();
  out.y.clear();
  if (size == 0) return;
  const double* first = std::lower_bound(x, x + size, pixels.lo);
  const double* last = std::upper_bound(first, x + size, pixels.hi);
  std::size_t begin = static_cast<std::size_t>(first - x);
  const std::size_t end = static_cast<std::size_t>(last - x);
  if (begin > 0) keep(x, y, begin - 1, out); // the line comes in from the left
  // Column boundaries by binary search: the points themselves are only compared, never
  // mapped to pixels one by one.
  for (int column = 0; column < pixels.columns && begin < end; ++column) {
    const double right = pixels.edge(column + 1);
    const std::size_t stop =
        column + 1 == pixels.columns ? end : static_cast<std::size_t>(std::lower_bound(x + begin, x + end, right) - x);
    if (stop > begin) keepColumn(x, y, begin, stop, out, blocks);
    begin = stop;
  }
  if (end < size) keep(x, y, end, out); // and leaves to the right
}

} // namespace collab::ui

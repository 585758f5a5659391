#include "ScoreColourMap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace collab::ui {

namespace {
// RdYlGn, 7 classes, light enough that dark text stays readable on every stop.
constexpr std::array<QRgb, 7> kStops = {0xfc8d59, 0xfdae61, 0xfee08b, 0xffffbf, 0xd9ef8b, 0xa6d96a, 0x66bd63};
} // namespace

ScoreColourMap::ScoreColourMap(double low, double high) : low_(low), high_(high) {}

ScoreColourMap ScoreColourMap::spanning(double low, double high) {
  if (!(high - low > 1e-9)) return ScoreColourMap(low - 0.5, high + 0.5);
  return ScoreColourMap(low, high);
}

QColor ScoreColourMap::at(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0);
  const double position = t * (kStops.size() - 1);
  const auto index = std::min<std::size_t>(static_cast<std::size_t>(position), kStops.size() - 2);
  const double f = position - static_cast<double>(index);
  const QColor a(kStops[index]), b(kStops[index + 1]);
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * f),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * f),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * f));
}

QColor ScoreColourMap::colour(std::optional<double> value) const {
  if (!value) return missing();
  return at((*value - low_) / (high_ - low_));
}

} // namespace collab::ui

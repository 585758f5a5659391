#pragma once

#include <QColor>
#include <QString>

#include <optional>

namespace collab::ui {

// Colours for scores on a red–yellow–green scale (ColorBrewer's RdYlGn, which reads
// also for most colour-blind viewers as dark-to-light-to-dark): the lowest value of the
// range red, the highest green. A node without the score is drawn neutral grey.
class ScoreColourMap {
public:
  ScoreColourMap() = default;
  ScoreColourMap(double low, double high);

  // The range of the values seen; a single value gets a small range around it.
  static ScoreColourMap spanning(double low, double high);

  double low() const { return low_; }
  double high() const { return high_; }
  QColor colour(std::optional<double> value) const;
  // A colour at position t in [0, 1] of the scale (for the legend's gradient).
  static QColor at(double t);
  static QColor missing() { return QColor(0xe6, 0xe8, 0xeb); }

private:
  double low_ = 0, high_ = 1;
};

} // namespace collab::ui

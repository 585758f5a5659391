#pragma once

#include "runs/Decimation.h"
#include "runs/MetricSeries.h"

#include <qcustomplot.h>

#include <QString>

#include <cstdint>
#include <map>
#include <set>

namespace collab::ui {

class MetricsStore;

// One metric (e.g. "loss") of every visible run, overlaid. The graphs hold only what one
// repaint needs: the smoothed series, decimated per pixel column over the visible x range,
// so a million points draw as a few thousand. Following, the axes track the data; a
// drag or a wheel by the user stops following (pause to zoom) until it is resumed.
class MetricPlot : public QCustomPlot {
  Q_OBJECT

public:
  MetricPlot(const MetricsStore* store, const QString& key, QWidget* parent = nullptr);

  QString key() const { return key_; }
  void setXAxisKind(XAxisKind kind);
  void setLogarithmic(bool x, bool y);
  void setVisibleRuns(const std::set<std::int64_t>& runs);
  void setFollowing(bool following);
  bool following() const { return following_; }

  bool dirty() const { return dirty_; }
  void markDirty();
  // Decimates again over the current range (the data's range when following) and redraws.
  void refresh();

  // Points given to the graphs at the last refresh (what was drawn), and held in total.
  std::size_t pointsDrawn() const { return drawn_; }
  std::size_t pointsHeld() const;
  QCPGraph* graphFor(std::int64_t run) const;
  // The visible x range in the axis's own unit (steps, epoch seconds or seconds).
  QCPRange visibleX() const { return xAxis->range(); }

signals:
  // The user zoomed or panned: whoever coordinates plots stops following.
  void userNavigated();
  // Something changed that a refresh should show (the owner coalesces refreshes).
  void refreshWanted();

private:
  void syncGraphs();
  bool dataRange(QCPRange* x) const;
  void fitY();
  void showContextMenu(const QPoint& at);

  const MetricsStore* store_;
  QString key_;
  XAxisKind axis_ = XAxisKind::Step;
  bool logX_ = false, logY_ = false;
  bool following_ = true;
  bool dirty_ = true;
  bool settingRange_ = false; // our own range changes are not the user's
  std::set<std::int64_t> visibleRuns_;
  std::map<std::int64_t, QCPGraph*> graphs_;
  DecimatedSeries scratch_;
  std::size_t drawn_ = 0;
};

// The colour of a run in every plot: fixed by its id, so overlays keep their colours.
QColor runColour(std::int64_t run);

} // namespace collab::ui

#pragma once

#include "runs/MetricSeries.h"

#include <QHash>
#include <QWidget>

#include <cstdint>
#include <set>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSlider;
class QTimer;

namespace collab::ui {

class MetricPlot;
class MetricsStore;

// The live training dashboard: one plot per metric (loss, rewards, KL, MR parts, tokens/s,
// learning rate, memory...) with every visible run overlaid. Points arrive as fast as they
// like; a single-shot timer repaints at most 25 times a second, and only the plots whose
// data or range changed. Smoothing (debiased EMA, or off), the x axis (step, wall time,
// time since start), log scales and following apply to every plot; zooming or panning any
// plot pauses following until "Follow" is pressed.
class Dashboard : public QWidget {
  Q_OBJECT

public:
  static constexpr int kRepaintIntervalMs = 40;

  explicit Dashboard(MetricsStore* store, QWidget* parent = nullptr);

  MetricsStore* store() const { return store_; }
  MetricPlot* plot(const QString& key) const { return plots_.value(key); }
  QList<MetricPlot*> plots() const;

  void setRunVisible(std::int64_t run, bool visible);
  const std::set<std::int64_t>& visibleRuns() const { return visibleRuns_; }
  // Only these runs shown (the runs table's selection: overlay by selecting several).
  void showOnly(const std::set<std::int64_t>& runs);
  void setFollowing(bool following);
  bool following() const { return following_; }
  // 0 turns smoothing off; otherwise the EMA weight in (0, 1).
  void setSmoothing(double weight);
  void setXAxisKind(XAxisKind kind);
  void setLogarithmic(bool x, bool y);

  // Writes the points inside each plot's visible x range (raw and smoothed) as CSV.
  // Returns an error message, or an empty string.
  QString exportVisibleCsv(const QString& path) const;
  // The plots as one picture: PNG, or PDF when the name ends in .pdf.
  QString savePicture(const QString& path);
  // Repaints so far (tests check the coalescing).
  int refreshCount() const { return refreshes_; }
  // Repaints the dirty plots now instead of at the next tick.
  void refreshNow();

signals:
  void followingChanged(bool following);

private:
  QWidget* createToolbar();
  void ensurePlots();
  void updateRunList();
  void scheduleRefresh();
  void pointsAdded(qint64 run, const QStringList& keys);
  void runItemChanged(QListWidgetItem* item);
  void chooseCsvFile();
  void choosePictureFile();

  MetricsStore* store_;
  QHash<QString, MetricPlot*> plots_;
  QStringList order_;
  std::set<std::int64_t> visibleRuns_;
  std::set<std::int64_t> knownRuns_;
  bool following_ = true;
  XAxisKind axis_ = XAxisKind::Step;
  bool logX_ = false, logY_ = false;
  int refreshes_ = 0;
  QTimer* repaint_;
  QListWidget* runList_;
  QGridLayout* grid_;
  QPushButton* followButton_;
  QCheckBox* smoothingOn_;
  QSlider* smoothingWeight_;
  QLabel* smoothingLabel_;
  QComboBox* xAxisChoice_;
  QCheckBox* logXBox_;
  QCheckBox* logYBox_;
};

} // namespace collab::ui

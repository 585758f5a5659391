#pragma once

#include "ScoreColourMap.h"

#include <QWidget>

namespace collab::ui {

// The key to the tree view's colours and marks, drawn over the view's corner: the score
// the cards are coloured by, its scale from the lowest to the highest value in the tree,
// and what the grey cards, the dashed ones and the badges mean.
class ScoreLegend : public QWidget {
  Q_OBJECT

public:
  explicit ScoreLegend(QWidget* parent = nullptr);

  void setScale(const QString& label, const ScoreColourMap& colours);
  QString label() const { return label_; }
  QSize sizeHint() const override;

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  QString label_;
  ScoreColourMap colours_;
};

} // namespace collab::ui

#pragma once

#include <QGraphicsItem>
#include <QPainterPath>

namespace collab::ui {

// The link from a node to one of its children: a smooth S from the bottom of the parent
// card to the top of the child's. Links into sampled futures are dashed, as their cards.
// Far out (the cards drawn as blocks) it is a plain straight line: thousands of them
// are drawn in every frame of a panned overview.
class TreeEdgeItem : public QGraphicsItem {
public:
  TreeEdgeItem(QPointF from, QPointF to, bool intoFuture);

  QRectF boundingRect() const override { return bounds_; }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  QPointF from_, to_;
  QPainterPath path_;
  QRectF bounds_;
  bool intoFuture_;
};

} // namespace collab::ui

#pragma once

#include <QGraphicsPathItem>

namespace collab::ui {

// The link from a node to one of its children: a smooth S from the bottom of the parent
// card to the top of the child's. Links into sampled futures are dashed, as their cards.
class TreeEdgeItem : public QGraphicsPathItem {
public:
  TreeEdgeItem(QPointF from, QPointF to, bool intoFuture);
};

} // namespace collab::ui

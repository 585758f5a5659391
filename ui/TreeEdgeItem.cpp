#include "TreeEdgeItem.h"

#include <QPainterPath>
#include <QPen>

namespace collab::ui {

TreeEdgeItem::TreeEdgeItem(QPointF from, QPointF to, bool intoFuture) {
  QPainterPath path(from);
  const double bend = (to.y() - from.y()) / 2;
  path.cubicTo(from + QPointF(0, bend), to - QPointF(0, bend), to);
  setPath(path);
  QPen pen(QColor(0x9a, 0xa1, 0xab), 1.4, intoFuture ? Qt::DashLine : Qt::SolidLine);
  pen.setCosmetic(true); // the same thickness at every zoom
  setPen(pen);
  setZValue(-1); // under the cards
  setFlag(ItemIsSelectable, false);
}

} // namespace collab::ui

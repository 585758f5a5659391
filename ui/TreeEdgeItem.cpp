#include "TreeEdgeItem.h"

#include "TreeNodeItem.h"

#include <QPainter>
#include <QPen>
#include <QStyleOptionGraphicsItem>

namespace collab::ui {

namespace {
const QColor kEdge(0x9a, 0xa1, 0xab);
}

TreeEdgeItem::TreeEdgeItem(QPointF from, QPointF to, bool intoFuture)
    : from_(from), to_(to), path_(from), intoFuture_(intoFuture) {
  const double bend = (to.y() - from.y()) / 2;
  path_.cubicTo(from + QPointF(0, bend), to - QPointF(0, bend), to);
  bounds_ = path_.boundingRect().adjusted(-2, -2, 2, 2);
  setZValue(-1); // under the cards
}

void TreeEdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
  QPen pen(kEdge, 1.4, intoFuture_ && detail >= TreeNodeItem::kTextDetail ? Qt::DashLine : Qt::SolidLine);
  pen.setCosmetic(true); // the same thickness at every zoom
  painter->setPen(pen);
  painter->setBrush(Qt::NoBrush);
  if (detail < TreeNodeItem::kTextDetail) {
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->drawLine(from_, to_);
    return;
  }
  painter->setRenderHint(QPainter::Antialiasing, true);
  painter->drawPath(path_);
}

} // namespace collab::ui

#include "PlotStyle.h"

#include <qcustomplot.h>

namespace collab::ui {

namespace {
constexpr const char* kMessageName = "collabPlotMessage";

QCPItemText* messageOf(QCustomPlot* plot) {
  for (int i = 0; i < plot->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)); text && text->objectName() == QLatin1String(kMessageName))
      return text;
  return nullptr;
}
} // namespace

void stylePlot(QCustomPlot* plot, const QString& title) {
  QFont small = plot->font();
  small.setPointSizeF(8);
  plot->plotLayout()->insertRow(0);
  QFont bold = small;
  bold.setBold(true);
  bold.setPointSizeF(9);
  plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, bold));
  for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
    axis->setTickLabelFont(small);
    axis->setLabelFont(small);
    axis->grid()->setPen(QPen(QColor(0xe3, 0xe6, 0xea), 0, Qt::SolidLine));
    axis->setBasePen(QPen(QColor(0x9a, 0xa1, 0xab)));
    axis->setTickPen(QPen(QColor(0x9a, 0xa1, 0xab)));
    axis->setSubTickPen(Qt::NoPen);
  }
  plot->legend->setFont(small);
  plot->legend->setBorderPen(QPen(QColor(0xd0, 0xd4, 0xda)));
  plot->legend->setBrush(QColor(255, 255, 255, 220));
  plot->setMinimumSize(170, 150);
  auto* message = new QCPItemText(plot);
  message->setObjectName(QLatin1String(kMessageName));
  message->position->setType(QCPItemPosition::ptAxisRectRatio);
  message->position->setCoords(0.5, 0.5);
  message->setFont(small);
  message->setColor(QColor(0x6b, 0x72, 0x80));
  message->setClipToAxisRect(false);
}

void placeLegendBelow(QCustomPlot* plot) {
  plot->legend->setVisible(true);
  if (plot->axisRect()->insetLayout()->take(plot->legend)) plot->axisRect()->insetLayout()->simplify();
  const int row = plot->plotLayout()->rowCount();
  plot->plotLayout()->addElement(row, 0, plot->legend);
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setWrap(4);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setRowSpacing(0);
  plot->legend->setColumnSpacing(8);
  plot->legend->setMargins(QMargins(4, 0, 4, 2));
  plot->plotLayout()->setRowStretchFactor(row, 0.001); // as tall as its entries, no more
}

void setPlotMessage(QCustomPlot* plot, const QString& message) {
  if (QCPItemText* text = messageOf(plot)) {
    text->setText(message);
    text->setVisible(!message.isEmpty());
  }
}

} // namespace collab::ui

#include "ScoreLegend.h"

#include <QLinearGradient>
#include <QPainter>

namespace collab::ui {

namespace {
constexpr int kWidth = 240;
constexpr int kPad = 8;
constexpr int kBarHeight = 10;
} // namespace

ScoreLegend::ScoreLegend(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("scoreLegend"));
  setAttribute(Qt::WA_TransparentForMouseEvents);
}

void ScoreLegend::setScale(const QString& label, const ScoreColourMap& colours) {
  label_ = label;
  colours_ = colours;
  update();
}

QSize ScoreLegend::sizeHint() const {
  const int line = fontMetrics().height();
  return {kWidth, 2 * kPad + 4 * line + kBarHeight + 10};
}

void ScoreLegend::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QColor(0xc8, 0xcd, 0xd4));
  painter.setBrush(QColor(255, 255, 255, 230));
  painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);

  const int line = fontMetrics().height();
  const QRect inner = rect().adjusted(kPad, kPad, -kPad, -kPad);
  painter.setPen(QColor(0x1d, 0x23, 0x2b));
  QFont bold = font();
  bold.setBold(true);
  painter.setFont(bold);
  painter.drawText(QRect(inner.left(), inner.top(), inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("Colour: %1").arg(label_));
  painter.setFont(font());

  const QRect bar(inner.left(), inner.top() + line + 4, inner.width(), kBarHeight);
  QLinearGradient gradient(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= 6; ++i) gradient.setColorAt(i / 6.0, ScoreColourMap::at(i / 6.0));
  painter.setPen(Qt::NoPen);
  painter.fillRect(bar, gradient);
  const QRect numbers(inner.left(), bar.bottom() + 2, inner.width(), line);
  painter.setPen(QColor(0x37, 0x41, 0x51));
  painter.drawText(numbers, Qt::AlignLeft | Qt::AlignVCenter, QString::number(colours_.low(), 'f', 2));
  painter.drawText(numbers, Qt::AlignRight | Qt::AlignVCenter, QString::number(colours_.high(), 'f', 2));

  // The marks, one line each: a swatch or badge and what it means.
  int y = numbers.bottom() + 4;
  const QRect swatch(inner.left(), y + 2, 14, line - 4);
  painter.fillRect(swatch, ScoreColourMap::missing());
  painter.drawText(QRect(swatch.right() + 6, y, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter, tr("no score"));
  painter.setPen(QPen(QColor(0x6b, 0x72, 0x80), 1, Qt::DashLine));
  painter.setBrush(Qt::NoBrush);
  const QRect dashed(inner.left() + inner.width() / 2, y + 2, 14, line - 4);
  painter.drawRect(dashed);
  painter.setPen(QColor(0x37, 0x41, 0x51));
  painter.drawText(QRect(dashed.right() + 6, y, inner.width() / 2, line), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("sampled future"));
  y += line;
  painter.setPen(QColor(0x1a, 0x98, 0x50));
  painter.drawText(QRect(inner.left(), y, inner.width() / 2, line), Qt::AlignLeft | Qt::AlignVCenter, tr("✓ chosen"));
  painter.setPen(QColor(0xd7, 0x30, 0x27));
  painter.drawText(QRect(inner.left() + inner.width() / 2, y, inner.width() / 2, line), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("✗ rejected"));
}

} // namespace collab::ui

#include "TreeNodeItem.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace collab::ui {

namespace {

constexpr double kRadius = 6;
constexpr double kPad = 8;
constexpr double kAccent = 5;
bool levelOfDetail = true;
const QRectF kCard(-TreeNodeItem::kWidth / 2, -TreeNodeItem::kHeight / 2, TreeNodeItem::kWidth, TreeNodeItem::kHeight);

QFont smallFont(bool bold) {
  QFont font;
  font.setPointSizeF(8.5);
  font.setBold(bold);
  return font;
}

// A round badge with one symbol on it, on the card's top-right corner.
void badge(QPainter* painter, QPointF centre, const QColor& colour, const QString& symbol) {
  painter->setPen(QPen(Qt::white, 1.5));
  painter->setBrush(colour);
  painter->drawEllipse(centre, 9, 9);
  painter->setPen(Qt::white);
  painter->setFont(smallFont(true));
  painter->drawText(QRectF(centre.x() - 9, centre.y() - 9, 18, 18), Qt::AlignCenter, symbol);
}

// The excerpt broken into two lines at a space, the second elided: worked out once, not
// on every paint.
std::pair<QString, QString> twoLines(const QString& text, const QFontMetricsF& metrics, double width) {
  const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  QString first;
  int used = 0;
  for (; used < words.size(); ++used) {
    const QString longer = first.isEmpty() ? words[used] : first + QLatin1Char(' ') + words[used];
    if (metrics.horizontalAdvance(longer) > width) break;
    first = longer;
  }
  if (first.isEmpty()) return {metrics.elidedText(text, Qt::ElideRight, width), QString()};
  const QString rest = words.mid(used).join(QLatin1Char(' '));
  return {first, metrics.elidedText(rest, Qt::ElideRight, width)};
}

} // namespace

TreeNodeItem::TreeNodeItem(NodeLook look) : look_(std::move(look)) {
  setFlag(ItemIsSelectable);
  setToolTip(look_.title + (look_.score.isEmpty() ? QString() : QStringLiteral(" · ") + look_.score));
}

void TreeNodeItem::setLevelOfDetail(bool on) { levelOfDetail = on; }

QRectF TreeNodeItem::boundingRect() const { return kCard.adjusted(-2, -12, 12, 2); } // room for the badges

void TreeNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double detail = levelOfDetail ? option->levelOfDetailFromTransform(painter->worldTransform()) : 1.0;
  if (detail < kBlockDetail) {
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(kCard, isSelected() ? QColor(0x1f, 0x5f, 0xbf) : look_.fill);
    return;
  }
  painter->setRenderHint(QPainter::Antialiasing, detail >= kTextDetail);
  const QPen border = isSelected() ? QPen(QColor(0x1f, 0x5f, 0xbf), 3)
                                   : QPen(QColor(0x6b, 0x72, 0x80), 1, look_.continuation ? Qt::DashLine : Qt::SolidLine);
  painter->setPen(border);
  painter->setBrush(look_.fill);
  painter->drawRoundedRect(kCard, kRadius, kRadius);
  painter->fillRect(QRectF(kCard.left() + 1, kCard.top() + 4, kAccent, kCard.height() - 8), look_.accent);
  if (detail < kTextDetail) return;
  paintCard(painter);
  paintBadges(painter);
}

void TreeNodeItem::paintCard(QPainter* painter) const {
  const QRectF inner = kCard.adjusted(kAccent + kPad, kPad - 2, -kPad, -kPad + 2);
  const QFont bold = smallFont(true), plain = smallFont(false);
  const QFontMetricsF boldMetrics(bold), metrics(plain);
  painter->setPen(QColor(0x1d, 0x23, 0x2b));
  painter->setFont(bold);
  const double scoreWidth = look_.score.isEmpty() ? 0 : boldMetrics.horizontalAdvance(look_.score) + 4;
  painter->drawText(QRectF(inner.left(), inner.top(), inner.width() - scoreWidth, boldMetrics.height()),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    boldMetrics.elidedText(look_.title, Qt::ElideRight, inner.width() - scoreWidth));
  if (!look_.score.isEmpty())
    painter->drawText(QRectF(inner.right() - scoreWidth, inner.top(), scoreWidth, boldMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter, look_.score);
  // Two lines of the text: enough to tell candidates apart at a glance.
  painter->setFont(plain);
  painter->setPen(QColor(0x2b, 0x31, 0x3a));
  const QRectF textRect(inner.left(), inner.top() + boldMetrics.height() + 2, inner.width(),
                        inner.height() - boldMetrics.height() - 2);
  if (!lines_) lines_ = twoLines(look_.excerpt, metrics, textRect.width()); // once, when first drawn with text
  painter->drawText(QRectF(textRect.left(), textRect.top(), textRect.width(), metrics.height()), Qt::AlignLeft,
                    lines_->first);
  painter->drawText(QRectF(textRect.left(), textRect.top() + metrics.height(), textRect.width(), metrics.height()),
                    Qt::AlignLeft, lines_->second);
}

void TreeNodeItem::paintBadges(QPainter* painter) const {
  QPointF corner(kCard.right() - 2, kCard.top() - 1);
  if (look_.chosen) {
    badge(painter, corner, QColor(0x1a, 0x98, 0x50), QStringLiteral("✓"));
    corner.rx() -= 22;
  }
  if (look_.rejected) badge(painter, corner, QColor(0xd7, 0x30, 0x27), QStringLiteral("✗"));
  if (look_.hiddenBelow > 0) {
    const QString text = QStringLiteral("+%1").arg(look_.hiddenBelow);
    const QFont bold = smallFont(true);
    const double width = QFontMetricsF(bold).horizontalAdvance(text) + 10;
    const QRectF pill(kCard.center().x() - width / 2, kCard.bottom() - 8, width, 14);
    painter->setPen(QPen(QColor(0x6b, 0x72, 0x80), 1));
    painter->setBrush(QColor(0xff, 0xff, 0xff));
    painter->drawRoundedRect(pill, 7, 7);
    painter->setPen(QColor(0x37, 0x41, 0x51));
    painter->setFont(bold);
    painter->drawText(pill, Qt::AlignCenter, text);
  }
}

} // namespace collab::ui

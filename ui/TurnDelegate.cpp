#include "TurnDelegate.h"

#include "TurnListModel.h"

#include <QAbstractItemView>
#include <QListView>
#include <QPainter>
#include <QTextLayout>

#include <algorithm>

namespace collab::ui {

namespace {

constexpr int kOuterMargin = 6; // between cards
constexpr int kPadding = 10;    // inside a card
constexpr int kAccentWidth = 4; // the role-coloured bar on the left
constexpr int kHeaderGap = 4;   // between the header line and the text

QColor accentFor(const QString& role) {
  if (role == QLatin1String("user")) return QColor(0x3b, 0x7d, 0xd8);
  if (role == QLatin1String("assistant")) return QColor(0x2e, 0x9e, 0x6b);
  if (role == QLatin1String("system")) return QColor(0xc9, 0x8a, 0x1a);
  return QColor(0x88, 0x88, 0x88);
}

QColor backgroundFor(const QString& role) {
  if (role == QLatin1String("user")) return QColor(0xee, 0xf4, 0xfd);
  if (role == QLatin1String("assistant")) return QColor(0xf3, 0xfa, 0xf6);
  return QColor(0xfb, 0xf6, 0xea);
}

// Wraps at word boundaries, and inside a word only when one word is wider than the
// card (long URLs, code): QPainter::drawText cannot do both.
class WrappedText {
public:
  WrappedText(const QString& text, const QFont& font, int width) : layout_(prepared(text), font) {
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout_.setTextOption(option);
    layout_.beginLayout();
    qreal y = 0;
    for (QTextLine line = layout_.createLine(); line.isValid(); line = layout_.createLine()) {
      line.setLineWidth(width);
      line.setPosition(QPointF(0, y));
      y += line.height();
    }
    layout_.endLayout();
    height_ = qCeil(y);
  }

  int height() const { return height_; }
  void draw(QPainter* painter, QPoint at) const { layout_.draw(painter, at); }

private:
  // QTextLayout breaks lines only at QChar::LineSeparator, not at '\n'.
  static QString prepared(QString text) {
    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    return text;
  }

  QTextLayout layout_;
  int height_ = 0;
};

QFont headerFont(const QFont& base) {
  QFont font = base;
  font.setBold(true);
  return font;
}

} // namespace

TurnDelegate::TurnDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QString TurnDelegate::markers(const QModelIndex& index) {
  QStringList parts;
  const QString branch = index.data(TurnListModel::BranchLabelRole).toString();
  if (!branch.isEmpty()) parts << branch;
  const int samples = index.data(TurnListModel::ContinuationCountRole).toInt();
  if (samples > 0) parts << (samples == 1 ? tr("1 sampled continuation") : tr("%1 sampled continuations").arg(samples));
  const QVariant mr = index.data(TurnListModel::MrRole);
  if (mr.isValid()) {
    const QVariant mrStd = index.data(TurnListModel::MrStdRole);
    parts << (mrStd.isValid() ? tr("MR %1 ± %2").arg(mr.toDouble(), 0, 'f', 3).arg(mrStd.toDouble(), 0, 'f', 3)
                              : tr("MR %1").arg(mr.toDouble(), 0, 'f', 3));
  }
  return parts.join(QStringLiteral("  ·  "));
}

int TurnDelegate::textWidth(const QStyleOptionViewItem& option) const {
  // A list gives no width to sizeHint; there the card is as wide as the viewport. A table
  // (the side-by-side comparison) gives the column's width.
  int width = option.rect.width();
  if (const auto* view = qobject_cast<const QListView*>(option.widget)) width = view->viewport()->width();
  return std::max(80, width - 2 * kOuterMargin - 2 * kPadding - kAccentWidth);
}

QSize TurnDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  if (!index.data(TurnListModel::RoleNameRole).isValid()) return {textWidth(option), 2 * kOuterMargin}; // no turn here
  const WrappedText text(index.data(TurnListModel::TextRole).toString(), option.font, textWidth(option));
  int header = QFontMetrics(headerFont(option.font)).height();
  if (!index.data(TurnListModel::BreakdownRole).toString().isEmpty()) header += QFontMetrics(option.font).height();
  const int height = 2 * kOuterMargin + 2 * kPadding + header + kHeaderGap + std::max(text.height(), 1);
  return {textWidth(option) + 2 * kOuterMargin + 2 * kPadding + kAccentWidth, height};
}

void TurnDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  if (!index.data(TurnListModel::RoleNameRole).isValid()) return; // a branch that ended sooner
  const QString role = index.data(TurnListModel::RoleNameRole).toString();
  const QRect card = option.rect.adjusted(kOuterMargin, kOuterMargin, -kOuterMargin, -kOuterMargin);
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  const bool selected = option.state.testFlag(QStyle::State_Selected);
  painter->setPen(selected ? QPen(option.palette.highlight().color(), 2) : QPen(QColor(0xd8, 0xdc, 0xe2)));
  painter->setBrush(backgroundFor(role));
  painter->drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
  painter->fillRect(QRect(card.left() + 1, card.top() + 1, kAccentWidth, card.height() - 1), accentFor(role));

  const QRect inner = card.adjusted(kAccentWidth + kPadding, kPadding, -kPadding, -kPadding);
  const QFont bold = headerFont(option.font);
  const QFontMetrics boldMetrics(bold), metrics(option.font);
  const QRect header(inner.left(), inner.top(), inner.width(), boldMetrics.height());

  const QString roleTitle = role.left(1).toUpper() + role.mid(1);
  painter->setFont(bold);
  painter->setPen(accentFor(role).darker(130));
  painter->drawText(header, Qt::AlignLeft | Qt::AlignVCenter, roleTitle);

  // The markers say why this turn matters; they take room before the author does.
  const QString right = markers(index);
  const int roleWidth = boldMetrics.horizontalAdvance(roleTitle) + kPadding;
  // elidedText() wants a few pixels more than horizontalAdvance() reports before it
  // leaves a string whole.
  const int rightWidth = std::clamp(metrics.horizontalAdvance(right) + 4, 0, std::max(0, header.width() - roleWidth));
  painter->setFont(option.font);
  painter->setPen(QColor(0x44, 0x44, 0x44));
  painter->drawText(header, Qt::AlignRight | Qt::AlignVCenter, metrics.elidedText(right, Qt::ElideLeft, rightWidth));

  // The author gets what the role and the markers leave over.
  const int authorLeft = header.left() + roleWidth;
  const QRect authorRect(authorLeft, header.top(), header.right() - rightWidth - kPadding - authorLeft, header.height());
  painter->setPen(QColor(0x80, 0x80, 0x80));
  painter->drawText(authorRect, Qt::AlignLeft | Qt::AlignVCenter,
                    metrics.elidedText(index.data(TurnListModel::AuthorRole).toString(), Qt::ElideMiddle,
                                       std::max(0, authorRect.width())));

  // The parts of the turn's reward, under the header, when it has them.
  int textTop = header.bottom() + 1 + kHeaderGap;
  if (const QString breakdown = index.data(TurnListModel::BreakdownRole).toString(); !breakdown.isEmpty()) {
    painter->setPen(QColor(0x55, 0x5b, 0x66));
    painter->drawText(QRect(inner.left(), header.bottom() + 1, inner.width(), metrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(breakdown, Qt::ElideRight, inner.width()));
    textTop += metrics.height();
  }
  painter->setPen(QColor(0x1d, 0x23, 0x2b)); // cards are light in either palette
  const WrappedText text(index.data(TurnListModel::TextRole).toString(), option.font, inner.width());
  text.draw(painter, QPoint(inner.left(), textTop));
  painter->restore();
}

} // namespace collab::ui

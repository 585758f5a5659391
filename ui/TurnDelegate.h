#pragma once

#include <QStyledItemDelegate>

namespace collab::ui {

// Paints a turn of a TurnListModel as a card: the role and author, the branch marker,
// sampled-continuation count and MR score on a header line, then the whole text
// wrapped to the view's width. Turns are read, not scanned, so nothing is elided.
class TurnDelegate : public QStyledItemDelegate {
  Q_OBJECT

public:
  explicit TurnDelegate(QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

  // The header's right-hand part, e.g. "2 of 3 alternatives · 3 sampled continuations".
  static QString markers(const QModelIndex& index);

private:
  int textWidth(const QStyleOptionViewItem& option) const;
};

} // namespace collab::ui

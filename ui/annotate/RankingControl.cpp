#include "RankingControl.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>

namespace collab::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kTextWidth = 90;
} // namespace

RankingControl::RankingControl(const annotation::LabelDefinition& label, QWidget* parent)
    : LabelControl(label, parent), list_(new QListWidget(body())), keep_(new QPushButton(tr("Keep this order"), body())) {
  list_->setObjectName(QStringLiteral("rankingList"));
  list_->setDragDropMode(QAbstractItemView::InternalMove);
  list_->setDefaultDropAction(Qt::MoveAction);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setAlternatingRowColors(true);
  // One line per candidate, cut with "…" (the whole text is the tooltip), so the list is
  // exactly as tall as its candidates and never scrolls sideways.
  list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  list_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  list_->setTextElideMode(Qt::ElideRight);
  list_->setUniformItemSizes(true);
  keep_->setFocusPolicy(Qt::NoFocus);
  auto* hint = new QLabel(tr("Best first. Drag, or Alt+Up / Alt+Down."), body());
  hint->setStyleSheet(QStringLiteral("color:#666"));
  auto* row = new QHBoxLayout;
  row->addWidget(hint, 1);
  row->addWidget(keep_);
  auto* layout = new QVBoxLayout(body());
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
  layout->addLayout(row);
  // A drop inside the list moves rows: that is a new order.
  connect(list_->model(), &QAbstractItemModel::rowsMoved, this, &RankingControl::answerOrder);
  connect(keep_, &QPushButton::clicked, this, &RankingControl::answerOrder);
  setUnavailable(tr("Needs a turn with two or more candidates."));
}

void RankingControl::setCandidates(const std::vector<Candidate>& candidates) {
  candidates_ = candidates;
  std::vector<conversation::NodeId> ids;
  for (const auto& candidate : candidates_) ids.push_back(candidate.id);
  fill(ids);
  setUnavailable(isAnswerable() ? QString() : tr("Needs a turn with two or more candidates."));
}

// A stored order shows as stored; candidates it does not name (added since) go last.
void RankingControl::load(const std::optional<annotation::Json>& value) {
  std::vector<conversation::NodeId> ids;
  if (value && value->is_array())
    for (const auto& id : *value)
      if (std::any_of(candidates_.begin(), candidates_.end(), [&](const Candidate& c) { return c.id == id; }))
        ids.push_back(id.get<conversation::NodeId>());
  ranked_ = !ids.empty();
  for (const auto& candidate : candidates_)
    if (std::find(ids.begin(), ids.end(), candidate.id) == ids.end()) ids.push_back(candidate.id);
  fill(ids);
}

void RankingControl::fill(const std::vector<conversation::NodeId>& order) {
  const QSignalBlocker block(list_->model());
  list_->clear();
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto candidate = std::find_if(candidates_.begin(), candidates_.end(), [&](const Candidate& c) { return c.id == order[i]; });
    QString text = candidate->text.simplified();
    if (text.size() > kTextWidth) text = text.left(kTextWidth - 1) + QChar(0x2026);
    auto* item = new QListWidgetItem(QStringLiteral("#%1  %2").arg(order[i]).arg(text), list_);
    item->setData(kIdRole, QVariant::fromValue<qlonglong>(order[i]));
    item->setToolTip(candidate->text);
  }
  if (list_->count() > 0) list_->setCurrentRow(0); // so Alt+Up / Alt+Down work at once
  // Computed from the font, not the view: a view not shown yet has no row sizes.
  const int rowHeight = list_->fontMetrics().height() + 6;
  for (int row = 0; row < list_->count(); ++row) list_->item(row)->setSizeHint(QSize(0, rowHeight));
  list_->setFixedHeight(rowHeight * std::max<int>(2, static_cast<int>(order.size())) + 2 * list_->frameWidth());
  keep_->setText(ranked_ ? tr("Ranked ✓") : tr("Keep this order"));
}

std::vector<conversation::NodeId> RankingControl::order() const {
  std::vector<conversation::NodeId> ids;
  for (int row = 0; row < list_->count(); ++row) ids.push_back(list_->item(row)->data(kIdRole).toLongLong());
  return ids;
}

void RankingControl::answerOrder() {
  if (!isAnswerable()) return;
  ranked_ = true;
  keep_->setText(tr("Ranked ✓"));
  emit answered(annotation::Json(order()));
}

void RankingControl::moveSelected(int step) {
  const int row = list_->currentRow();
  const int target = row + step;
  if (row < 0 || target < 0 || target >= list_->count()) return;
  {
    const QSignalBlocker block(list_->model());
    list_->insertItem(target, list_->takeItem(row));
  }
  list_->setCurrentRow(target);
  answerOrder();
}

void RankingControl::addShortcuts(QWidget* scope) {
  for (const auto& [key, step] : {std::pair{"Alt+Up", -1}, std::pair{"Alt+Down", 1}}) {
    auto* shortcut = new QShortcut(QKeySequence(QString::fromLatin1(key), QKeySequence::PortableText), scope);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(this, &QObject::destroyed, shortcut, [shortcut] { delete shortcut; });
    connect(shortcut, &QShortcut::activated, this, [this, s = step] {
      if (acceptsKeys()) moveSelected(s);
    });
  }
}

} // namespace collab::ui

#include "TurnPanel.h"

#include "TreeSnapshot.h"
#include "TurnDelegate.h"
#include "TurnListModel.h"

#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace collab::ui {

TurnPanel::TurnPanel(TurnListModel* model, QWidget* parent)
    : QWidget(parent), model_(model), heading_(new QLabel(this)), view_(new QListView(this)) {
  heading_->setObjectName(QStringLiteral("turnHeading"));
  heading_->setTextFormat(Qt::RichText);
  heading_->setWordWrap(true);
  heading_->setContentsMargins(6, 4, 6, 4);

  view_->setObjectName(QStringLiteral("turnList"));
  view_->setModel(model_);
  view_->setItemDelegate(new TurnDelegate(view_));
  // Cards are re-wrapped to the new width whenever the panel is resized.
  view_->setResizeMode(QListView::Adjust);
  view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  view_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(heading_);
  layout->addWidget(view_);
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
    if (!selecting_ && current.isValid()) emit turnActivated(current.data(TurnListModel::NodeIdRole).toLongLong());
  });
  showNothing(tr("No conversation selected."));
}

void TurnPanel::showNothing(const QString& why) {
  shown_.reset();
  model_->clear();
  heading_->setText(why.toHtmlEscaped());
}

void TurnPanel::showPath(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> current) {
  if (!snapshot) {
    showNothing(tr("No conversation selected."));
    return;
  }
  const bool onPath = snapshot == shown_ && current && model_->rowOf(*current) >= 0;
  if (!onPath) {
    shown_ = snapshot;
    model_->setPath(*snapshot, current ? snapshot->activePath(*current) : snapshot->bestPath());
    setHeading(*snapshot);
    view_->scrollToTop();
  }
  selectRow(current ? model_->rowOf(*current) : -1);
}

void TurnPanel::selectRow(int row) {
  selecting_ = true;
  if (row < 0) {
    view_->selectionModel()->clear();
  } else {
    const QModelIndex index = model_->index(row);
    view_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    view_->scrollTo(index);
  }
  selecting_ = false;
}

void TurnPanel::setHeading(const TreeSnapshot& snapshot) {
  const store::TreeRecord& record = snapshot.record();
  QString details = tr("Tree %1 · %2").arg(record.id).arg(QString::fromStdString(record.source));
  if (!snapshot.personaLabel().empty()) details += tr(" · persona %1").arg(QString::fromStdString(snapshot.personaLabel()));
  details += tr(" · %1 turns on this path (best by %2 below the selected turn)")
                 .arg(model_->rowCount())
                 .arg(QString::fromLatin1(TurnListModel::kScoreKind));
  // Rich text for a bold title; everything from the data is escaped.
  heading_->setText(QStringLiteral("<b>%1</b><br><span style=\"color:#666\">%2</span>")
                        .arg(QString::fromStdString(record.title).toHtmlEscaped(), details.toHtmlEscaped()));
}

} // namespace collab::ui

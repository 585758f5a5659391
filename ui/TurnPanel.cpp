#include "TurnPanel.h"

#include "TurnDelegate.h"
#include "TurnListModel.h"
#include "store/Project.h"

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
  showNothing(tr("No conversation selected."));
}

void TurnPanel::showNothing(const QString& why) {
  model_->clear();
  heading_->setText(why.toHtmlEscaped());
}

void TurnPanel::showTree(store::Project& project, conversation::TreeId tree) {
  const std::optional<store::TreeRecord> record = project.trees().find(tree);
  if (!record) {
    showNothing(tr("Conversation %1 is not in the project any more.").arg(tree));
    return;
  }
  model_->setTree(project, record->id);
  // Rich text for a bold title; everything from the data is escaped.
  const QString details = tr("Tree %1 · %2 · best path by %3 · %4 turns")
                              .arg(record->id)
                              .arg(QString::fromStdString(record->source))
                              .arg(QString::fromLatin1(TurnListModel::kScoreKind))
                              .arg(model_->rowCount());
  heading_->setText(QStringLiteral("<b>%1</b><br><span style=\"color:#666\">%2</span>")
                        .arg(QString::fromStdString(record->title).toHtmlEscaped(), details.toHtmlEscaped()));
  view_->scrollToTop();
}

} // namespace collab::ui

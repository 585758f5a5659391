#include "TreePanel.h"

#include "TreeScene.h"
#include "TreeView.h"

#include <QComboBox>
#include <QLabel>
#include <QToolBar>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
// The scores the issue names first, then whatever else the tree holds.
const QStringList kPreferredKinds = {QStringLiteral("MR"), QStringLiteral("task"), QStringLiteral("efficiency"),
                                     QStringLiteral("interactivity")};
} // namespace

TreePanel::TreePanel(QWidget* parent)
    : QWidget(parent), toolBar_(new QToolBar(this)), colourBox_(new QComboBox(this)), caption_(new QLabel(this)),
      view_(new TreeView(this)) {
  setObjectName(QStringLiteral("treePanel"));
  colourBox_->setObjectName(QStringLiteral("colourBy"));
  colourBox_->setToolTip(tr("The score the cards are coloured by"));
  colourBox_->addItems(kPreferredKinds);
  caption_->setObjectName(QStringLiteral("treeCaption"));
  caption_->setContentsMargins(8, 0, 8, 0);
  caption_->setTextFormat(Qt::PlainText);

  toolBar_->setObjectName(QStringLiteral("treeToolBar"));
  toolBar_->setIconSize(QSize(16, 16));
  toolBar_->addWidget(new QLabel(tr(" Colour by "), this));
  toolBar_->addWidget(colourBox_);
  toolBar_->addSeparator();
  toolBar_->addAction(tr("Fit"), view_, &TreeView::fitTree)->setToolTip(tr("Show the whole tree (F)"));
  toolBar_->addAction(tr("Zoom in"), view_, [this] { view_->zoomBy(1.25); })->setToolTip(tr("Zoom in (+)"));
  toolBar_->addAction(tr("Zoom out"), view_, [this] { view_->zoomBy(0.8); })->setToolTip(tr("Zoom out (-)"));
  toolBar_->addAction(tr("Expand all"), view_, [this] { view_->treeScene()->expandAll(); })
      ->setToolTip(tr("Show every sampled future in full"));
  toolBar_->addWidget(caption_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(toolBar_);
  layout->addWidget(view_, 1);
  connect(colourBox_, &QComboBox::currentTextChanged, view_, &TreeView::setColourKind);
  connect(view_->treeScene(), &TreeScene::rebuilt, this, &TreePanel::updateCaption);
}

void TreePanel::showSnapshot(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> focus) {
  offerKinds(snapshot.get());
  view_->showSnapshot(snapshot, focus);
}

void TreePanel::updateCaption() {
  const TreeSnapshot* snapshot = view_->treeScene()->snapshot();
  if (!snapshot) {
    caption_->clear();
    return;
  }
  caption_->setText(tr("tree %1 · %2 nodes, %3 shown (sampled futures folded; Space or double-click unfolds)")
                        .arg(snapshot->record().id)
                        .arg(snapshot->tree().size())
                        .arg(view_->treeScene()->visibleCount()));
}

void TreePanel::offerKinds(const TreeSnapshot* snapshot) {
  // Other score kinds of the tree (imported metrics) join the list; none is taken away,
  // so the choice survives moving between conversations.
  if (!snapshot) return;
  for (const std::string& kind : snapshot->kinds()) {
    const QString name = QString::fromStdString(kind);
    if (name != QLatin1String("R*") && colourBox_->findText(name) < 0) colourBox_->addItem(name);
  }
}

} // namespace collab::ui

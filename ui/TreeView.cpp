#include "TreeView.h"

#include "ScoreLegend.h"
#include "TreeNodeItem.h"
#include "TreeScene.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace collab::ui {

namespace {
// Below this zoom the cards' text cannot be read; a new tree is shown at a readable zoom
// around its current node instead of whole.
constexpr double kReadableZoom = 0.6;
constexpr double kWheelStep = 1.15;
constexpr int kLegendMargin = 10;
} // namespace

TreeView::TreeView(QWidget* parent) : QGraphicsView(parent), scene_(new TreeScene(this)), legend_(new ScoreLegend(this)) {
  setObjectName(QStringLiteral("treeView"));
  setScene(scene_);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setResizeAnchor(QGraphicsView::AnchorViewCenter);
  // Only what changed is repainted. Cards and links set every pen, brush, font and hint
  // they draw with, so the painter's state need not be saved and restored around each.
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  setOptimizationFlags(QGraphicsView::DontAdjustForAntialiasing | QGraphicsView::DontSavePainterState);
  setCacheMode(QGraphicsView::CacheBackground);
  setBackgroundBrush(palette().color(QPalette::Base));
  setFocusPolicy(Qt::StrongFocus);
  connect(scene_, &QGraphicsScene::selectionChanged, this, &TreeView::onSelectionChanged);
  connect(scene_, &TreeScene::rebuilt, this, &TreeView::onRebuilt);
  placeLegend();
}

void TreeView::showSnapshot(std::shared_ptr<const TreeSnapshot> snapshot, std::optional<conversation::NodeId> focus) {
  const bool newTree = !snapshot || !scene_->snapshot() || snapshot->record().id != scene_->snapshot()->record().id;
  const QPointF centre = mapToScene(viewport()->rect().center());
  current_ = focus;
  scene_->setSnapshot(std::move(snapshot), focus);
  if (newTree)
    frame(current_);
  else
    centerOn(centre);
}

void TreeView::frame(std::optional<conversation::NodeId> focus) {
  fitTree();
  if (zoom() >= kReadableZoom) return;
  resetTransform();
  scale(kReadableZoom + 0.15, kReadableZoom + 0.15);
  if (focus)
    if (TreeNodeItem* item = scene_->itemFor(*focus)) centerOn(item);
}

void TreeView::setCurrentNode(std::optional<conversation::NodeId> node) {
  if (node == current_) return;
  current_ = node;
  if (current_) scene_->reveal(*current_);
  selectCurrent();
}

void TreeView::moveTo(std::optional<conversation::NodeId> node) {
  if (!node || node == current_) return;
  setCurrentNode(node);
  emit currentNodeChanged(*node);
}

void TreeView::selectCurrent(bool scrollTo) {
  selecting_ = true;
  scene_->clearSelection();
  if (current_)
    if (TreeNodeItem* item = scene_->itemFor(*current_)) {
      item->setSelected(true);
      if (scrollTo) ensureVisible(item, 40, 40);
    }
  selecting_ = false;
}

void TreeView::onSelectionChanged() {
  if (selecting_) return;
  const QList<QGraphicsItem*> selected = scene_->selectedItems();
  // A press on the background (to pan) clears the scene's selection; the current node stays.
  if (selected.isEmpty()) return selectCurrent(false);
  if (selected.size() != 1) return;
  if (auto* item = dynamic_cast<TreeNodeItem*>(selected.front())) {
    if (item->nodeId() == current_) return;
    current_ = item->nodeId();
    emit currentNodeChanged(item->nodeId());
  }
}

void TreeView::onRebuilt() {
  legend_->setScale(scene_->colourLabel(), scene_->colourMap());
  legend_->setVisible(scene_->snapshot() != nullptr);
  // A node hidden by a collapse hands the current mark to the collapsed node above it.
  if (current_ && !scene_->itemFor(*current_) && scene_->snapshot() && scene_->snapshot()->tree().find(*current_)) {
    for (conversation::NodeId above : scene_->snapshot()->tree().pathTo(*current_))
      if (scene_->isCollapsed(above)) {
        current_ = above;
        selectCurrent();
        emit currentNodeChanged(above);
        return;
      }
  }
  selectCurrent();
}

void TreeView::goToParent() {
  const TreeSnapshot* snapshot = scene_->snapshot();
  if (!snapshot || !current_) return;
  moveTo(snapshot->tree().at(*current_).parentId);
}

void TreeView::goToChild() {
  const TreeSnapshot* snapshot = scene_->snapshot();
  if (!snapshot || !current_) return;
  scene_->setCollapsed(*current_, false);
  // The conversation's next turn; a candidate nobody answered leads into its first future.
  std::optional<conversation::NodeId> next = snapshot->nextOnPath(*current_);
  if (!next && !snapshot->tree().children(*current_).empty()) next = snapshot->tree().children(*current_).front();
  moveTo(next);
}

void TreeView::goToSibling(int step) {
  const TreeSnapshot* snapshot = scene_->snapshot();
  if (!snapshot || !current_) return;
  const auto& siblings = snapshot->tree().siblings(*current_);
  const auto at = std::find(siblings.begin(), siblings.end(), *current_) - siblings.begin();
  const auto next = at + step;
  if (next >= 0 && next < static_cast<std::ptrdiff_t>(siblings.size())) moveTo(siblings[static_cast<std::size_t>(next)]);
}

void TreeView::goToRoot() {
  const TreeSnapshot* snapshot = scene_->snapshot();
  if (!snapshot || snapshot->tree().roots().empty()) return;
  moveTo(current_ ? snapshot->tree().pathTo(*current_).front() : snapshot->tree().roots().front());
}

void TreeView::toggleCollapsed() {
  if (current_) scene_->setCollapsed(*current_, !scene_->isCollapsed(*current_));
}

void TreeView::setColourKind(const QString& kind) { scene_->setColourKind(kind); }

void TreeView::zoomBy(double factor) {
  const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
  scale(target / zoom(), target / zoom());
}

void TreeView::fitTree() {
  if (scene_->items().isEmpty()) return;
  fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
  if (zoom() > 1.0) zoomBy(1.0 / zoom()); // a small tree is shown at its natural size
}

double TreeView::zoom() const { return transform().m11(); }

void TreeView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
  case Qt::Key_Up: goToParent(); break;
  case Qt::Key_Down: goToChild(); break;
  case Qt::Key_Left: goToSibling(-1); break;
  case Qt::Key_Right: goToSibling(+1); break;
  case Qt::Key_Home: goToRoot(); break;
  case Qt::Key_Space: toggleCollapsed(); break;
  case Qt::Key_F: fitTree(); break;
  case Qt::Key_Plus:
  case Qt::Key_Equal: zoomBy(kWheelStep); break;
  case Qt::Key_Minus: zoomBy(1 / kWheelStep); break;
  default: QGraphicsView::keyPressEvent(event); return;
  }
  event->accept();
}

void TreeView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return QGraphicsView::wheelEvent(event);
  zoomBy(std::pow(kWheelStep, steps));
  event->accept();
}

void TreeView::mouseDoubleClickEvent(QMouseEvent* event) {
  if (auto* item = dynamic_cast<TreeNodeItem*>(itemAt(event->position().toPoint()))) {
    const conversation::NodeId node = item->nodeId();
    moveTo(node);
    scene_->setCollapsed(node, !scene_->isCollapsed(node));
    event->accept();
    return;
  }
  QGraphicsView::mouseDoubleClickEvent(event);
}

void TreeView::contextMenuEvent(QContextMenuEvent* event) {
  auto* item = dynamic_cast<TreeNodeItem*>(itemAt(event->pos()));
  if (!item || !nodeMenu_) return QGraphicsView::contextMenuEvent(event);
  moveTo(item->nodeId()); // the menu acts on the card it was opened on
  nodeMenu_->popup(event->globalPos());
  event->accept();
}

void TreeView::changeEvent(QEvent* event) {
  // The canvas follows the theme; the cards keep their light colours in both.
  if (event->type() == QEvent::PaletteChange) setBackgroundBrush(palette().color(QPalette::Base));
  QGraphicsView::changeEvent(event);
}

void TreeView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  placeLegend();
}

void TreeView::placeLegend() {
  const QSize size = legend_->sizeHint();
  const int scrollBar = verticalScrollBar()->isVisible() ? verticalScrollBar()->width() : 0;
  legend_->setGeometry(width() - size.width() - kLegendMargin - scrollBar, kLegendMargin, size.width(), size.height());
  legend_->raise();
}

} // namespace collab::ui

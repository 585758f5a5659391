#include "TreeScene.h"

#include "TidyTreeLayout.h"
#include "TreeEdgeItem.h"
#include "TreeNodeItem.h"

#include <QSignalBlocker>

#include <algorithm>
#include <limits>

namespace collab::ui {

namespace {

using conversation::NodeId;
using conversation::NodeKind;
using conversation::Role;

constexpr int kExcerptLength = 140;

QColor accentFor(Role role) {
  switch (role) {
  case Role::User: return QColor(0x3b, 0x7d, 0xd8);
  case Role::Assistant: return QColor(0x2e, 0x9e, 0x6b);
  case Role::System: return QColor(0xc9, 0x8a, 0x1a);
  case Role::Tool: return QColor(0x88, 0x88, 0x88);
  }
  return QColor(0x88, 0x88, 0x88);
}

QString roleTitle(Role role) {
  const QString name = QString::fromUtf8(conversation::toString(role));
  return name.left(1).toUpper() + name.mid(1);
}

// Score kinds as the cards and the legend abbreviate them.
QString shortKind(const QString& kind) {
  if (kind == QLatin1String("efficiency")) return QStringLiteral("eff");
  if (kind == QLatin1String("interactivity")) return QStringLiteral("int");
  return kind;
}

QString excerptOf(const std::string& content) {
  QString text = QString::fromStdString(content.substr(0, kExcerptLength * 4)).simplified();
  if (text.size() > kExcerptLength) text = text.left(kExcerptLength) + QChar(0x2026);
  return text.isEmpty() ? QStringLiteral("(empty)") : text;
}

} // namespace

TreeScene::TreeScene(QObject* parent) : QGraphicsScene(parent) {
  setItemIndexMethod(QGraphicsScene::BspTreeIndex);
}

void TreeScene::setSnapshot(std::shared_ptr<const TreeSnapshot> snapshot, std::optional<NodeId> shown) {
  const bool sameTree = snapshot && snapshot_ && snapshot->record().id == snapshot_->record().id;
  snapshot_ = std::move(snapshot);
  if (!sameTree) {
    collapsed_.clear();
    collapseFutures();
  }
  if (shown) expandAbove(*shown);
  rebuild();
}

void TreeScene::setColourKind(const QString& kind) {
  if (kind == colourKind_) return;
  colourKind_ = kind;
  rebuild();
}

QString TreeScene::colourLabel() const {
  return colourKind_ == QLatin1String("MR") ? tr("MR (futures: R*)") : shortKind(colourKind_);
}

bool TreeScene::canCollapse(NodeId node) const {
  return snapshot_ && snapshot_->tree().find(node) && !snapshot_->tree().children(node).empty();
}

void TreeScene::setCollapsed(NodeId node, bool collapsed) {
  if (collapsed == isCollapsed(node) || (collapsed && !canCollapse(node))) return;
  if (collapsed)
    collapsed_.insert(node);
  else
    collapsed_.erase(node);
  rebuild();
}

void TreeScene::expandAll() {
  collapsed_.clear();
  rebuild();
}

void TreeScene::reveal(NodeId node) {
  if (expandAbove(node)) rebuild();
}

bool TreeScene::expandAbove(NodeId node) {
  if (!snapshot_ || !snapshot_->tree().find(node)) return false;
  bool changed = false;
  for (NodeId above : snapshot_->tree().pathTo(node))
    if (above != node) changed |= collapsed_.erase(above) > 0;
  return changed;
}

void TreeScene::collapseFutures() {
  if (!snapshot_) return;
  for (const conversation::Node& node : snapshot_->tree().nodes()) {
    const bool futureHead = node.kind == NodeKind::Continuation && node.parentId &&
                            snapshot_->tree().at(*node.parentId).kind == NodeKind::Turn;
    if (futureHead && !snapshot_->tree().children(node.id).empty()) collapsed_.insert(node.id);
  }
}

std::vector<NodeId> TreeScene::visibleNodes(QHash<NodeId, int>& hiddenBelow) const {
  // Pre-order, children in order; a collapsed node's subtree is counted, not listed.
  const conversation::ConversationTree& tree = snapshot_->tree();
  std::vector<NodeId> visible, stack(tree.roots().rbegin(), tree.roots().rend());
  while (!stack.empty()) {
    const NodeId node = stack.back();
    stack.pop_back();
    visible.push_back(node);
    const auto& children = tree.children(node);
    if (!isCollapsed(node)) {
      stack.insert(stack.end(), children.rbegin(), children.rend());
      continue;
    }
    int hidden = 0;
    std::vector<NodeId> below(children.begin(), children.end());
    while (!below.empty()) {
      const NodeId next = below.back();
      below.pop_back();
      ++hidden;
      const auto& more = tree.children(next);
      below.insert(below.end(), more.begin(), more.end());
    }
    hiddenBelow.insert(node, hidden);
  }
  return visible;
}

std::optional<double> TreeScene::colourValue(NodeId node, QString* label) const {
  const std::string kind = colourKind_.toStdString();
  if (std::optional<double> value = snapshot_->value(node, kind)) {
    if (label) *label = shortKind(colourKind_);
    return value;
  }
  // A sampled future has no MR of its own; its R* is what the MR above it averages.
  if (kind == "MR") {
    if (std::optional<double> future = snapshot_->value(node, "R*")) {
      if (label) *label = QStringLiteral("R*");
      return future;
    }
  }
  return std::nullopt;
}

void TreeScene::updateColourRange() {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const conversation::Node& node : snapshot_->tree().nodes())
    if (std::optional<double> value = colourValue(node.id, nullptr)) {
      low = std::min(low, *value);
      high = std::max(high, *value);
    }
  colours_ = low <= high ? ScoreColourMap::spanning(low, high) : ScoreColourMap();
}

void TreeScene::rebuild() {
  {
    // Deleting a selected card announces a selection change; the view would reselect a
    // card that is going away. The new cards are selected after the rebuild instead.
    const QSignalBlocker quiet(this);
    clear();
  }
  items_.clear();
  if (!snapshot_) {
    emit rebuilt();
    return;
  }
  updateColourRange();
  QHash<NodeId, int> hiddenBelow;
  const std::vector<NodeId> visible = visibleNodes(hiddenBelow);
  QHash<NodeId, int> indexOf;
  for (int i = 0; i < static_cast<int>(visible.size()); ++i) indexOf.insert(visible[static_cast<std::size_t>(i)], i);
  std::vector<int> parents;
  parents.reserve(visible.size());
  const conversation::ConversationTree& tree = snapshot_->tree();
  for (NodeId id : visible) {
    const auto& parent = tree.at(id).parentId;
    parents.push_back(parent && indexOf.contains(*parent) ? indexOf.value(*parent) : -1);
  }
  const TidyLayout layout = tidyLayout(parents, TreeNodeItem::kWidth + kGap);

  for (std::size_t i = 0; i < visible.size(); ++i) {
    const conversation::Node& node = tree.at(visible[i]);
    NodeLook look;
    look.id = node.id;
    look.title = roleTitle(node.role);
    if (node.kind == NodeKind::Continuation && node.sampleIndex)
      look.title += tr(" · future %1").arg(*node.sampleIndex + 1);
    else if (node.kind == NodeKind::Turn && node.parentId) {
      const auto alternatives = tree.turnChildren(*node.parentId);
      if (alternatives.size() > 1) {
        const auto at = std::find(alternatives.begin(), alternatives.end(), node.id) - alternatives.begin();
        look.title += tr(" %1/%2").arg(at + 1).arg(alternatives.size());
      }
    }
    look.excerpt = excerptOf(node.content);
    QString label;
    const std::optional<double> value = colourValue(node.id, &label);
    if (value) look.score = QStringLiteral("%1 %2").arg(label).arg(*value, 0, 'f', 3);
    look.fill = colours_.colour(value);
    look.accent = accentFor(node.role);
    look.continuation = node.kind == NodeKind::Continuation;
    look.chosen = snapshot_->isChosen(node.id);
    look.rejected = snapshot_->isRejected(node.id);
    look.hiddenBelow = hiddenBelow.value(node.id, 0);
    auto* item = new TreeNodeItem(std::move(look));
    item->setPos(layout.x[i], layout.depth[i] * kRowHeight);
    addItem(item);
    items_.insert(node.id, item);
  }
  for (std::size_t i = 0; i < visible.size(); ++i) {
    if (parents[i] < 0) continue;
    const QPointF from = items_.value(visible[static_cast<std::size_t>(parents[i])])->pos() +
                         QPointF(0, TreeNodeItem::kHeight / 2);
    const QPointF to = items_.value(visible[i])->pos() - QPointF(0, TreeNodeItem::kHeight / 2);
    addItem(new TreeEdgeItem(from, to, tree.at(visible[i]).kind == NodeKind::Continuation));
  }
  const double margin = TreeNodeItem::kWidth;
  setSceneRect(itemsBoundingRect().adjusted(-margin, -margin / 2, margin, margin / 2));
  emit rebuilt();
}

} // namespace collab::ui

#pragma once

#include "ScoreColourMap.h"
#include "TreeSnapshot.h"

#include <QGraphicsScene>
#include <QHash>
#include <QString>

#include <memory>
#include <unordered_set>

namespace collab::ui {

class TreeNodeItem;

// The drawing of one conversation tree: a card per visible node, placed by the tidy
// layout, coloured by the chosen score. Nodes below a collapsed node are left out (and
// counted on its card); sampled futures start collapsed to their first message, one card
// per future, which is what an MR was averaged over. Items are indexed in a BSP tree, so
// the view only draws what is on screen.
class TreeScene : public QGraphicsScene {
  Q_OBJECT

public:
  static constexpr double kRowHeight = 104;
  static constexpr double kGap = 18;

  explicit TreeScene(QObject* parent = nullptr);

  // Draws `snapshot` (null: nothing), with `shown` visible. The collapsed nodes are kept
  // when it is the same tree again (after an edit), and reset to the defaults for another.
  void setSnapshot(std::shared_ptr<const TreeSnapshot> snapshot, std::optional<conversation::NodeId> shown = {});
  const TreeSnapshot* snapshot() const { return snapshot_.get(); }

  // "MR", "task", "efficiency", "interactivity"...; for MR, sampled futures show their own R*.
  void setColourKind(const QString& kind);
  const QString& colourKind() const { return colourKind_; }
  const ScoreColourMap& colourMap() const { return colours_; }
  // What the legend calls the scale, e.g. "MR (futures: R*)".
  QString colourLabel() const;

  bool isCollapsed(conversation::NodeId node) const { return collapsed_.count(node) > 0; }
  bool canCollapse(conversation::NodeId node) const;
  void setCollapsed(conversation::NodeId node, bool collapsed);
  void expandAll();
  // Expands what hides `node`.
  void reveal(conversation::NodeId node);

  // Null when the node is hidden or not in the tree.
  TreeNodeItem* itemFor(conversation::NodeId node) const { return items_.value(node, nullptr); }
  int visibleCount() const { return static_cast<int>(items_.size()); }

signals:
  void rebuilt();

private:
  void rebuild();
  void collapseFutures();
  bool expandAbove(conversation::NodeId node);
  std::vector<conversation::NodeId> visibleNodes(QHash<conversation::NodeId, int>& hiddenBelow) const;
  std::optional<double> colourValue(conversation::NodeId node, QString* label) const;
  void updateColourRange();

  std::shared_ptr<const TreeSnapshot> snapshot_;
  QString colourKind_ = QStringLiteral("MR");
  ScoreColourMap colours_;
  std::unordered_set<conversation::NodeId> collapsed_;
  QHash<conversation::NodeId, TreeNodeItem*> items_;
};

} // namespace collab::ui

#pragma once

#include "TreeSnapshot.h"

#include <QGraphicsView>

class QMenu;

#include <memory>
#include <optional>

namespace collab::ui {

class ScoreLegend;
class TreeScene;

// The branching view of one conversation: zoom (wheel, +/-), pan (drag), fit (F), and a
// current node moved with the keyboard: Up to the parent, Down to the child the
// conversation goes on with (or the first sampled future), Left/Right to the previous/
// next sibling, Home to the root, Space to collapse or expand. A click selects a node; a
// double click collapses it.
class TreeView : public QGraphicsView {
  Q_OBJECT

public:
  static constexpr double kMinZoom = 0.02;
  static constexpr double kMaxZoom = 4.0;

  explicit TreeView(QWidget* parent = nullptr);

  TreeScene* treeScene() const { return scene_; }
  ScoreLegend* legend() const { return legend_; }

  // Shows the snapshot; a new tree is framed around `focus`, the same tree keeps its view.
  void showSnapshot(std::shared_ptr<const TreeSnapshot> snapshot, std::optional<conversation::NodeId> focus);
  std::optional<conversation::NodeId> currentNode() const { return current_; }
  // Selects the node (expanding what hides it) and scrolls it into view.
  void setCurrentNode(std::optional<conversation::NodeId> node);

  void goToParent();
  void goToChild();
  void goToSibling(int step);
  void goToRoot();
  void toggleCollapsed();
  void setColourKind(const QString& kind);

  // The menu a right click on a card opens (after making the card current).
  void setNodeMenu(QMenu* menu) { nodeMenu_ = menu; }

  void zoomBy(double factor);
  void fitTree();
  double zoom() const;

signals:
  // The user moved the current node (by click or key), never when set from outside.
  void currentNodeChanged(conversation::NodeId node);

protected:
  void keyPressEvent(QKeyEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

private:
  void moveTo(std::optional<conversation::NodeId> node);
  void selectCurrent(bool scrollTo = true);
  void onSelectionChanged();
  void onRebuilt();
  void placeLegend();
  void frame(std::optional<conversation::NodeId> focus);

  TreeScene* scene_;
  ScoreLegend* legend_;
  QMenu* nodeMenu_ = nullptr;
  std::optional<conversation::NodeId> current_;
  bool selecting_ = false; // while the view itself changes the scene's selection
};

} // namespace collab::ui

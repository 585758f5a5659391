#pragma once

#include "TreeSnapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QToolBar;

namespace collab::ui {

class TreeView;

// The tree view with its toolbar: the score the cards are coloured by, zoom, fit,
// expand all, and a line naming the conversation shown.
class TreePanel : public QWidget {
  Q_OBJECT

public:
  explicit TreePanel(QWidget* parent = nullptr);

  TreeView* view() const { return view_; }
  QComboBox* colourBox() const { return colourBox_; }
  QToolBar* toolBar() const { return toolBar_; }
  QLabel* caption() const { return caption_; }

  void showSnapshot(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> focus);

private:
  void offerKinds(const TreeSnapshot* snapshot);
  void updateCaption();

  QToolBar* toolBar_;
  QComboBox* colourBox_;
  QLabel* caption_;
  TreeView* view_;
};

} // namespace collab::ui

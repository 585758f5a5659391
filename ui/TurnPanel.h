#pragma once

#include "conversation/Node.h"

#include <QWidget>

class QLabel;
class QListView;

namespace collab::store {
class Project;
}

namespace collab::ui {

class TurnListModel;

// The turns of the current conversation (its best path by MR), under a heading that
// names the tree and says what the list shows.
class TurnPanel : public QWidget {
  Q_OBJECT

public:
  explicit TurnPanel(TurnListModel* model, QWidget* parent = nullptr);

  // Shows `tree` of `project`; an empty panel when the tree is not there.
  void showTree(store::Project& project, conversation::TreeId tree);
  // An empty panel that says why it is empty.
  void showNothing(const QString& why);

  QListView* view() const { return view_; }
  QLabel* heading() const { return heading_; }

private:
  TurnListModel* model_;
  QLabel* heading_;
  QListView* view_;
};

} // namespace collab::ui

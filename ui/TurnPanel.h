#pragma once

#include "conversation/Node.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QListView;

namespace collab::ui {

class TreeSnapshot;
class TurnListModel;

// The linear reader beside the tree: the active path of the conversation (through the
// current turn, then on along the best answers) as cards under a heading that names the
// tree. The current turn is the selected card; clicking a card makes it current.
class TurnPanel : public QWidget {
  Q_OBJECT

public:
  explicit TurnPanel(TurnListModel* model, QWidget* parent = nullptr);

  // Shows the path through `current` (the best path without one) and selects it. When
  // `current` is already on the path shown, only the selection moves.
  void showPath(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> current);
  // An empty panel that says why it is empty.
  void showNothing(const QString& why);

  QListView* view() const { return view_; }
  QLabel* heading() const { return heading_; }

signals:
  void turnActivated(collab::conversation::NodeId node);

private:
  void setHeading(const TreeSnapshot& snapshot);
  void selectRow(int row);

  TurnListModel* model_;
  QLabel* heading_;
  QListView* view_;
  std::shared_ptr<const TreeSnapshot> shown_;
  bool selecting_ = false;
};

} // namespace collab::ui

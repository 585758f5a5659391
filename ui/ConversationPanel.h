#pragma once

#include "conversation/Node.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace collab::ui {

class ConversationListModel;

// The conversation table with its search box. Says which tree is current; it keeps a
// current tree after every reset (load, search, import) by falling back to the first row.
class ConversationPanel : public QWidget {
  Q_OBJECT

public:
  explicit ConversationPanel(ConversationListModel* model, QWidget* parent = nullptr);

  QLineEdit* searchBox() const { return search_; }
  // "Searching…" while a page is read in the background; a failed query's message.
  QLabel* status() const { return status_; }
  QTableView* view() const { return view_; }
  std::optional<conversation::TreeId> currentTree() const;
  // Makes `tree` the current row if it is among the rows read so far, without announcing
  // it (the caller already shows it).
  void selectTree(conversation::TreeId tree);

signals:
  // Empty when no conversation is current (an empty project, or nothing matches).
  void currentTreeChanged(std::optional<collab::conversation::TreeId> tree);

private:
  void applyFilter();
  void chooseColumns(const QPoint& at);
  void selectFirstRow();
  void sizeColumns();
  void fitSourceColumn();

  ConversationListModel* model_;
  QLineEdit* search_;
  QLabel* status_;
  QTableView* view_;
  QTimer* searchDelay_;
  bool quiet_ = false; // while selectTree() moves the current row
};

} // namespace collab::ui

#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace collab::ui {

class BackgroundTask;

// The running background task in the status bar: what it is, how far it got, and a
// button to cancel it. Hidden while nothing runs.
class TaskProgress : public QWidget {
  Q_OBJECT

public:
  explicit TaskProgress(QWidget* parent = nullptr);

  // Shows `task` until it finishes.
  void track(BackgroundTask* task);

  QLabel* label() const { return label_; }
  QProgressBar* bar() const { return bar_; }
  QToolButton* cancelButton() const { return cancel_; }

private:
  QLabel* label_;
  QProgressBar* bar_;
  QToolButton* cancel_;
};

} // namespace collab::ui

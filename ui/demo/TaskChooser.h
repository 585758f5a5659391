#pragma once

#include "task/Task.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace collab::ui {

// Picks a task of the built-in suite the way a presenter thinks of it: a family, the
// split (train: tasks the checkpoints learnt on; test: held out), and the n-th task of
// that split (task seed 1, as training draws them). Shows the resulting task id.
class TaskChooser : public QWidget {
  Q_OBJECT

public:
  explicit TaskChooser(QWidget* parent = nullptr);

  void choose(const QString& family, const QString& split, int index);
  const task::TaskInstance& task() const { return task_; }
  QString taskId() const { return QString::fromStdString(task_.id); }
  QComboBox* familyBox() const { return family_; }
  QComboBox* splitBox() const { return split_; }
  QSpinBox* indexBox() const { return index_; }

signals:
  void taskChanged();

private:
  void update();

  QComboBox* family_;
  QComboBox* split_;
  QSpinBox* index_;
  QLabel* id_;
  task::TaskInstance task_;
};

// "the user's hidden goal: tone: formal, length: short" for the presenter.
QString goalText(const task::TaskInstance& task);

} // namespace collab::ui

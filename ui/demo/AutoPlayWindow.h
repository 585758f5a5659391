#pragma once

#include "demo/DemoPersonas.h"

#include <QTemporaryDir>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace collab::store {
class Project;
}

namespace collab::ui {

class PlayPane;
class TaskChooser;

// The auto-play demo: a persona-driven simulated user plays one task of the suite against
// two checkpoints at once, side by side, turn by turn, each in its own `collab play` child
// with the same task, persona and seed — so the only difference is the policy (the
// trained model asks the question the base model skips). The task's hidden goal is shown
// to the presenter; each side ends with its task score, turns and tokens; the finished
// pair is saved into the project as one tree with a branch per checkpoint.
class AutoPlayWindow : public QWidget {
  Q_OBJECT

public:
  AutoPlayWindow(const QString& collabProgram, QWidget* parent = nullptr);

  // Offers the project's checkpoints (newest first) and personas.
  void setProject(store::Project* project);
  void setCheckpoints(const QString& left, const QString& right);
  void play();
  bool finished() const; // both sides have their summary
  // Saves the finished pair into the project; the tree's id, or empty with `error` set.
  std::optional<qint64> saveToProject(QString* error = nullptr);

  TaskChooser* taskChooser() const { return task_; }
  QComboBox* personaBox() const { return persona_; }
  QSpinBox* seedBox() const { return seed_; }
  QSpinBox* exchangesBox() const { return exchanges_; }
  QPushButton* playButton() const { return playButton_; }
  QPushButton* saveButton() const { return saveButton_; }
  PlayPane* left() const { return left_; }
  PlayPane* right() const { return right_; }

signals:
  void treeSaved(qint64 tree);

private:
  void showGoal();
  void updateButtons();
  QString personaFile(const DemoPersona& persona);

  store::Project* project_ = nullptr;
  QList<DemoPersona> personas_;
  QTemporaryDir personaFiles_; // the chosen persona, written for the children to read
  QComboBox* leftChoice_;
  QComboBox* rightChoice_;
  TaskChooser* task_;
  QComboBox* persona_;
  QSpinBox* seed_;
  QSpinBox* exchanges_;
  QLabel* goal_;
  QPushButton* playButton_;
  QPushButton* saveButton_;
  QLabel* saved_;
  PlayPane* left_;
  PlayPane* right_;
  std::optional<DemoPersona> played_; // the persona of the pair on screen
};

} // namespace collab::ui

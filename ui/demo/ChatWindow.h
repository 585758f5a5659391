#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace collab::store {
class Project;
}

namespace collab::ui {

class ChatPane;

// The demo: chat with a trained checkpoint about one task of the suite (its hidden goal
// shown to the presenter, who plays the user), or with two side by side — the same
// messages to both — to show what training changed (the trained model asks the question
// the base model skips). Each checkpoint answers from its own `collab chat` child.
class ChatWindow : public QWidget {
  Q_OBJECT

public:
  ChatWindow(const QString& collabProgram, QWidget* parent = nullptr);

  // Offers the project's checkpoints (newest first).
  void setProject(store::Project* project);
  void setCheckpoints(const QString& left, const QString& right = {});
  void setTask(const QString& taskId);
  void start();
  void send(const QString& message);
  ChatPane* left() const { return left_; }
  ChatPane* right() const { return right_; }
  bool sideBySide() const;

private:
  QComboBox* checkpointBox();

  QComboBox* leftChoice_;
  QComboBox* rightChoice_;
  QCheckBox* sideBySide_;
  QLineEdit* task_;
  QLabel* goal_;
  QLineEdit* input_;
  QPushButton* send_;
  ChatPane* left_;
  ChatPane* right_;
};

} // namespace collab::ui
